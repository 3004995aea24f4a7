using System.Globalization;
using System.Text.Json.Nodes;

namespace Marquee.Simulators.Trakt;

/// <summary>The JSON shapes of Trakt's standard media objects and dates.</summary>
public static class TraktJson
{
    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static JsonNode? Date(DateTimeOffset? value) => value is { } v ? JsonValue.Create(Date(v)) : null;

    public static DateTimeOffset ToMinute(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
    }

    public static string Plural(TraktKind kind) => kind switch
    {
        TraktKind.Movie => "movies",
        TraktKind.Show => "shows",
        TraktKind.Season => "seasons",
        _ => "episodes",
    };

    public static string Singular(TraktKind kind) => kind switch
    {
        TraktKind.Movie => "movie",
        TraktKind.Show => "show",
        TraktKind.Season => "season",
        _ => "episode",
    };

    public static TraktKind? KindOf(string plural) => plural switch
    {
        "movies" => TraktKind.Movie,
        "shows" => TraktKind.Show,
        "seasons" => TraktKind.Season,
        "episodes" => TraktKind.Episode,
        _ => null,
    };

    public static JsonObject Ids(TraktMedia media)
    {
        var ids = new JsonObject { ["trakt"] = media.Trakt };
        switch (media.Kind)
        {
            case TraktKind.Movie:
                ids["slug"] = media.Slug;
                ids["imdb"] = media.Imdb;
                ids["tmdb"] = media.Tmdb;
                break;
            case TraktKind.Show:
                ids["slug"] = media.Slug;
                ids["tvdb"] = media.Tvdb;
                ids["imdb"] = media.Imdb;
                ids["tmdb"] = media.Tmdb;
                break;
            case TraktKind.Season:
                ids["tvdb"] = media.Tvdb;
                ids["tmdb"] = media.Tmdb;
                break;
            default:
                ids["tvdb"] = media.Tvdb;
                ids["imdb"] = media.Imdb;
                ids["tmdb"] = media.Tmdb;
                break;
        }

        return ids;
    }

    /// <summary>The standard object of one title: movie and show <c>{title, year, ids}</c>, season <c>{number, ids}</c>, episode <c>{season, number, title, ids}</c>.</summary>
    public static JsonObject Media(TraktMedia media) => media.Kind switch
    {
        TraktKind.Season => new JsonObject { ["number"] = media.Number, ["ids"] = Ids(media) },
        TraktKind.Episode => new JsonObject { ["season"] = media.SeasonNumber, ["number"] = media.Number, ["title"] = media.Title, ["ids"] = Ids(media) },
        _ => new JsonObject { ["title"] = media.Title, ["year"] = media.Year, ["ids"] = Ids(media) },
    };

    /// <summary>Adds <c>type</c> and the media object to a list row; an episode or season comes with its show.</summary>
    public static JsonObject Row(JsonObject row, TraktMedia media)
    {
        row["type"] = Singular(media.Kind);
        row[Singular(media.Kind)] = Media(media);
        if (media.Show is { } show)
        {
            row["show"] = Media(show);
        }

        return row;
    }

    public static JsonObject Counts(IReadOnlyDictionary<string, int> counts, params string[] keys)
    {
        var result = new JsonObject();
        foreach (var key in keys)
        {
            result[key] = counts.GetValueOrDefault(key);
        }

        return result;
    }
}
