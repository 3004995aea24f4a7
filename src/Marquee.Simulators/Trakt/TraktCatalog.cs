using System.Globalization;
using System.Text.Json.Nodes;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Trakt;

public enum TraktKind : byte
{
    Movie = 1,
    Show = 2,
    Season = 3,
    Episode = 4,
}

/// <summary>One title of the catalogue: a movie, show, season or episode with its ids.</summary>
public sealed class TraktMedia
{
    public required TraktKind Kind { get; init; }

    public required long Trakt { get; init; }

    public string? Slug { get; init; }

    public string? Title { get; init; }

    public int? Year { get; init; }

    public string? Imdb { get; init; }

    public long? Tmdb { get; init; }

    public long? Tvdb { get; init; }

    /// <summary>Season or episode number.</summary>
    public int Number { get; init; }

    /// <summary>The show of a season, the season of an episode.</summary>
    public TraktMedia? Parent { get; init; }

    public List<TraktMedia> Children { get; } = [];

    /// <summary>Release date (movies) or air date (episodes), used by <c>"watched_at": "released"</c>.</summary>
    public DateTimeOffset? Released { get; init; }

    public TraktMedia? Show => Kind switch { TraktKind.Episode => Parent?.Parent, TraktKind.Season => Parent, _ => null };

    public int? SeasonNumber => Kind == TraktKind.Episode ? Parent?.Number : null;

    public IEnumerable<TraktMedia> Episodes => Kind switch
    {
        TraktKind.Episode => [this],
        TraktKind.Season => Children,
        TraktKind.Show => Children.SelectMany(s => s.Children),
        _ => [],
    };
}

/// <summary>
/// The simulator's catalogue, built from the Plex simulator's generator with the same seed, so the
/// imdb, tmdb and tvdb ids of 'sim plex' resolve here. Lookups follow Trakt's matching order.
/// </summary>
public sealed class TraktCatalog
{
    private readonly Dictionary<(TraktKind, string, string), TraktMedia> _byId = [];
    private readonly List<TraktMedia> _all = [];

    public TraktCatalog(int seed, int movies, int shows, int seasons = 5, int episodesPerSeason = 12)
    {
        var generated = new LibraryGenerator(new PlexSimulatorOptions { Seed = seed, Movies = movies, Shows = shows, LegacyShare = 0, Seasons = seasons, EpisodesPerSeason = episodesPerSeason }).Generate();
        long nextMovie = 1000, nextShow = 500_000, nextSeason = 700_000, nextEpisode = 1_000_000;
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        var shown = new Dictionary<int, TraktMedia>();
        foreach (var item in generated)
        {
            switch (item.Type)
            {
                case ItemType.Movie when item.SectionId == 1 && item.EditionTitle is null:
                    var movieId = nextMovie++;
                    Add(new TraktMedia
                    {
                        Kind = TraktKind.Movie,
                        Trakt = movieId,
                        Slug = Slug(slugs, item.Title, item.Year, movieId),
                        Title = item.Title,
                        Year = item.Year,
                        Imdb = Source(item, "imdb"),
                        Tmdb = Number(Source(item, "tmdb")),
                        Released = ParseDate(item.OriginallyAvailableAt),
                    });
                    break;
                case ItemType.Show:
                    var showId = nextShow++;
                    var show = new TraktMedia
                    {
                        Kind = TraktKind.Show,
                        Trakt = showId,
                        Slug = Slug(slugs, item.Title, item.Year, showId),
                        Title = item.Title,
                        Year = item.Year,
                        Imdb = Source(item, "imdb"),
                        Tmdb = Number(Source(item, "tmdb")),
                        Tvdb = Number(Source(item, "tvdb")),
                    };
                    shown[item.RatingKey] = show;
                    Add(show);
                    break;
                case ItemType.Season:
                    var parent = shown[item.Parent!.RatingKey];
                    var season = new TraktMedia
                    {
                        Kind = TraktKind.Season,
                        Trakt = nextSeason++,
                        Number = item.Index,
                        Parent = parent,
                        Tvdb = parent.Tvdb * 10 + item.Index,
                        Tmdb = parent.Tmdb * 10 + item.Index,
                    };
                    parent.Children.Add(season);
                    shown[item.RatingKey] = season;
                    Add(season);
                    break;
                case ItemType.Episode:
                    var of = shown[item.Parent!.RatingKey];
                    var episode = new TraktMedia
                    {
                        Kind = TraktKind.Episode,
                        Trakt = nextEpisode++,
                        Number = item.Index,
                        Title = item.Title,
                        Parent = of,
                        Imdb = Source(item, "imdb"),
                        Tvdb = Number(Source(item, "tvdb")),
                        Released = ParseDate(item.OriginallyAvailableAt),
                    };
                    of.Children.Add(episode);
                    Add(episode);
                    break;
            }
        }
    }

    public IReadOnlyList<TraktMedia> All => _all;

    public IEnumerable<TraktMedia> Movies => _all.Where(m => m.Kind == TraktKind.Movie);

    public IEnumerable<TraktMedia> Shows => _all.Where(m => m.Kind == TraktKind.Show);

    public TraktMedia? ById(TraktKind kind, string key, string value) =>
        _byId.TryGetValue((kind, key, value.ToLowerInvariant()), out var media) ? media : null;

    /// <summary>
    /// Resolves an object of a sync request: by its ids in the order trakt, imdb, tmdb, tvdb, slug (episodes: trakt
    /// and tvdb only, as the 2026 contract accepts), then by title and year, then by title alone (the newest).
    /// </summary>
    public TraktMedia? Match(TraktKind kind, JsonObject item)
    {
        if (item["ids"] is JsonObject ids)
        {
            string[] keys = kind == TraktKind.Episode ? ["trakt", "tvdb"] : ["trakt", "imdb", "tmdb", "tvdb", "slug"];
            foreach (var key in keys)
            {
                if (ids[key] is JsonValue value && value.ToString() is { Length: > 0 } text && ById(kind, key, text) is { } found)
                {
                    return found;
                }
            }
        }

        if (kind is TraktKind.Movie or TraktKind.Show && item["title"] is JsonValue titleValue && titleValue.ToString() is { Length: > 0 } title)
        {
            var year = item["year"] is JsonValue y && y.TryGetValue<int>(out var n) ? n : (int?)null;
            var candidates = _all.Where(m => m.Kind == kind && string.Equals(m.Title, title, StringComparison.OrdinalIgnoreCase)).ToList();
            return candidates.FirstOrDefault(m => year is not null && m.Year == year) ?? candidates.OrderByDescending(m => m.Year).FirstOrDefault();
        }

        return null;
    }

    /// <summary>Search by one id, as <c>GET /search/{id_type}/{id}</c>: every kind whose id matches, filtered by <paramref name="kinds"/>.</summary>
    public IEnumerable<TraktMedia> Search(string idType, string id, IReadOnlySet<TraktKind>? kinds)
    {
        foreach (var kind in new[] { TraktKind.Movie, TraktKind.Show, TraktKind.Episode })
        {
            if ((kinds is null || kinds.Contains(kind)) && ById(kind, idType, id) is { } found)
            {
                yield return found;
            }
        }
    }

    private void Add(TraktMedia media)
    {
        _all.Add(media);
        Index(media, "trakt", media.Trakt.ToString(CultureInfo.InvariantCulture));
        Index(media, "slug", media.Slug);
        Index(media, "imdb", media.Imdb);
        Index(media, "tmdb", media.Tmdb?.ToString(CultureInfo.InvariantCulture));
        Index(media, "tvdb", media.Tvdb?.ToString(CultureInfo.InvariantCulture));
    }

    private void Index(TraktMedia media, string key, string? value)
    {
        if (value is not null)
        {
            _byId.TryAdd((media.Kind, key, value.ToLowerInvariant()), media);
        }
    }

    private static string? Source(PlexItem item, string scheme) =>
        item.SourceIds.FirstOrDefault(s => s.StartsWith(scheme + "://", StringComparison.Ordinal))?[(scheme.Length + 3)..];

    private static long? Number(string? text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static DateTimeOffset? ParseDate(string? text) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    private static string Slug(HashSet<string> used, string title, int year, long id)
    {
        var words = new string(title.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var slug = string.Join('-', words) + "-" + year.ToString(CultureInfo.InvariantCulture);
        return used.Add(slug) ? slug : $"{slug}-{id.ToString(CultureInfo.InvariantCulture)}";
    }
}
