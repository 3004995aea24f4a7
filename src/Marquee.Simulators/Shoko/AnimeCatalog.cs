using System.Globalization;

namespace Marquee.Simulators.Shoko;

/// <summary>AniDB episode types in Shoko's listing order (Episode, Credits, Special, Trailer, Parody, Other).</summary>
public enum AnimeEpisodeType
{
    Episode,
    Credits,
    Special,
    Trailer,
    Parody,
    Other,
}

/// <summary>How the Plex library matched a series: Shoko Relay (custom provider), the legacy Shoko Relay bundle, or HAMA.</summary>
public enum PlexAnimeAgent
{
    ShokoRelay,
    LegacyShoko,
    Hama,
}

/// <summary>One Shoko series (one AniDB anime) with its cross-references.</summary>
public sealed record AnimeSeries(int Id, int AniDbId, int? TmdbShowId, int? TvdbShowId, string Title, int Year, PlexAnimeAgent PlexAgent)
{
    public bool TmdbLinked => TmdbShowId is not null;
}

/// <summary>One Shoko episode (one AniDB episode); TMDB/TvDB fields are set when the episode is linked to a TMDB episode.</summary>
public sealed record AnimeEpisode(
    int Id,
    int SeriesId,
    int AniDbId,
    AnimeEpisodeType Type,
    int Number,
    string Title,
    long DurationMs,
    DateOnly AirDate,
    int? TmdbEpisodeId,
    int? TmdbSeason,
    int? TmdbNumber,
    int? TvdbEpisodeId)
{
    /// <summary>Gets the AniDB number with its type prefix: <c>1</c>, <c>S1</c>, <c>C1</c>, <c>T1</c>, <c>P1</c>, <c>O1</c>.</summary>
    public string Prefixed => Prefix(Type) + Number.ToString(CultureInfo.InvariantCulture);

    public static string Prefix(AnimeEpisodeType type) => type switch
    {
        AnimeEpisodeType.Episode => string.Empty,
        AnimeEpisodeType.Special => "S",
        AnimeEpisodeType.Credits => "C",
        AnimeEpisodeType.Trailer => "T",
        AnimeEpisodeType.Parody => "P",
        _ => "O",
    };
}

/// <summary>A cross-reference of a file to an episode; <see cref="Percentage"/> is the share of the episode the file holds.</summary>
public sealed record AnimeFileEpisode(int EpisodeId, int Percentage);

/// <summary>One video file and the episodes it holds (several for a multi-episode file; a split episode has several files).</summary>
public sealed record AnimeFile(int Id, string RelativePath, long DurationMs, long Size, IReadOnlyList<AnimeFileEpisode> Episodes);

/// <summary>
/// A deterministic anime collection shared by the Shoko simulator and the Plex simulator's Shoko library, so both
/// servers hold the same media. Titles depend on the seed; the layout is fixed so scenarios can rely on it:
/// series 0 has 26 episodes in TMDB seasons of 10 (season 3 exists), two specials, an opening and an ending, a trailer,
/// a parody and an "other"; every series' episodes 2 and 3 share one file; series 1's last episode is split in two files;
/// series 2 has one aired episode without a file. Series alternate Plex agents: Shoko Relay, the legacy bundle, HAMA.
/// Series 2 and 4 have no TMDB link (numbered by type in Plex).
/// </summary>
public sealed class AnimeCatalog
{
    /// <summary>TMDB season length in the simulated ordering.</summary>
    public const int TmdbSeasonLength = 10;

    private static readonly string[] Words =
    [
        "Sky", "Blade", "Spirit", "Moon", "Steel", "Dream", "Star", "Shadow", "Flame", "Ocean", "Sakura", "Thunder",
        "Crystal", "Wind", "Dragon", "Garden", "Melody", "Phantom", "Horizon", "Academy",
    ];

    private AnimeCatalog(IReadOnlyList<AnimeSeries> series, IReadOnlyList<AnimeEpisode> episodes, IReadOnlyList<AnimeFile> files)
    {
        Series = series;
        Episodes = episodes;
        Files = files;
    }

    public IReadOnlyList<AnimeSeries> Series { get; }

    public IReadOnlyList<AnimeEpisode> Episodes { get; }

    public IReadOnlyList<AnimeFile> Files { get; }

    public static AnimeCatalog Generate(int seed, int seriesCount = 6)
    {
        var random = new Random(unchecked((seed * 31) + 5));
        var series = new List<AnimeSeries>();
        var episodes = new List<AnimeEpisode>();
        var files = new List<AnimeFile>();
        var nextEpisode = 4200;
        var nextAniDbEpisode = 150_100;
        var nextFile = 9900;
        var nextTmdbEpisode = 965_000;
        for (var i = 0; i < seriesCount; i++)
        {
            var title = $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]}" + (i >= Words.Length ? $" {i}" : string.Empty);
            var linked = i % 3 != 2 && i != 4;
            var agent = (PlexAnimeAgent)(i % 3);
            var show = new AnimeSeries(312 + i, 9541 + (i * 13), linked ? 1429 + (i * 29) : null, linked ? 267_440 + (i * 31) : null, $"{title} #{i + 1}", 2005 + random.Next(0, 20), agent);
            series.Add(show);
            var regular = i == 0 ? 26 : 12 + random.Next(0, 3);
            var counts = i == 0
                ? new[] { (AnimeEpisodeType.Episode, regular), (AnimeEpisodeType.Credits, 2), (AnimeEpisodeType.Special, 2), (AnimeEpisodeType.Trailer, 1), (AnimeEpisodeType.Parody, 1), (AnimeEpisodeType.Other, 1) }
                : [(AnimeEpisodeType.Episode, regular), (AnimeEpisodeType.Credits, 1), (AnimeEpisodeType.Special, 1)];
            var minutes = 24;
            var seriesEpisodes = new List<AnimeEpisode>();
            foreach (var (type, count) in counts)
            {
                for (var n = 1; n <= count; n++)
                {
                    int? tmdbSeason = null;
                    int? tmdbNumber = null;
                    if (linked && type == AnimeEpisodeType.Episode)
                    {
                        tmdbSeason = ((n - 1) / TmdbSeasonLength) + 1;
                        tmdbNumber = ((n - 1) % TmdbSeasonLength) + 1;
                    }
                    else if (linked && type == AnimeEpisodeType.Special)
                    {
                        tmdbSeason = 0;
                        tmdbNumber = n;
                    }

                    var tmdbId = tmdbSeason is null ? (int?)null : nextTmdbEpisode++;
                    var duration = type switch
                    {
                        AnimeEpisodeType.Credits => 90_000L,
                        AnimeEpisodeType.Trailer => 60_000L,
                        AnimeEpisodeType.Special or AnimeEpisodeType.Parody or AnimeEpisodeType.Other => 7 * 60_000L + (n * 1000),
                        _ => (minutes * 60_000L) + (random.Next(0, 60) * 1000),
                    };
                    var episodeTitle = type switch
                    {
                        AnimeEpisodeType.Credits => n == 1 ? "Opening" : "Ending",
                        AnimeEpisodeType.Trailer => "Trailer",
                        AnimeEpisodeType.Parody => "Parody",
                        AnimeEpisodeType.Other => "Recap",
                        AnimeEpisodeType.Special => $"Special {n}",
                        _ => $"{Words[random.Next(Words.Length)]} of the {Words[random.Next(Words.Length)]}",
                    };
                    var episode = new AnimeEpisode(
                        nextEpisode++,
                        show.Id,
                        nextAniDbEpisode++,
                        type,
                        n,
                        episodeTitle,
                        duration,
                        new DateOnly(show.Year, 4, 1).AddDays(7 * n),
                        tmdbId,
                        tmdbSeason,
                        tmdbNumber,
                        tmdbId is { } t ? 4_523_000 + (t - 965_000) : null);
                    seriesEpisodes.Add(episode);
                }
            }

            episodes.AddRange(seriesEpisodes);
            var folder = show.Title;
            var regulars = seriesEpisodes.Where(e => e.Type == AnimeEpisodeType.Episode).ToList();
            var lastWithFile = i == 2 ? regulars.Count - 1 : regulars.Count;
            for (var k = 0; k < lastWithFile; k++)
            {
                var e = regulars[k];
                if (k == 1)
                {
                    // Episodes 2 and 3 in one file.
                    var next = regulars[2];
                    files.Add(new AnimeFile(nextFile++, $"{folder}/{folder} - 02-03.mkv", e.DurationMs + next.DurationMs, 2_900_000_000, [new(e.Id, 100), new(next.Id, 100)]));
                    k++;
                    continue;
                }

                if (i == 1 && k == lastWithFile - 1)
                {
                    // The last episode split in two halves.
                    files.Add(new AnimeFile(nextFile++, $"{folder}/{folder} - {e.Number:D2} (part 1).mkv", e.DurationMs / 2, 700_000_000, [new(e.Id, 50)]));
                    files.Add(new AnimeFile(nextFile++, $"{folder}/{folder} - {e.Number:D2} (part 2).mkv", e.DurationMs - (e.DurationMs / 2), 700_000_000, [new(e.Id, 50)]));
                    continue;
                }

                files.Add(new AnimeFile(nextFile++, $"{folder}/{folder} - {e.Number:D2}.mkv", e.DurationMs, 1_400_000_000, [new(e.Id, 100)]));
            }

            foreach (var e in seriesEpisodes.Where(e => e.Type != AnimeEpisodeType.Episode))
            {
                files.Add(new AnimeFile(nextFile++, $"{folder}/{folder} - {e.Prefixed}.mkv", e.DurationMs, 300_000_000, [new(e.Id, 100)]));
            }
        }

        return new AnimeCatalog(series, episodes, files);
    }

    /// <summary>The episode's season and number in the Plex library of <paramref name="series"/>'s agent (SHOKO-API.md section 9).</summary>
    public static (int Season, int Number) PlexCoordinates(AnimeSeries series, AnimeEpisode episode)
    {
        if (series.PlexAgent == PlexAnimeAgent.Hama)
        {
            // HAMA's AniDB mode: season 1 regular episodes; season 0 specials, credits from 101, trailers 201, parodies 301, others 401.
            return episode.Type switch
            {
                AnimeEpisodeType.Episode => (1, episode.Number),
                AnimeEpisodeType.Special => (0, episode.Number),
                AnimeEpisodeType.Credits => (0, 100 + episode.Number),
                AnimeEpisodeType.Trailer => (0, 200 + episode.Number),
                AnimeEpisodeType.Parody => (0, 300 + episode.Number),
                _ => (0, 400 + episode.Number),
            };
        }

        if (episode.TmdbSeason is { } season && episode.TmdbNumber is { } number)
        {
            return (season, number);
        }

        return episode.Type switch
        {
            AnimeEpisodeType.Episode => (1, episode.Number),
            AnimeEpisodeType.Special => (0, episode.Number),
            AnimeEpisodeType.Credits => (-1, episode.Number),
            AnimeEpisodeType.Trailer => (-2, episode.Number),
            AnimeEpisodeType.Parody => (-3, episode.Number),
            _ => (-4, episode.Number),
        };
    }
}
