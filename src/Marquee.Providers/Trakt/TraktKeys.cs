using System.Globalization;
using System.Text.Json.Nodes;
using Marquee.Core.Items;

namespace Marquee.Providers.Trakt;

/// <summary>
/// Local keys of Trakt items, derived from ids so an item Marquee writes before Trakt ever listed it keeps the key a
/// later listing gives it: <c>movie:{scheme}={id}</c>, and an episode by its show's id and its numbers,
/// <c>episode:{scheme}={id}:{season}:{number}</c> (Trakt's watched listing names episodes that way). The scheme is the
/// first of tmdb, imdb, tvdb the item has.
/// </summary>
public static class TraktKeys
{
    private static readonly string[] Order = [ExternalId.Tmdb, ExternalId.Imdb, ExternalId.Tvdb];

    public static string? Movie(IEnumerable<ExternalId> ids) => First(ids) is { } id ? $"movie:{id.Scheme}={id.Value}" : null;

    /// <summary>A show as a watchlist names it: <c>show:{scheme}={id}</c>.</summary>
    public static string? Show(IEnumerable<ExternalId> ids) => First(ids) is { } id ? $"show:{id.Scheme}={id.Value}" : null;

    /// <summary>Splits a watchlist key (<c>movie:…</c> or <c>show:…</c>) into its kind and the id to send; null when it is not one.</summary>
    public static (string Kind, TraktKey Key)? ParseListed(string key)
    {
        var parts = key.Split(':');
        if (parts is not [("movie" or "show") and var kind, var id] || Parse("movie:" + id) is not { } parsed)
        {
            return null;
        }

        return (kind, parsed);
    }

    public static string? Episode(IEnumerable<ExternalId> showIds, int season, int number) =>
        First(showIds) is { } id ? string.Create(CultureInfo.InvariantCulture, $"episode:{id.Scheme}={id.Value}:{season}:{number}") : null;

    /// <summary>Every key an item listed with these ids answers to (one per id), for matching what Trakt echoes or lists.</summary>
    public static IEnumerable<string> All(string kind, JsonObject? ids, int season = 0, int number = 0) =>
        ExternalIds(ids).Select(id => kind == "movie"
            ? $"movie:{id.Scheme}={id.Value}"
            : string.Create(CultureInfo.InvariantCulture, $"episode:{id.Scheme}={id.Value}:{season}:{number}"));

    /// <summary>Splits a key into its kind, the id to send and, for an episode, its numbers; null when it is not a Trakt key.</summary>
    public static TraktKey? Parse(string key)
    {
        var parts = key.Split(':');
        if (parts.Length < 2 || parts[1].IndexOf('=', StringComparison.Ordinal) is var eq && eq <= 0)
        {
            return null;
        }

        var scheme = parts[1][..eq];
        var value = parts[1][(eq + 1)..];
        if (!Order.Contains(scheme) || value.Length == 0)
        {
            return null;
        }

        return parts switch
        {
            ["movie", _] => new TraktKey(false, scheme, value, 0, 0),
            ["episode", _, var s, var n] when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var season)
                && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number) => new TraktKey(true, scheme, value, season, number),
            _ => null,
        };
    }

    /// <summary>The ids Marquee matches on (tmdb, imdb, tvdb) of a Trakt <c>ids</c> object; nulls and other ids are left out.</summary>
    public static List<ExternalId> ExternalIds(JsonObject? ids)
    {
        var result = new List<ExternalId>();
        foreach (var scheme in Order)
        {
            if (ids?[scheme] is JsonValue value && value.ToString() is { Length: > 0 } text && text != "0")
            {
                result.Add(new ExternalId(scheme, text));
            }
        }

        return result;
    }

    private static ExternalId? First(IEnumerable<ExternalId> ids)
    {
        var list = ids.ToList();
        foreach (var scheme in Order)
        {
            if (list.FirstOrDefault(i => i.Scheme == scheme && i.Value.Length > 0) is { Scheme: not null } found)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>A parsed Trakt key: a movie, or an episode of the show named by the id.</summary>
public sealed record TraktKey(bool IsEpisode, string Scheme, string Value, int Season, int Number)
{
    /// <summary>The <c>ids</c> object Trakt takes: numbers for tmdb and tvdb, a string for imdb.</summary>
    public JsonObject Ids() => new()
    {
        [Scheme] = Scheme == ExternalId.Imdb || !long.TryParse(Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(Value) : JsonValue.Create(number),
    };
}
