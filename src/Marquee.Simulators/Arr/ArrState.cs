using System.Globalization;
using System.Text.RegularExpressions;
using Marquee.Simulators.Arr.Model;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Arr;

/// <summary>
/// The application's state: tags, movies (Radarr) or series and episodes (Sonarr), and webhook connections. The library is
/// built by the Plex simulator's generator with the same seed (same titles, tmdb, tvdb and imdb ids), plus
/// <see cref="ArrSimulatorOptions.Missing"/> wanted items Plex does not have. Every read and write takes one lock.
/// </summary>
public sealed partial class ArrState
{
    private readonly Lock _gate = new();
    private readonly List<ArrTag> _tags = [];
    private readonly SortedDictionary<int, ArrMovie> _movies = [];
    private readonly SortedDictionary<int, ArrSeries> _series = [];
    private readonly SortedDictionary<int, ArrEpisode> _episodes = [];
    private readonly SortedDictionary<int, ArrNotification> _notifications = [];
    private int _nextFile = 1;
    private int _nextEpisode = 1;

    internal ArrState(ArrSimulatorOptions options, SimClock clock)
    {
        Options = options;
        Clock = clock;
        Started = clock.GetUtcNow();
        Generate();
    }

    public ArrSimulatorOptions Options { get; }

    public SimClock Clock { get; }

    public DateTimeOffset Started { get; }

    public bool IsRadarr => Options.Flavor == ArrFlavor.Radarr;

    public string AppName => IsRadarr ? "Radarr" : "Sonarr";

    public string InstanceName => Options.InstanceName is { Length: > 0 } name ? name : AppName;

    public string Version => IsRadarr ? "5.27.5.10198" : "4.0.15.2941";

    public T Read<T>(Func<ArrState, T> read)
    {
        lock (_gate)
        {
            return read(this);
        }
    }

    public IReadOnlyList<ArrTag> Tags() => Read(s => (IReadOnlyList<ArrTag>)[.. s._tags]);

    public IReadOnlyList<ArrMovie> Movies() => Read(s => (IReadOnlyList<ArrMovie>)[.. s._movies.Values]);

    public ArrMovie? Movie(int id) => Read(s => s._movies.GetValueOrDefault(id));

    public IReadOnlyList<ArrSeries> Series() => Read(s => (IReadOnlyList<ArrSeries>)[.. s._series.Values]);

    public ArrSeries? OneSeries(int id) => Read(s => s._series.GetValueOrDefault(id));

    public IReadOnlyList<ArrEpisode> Episodes(Func<ArrEpisode, bool> filter) => Read(s => (IReadOnlyList<ArrEpisode>)[.. s._episodes.Values.Where(filter)]);

    public IReadOnlyList<ArrNotification> Notifications() => Read(s => (IReadOnlyList<ArrNotification>)[.. s._notifications.Values]);

    public ArrNotification? Notification(int id) => Read(s => s._notifications.GetValueOrDefault(id));

    /// <summary>Labels of <paramref name="ids"/>, sorted, as webhooks carry them.</summary>
    public IReadOnlyList<string> Labels(IEnumerable<int> ids) => Read(s => (IReadOnlyList<string>)[.. ids.Select(id => s._tags.FirstOrDefault(t => t.Id == id)?.Label).OfType<string>().Order(StringComparer.Ordinal)]);

    /// <summary>
    /// Creates a tag, or returns the one with that label: labels are stored lower-case; Radarr refuses anything outside
    /// <c>^[a-z0-9-]+$</c>. Returns null with <paramref name="error"/> when the label is refused.
    /// </summary>
    public ArrTag? AddTag(string? label, out string error)
    {
        error = string.Empty;
        var lower = (label ?? string.Empty).Trim().ToLowerInvariant();
        if (lower.Length == 0)
        {
            error = "Label must not be empty";
            return null;
        }

        if (IsRadarr && !RadarrLabel().IsMatch(lower))
        {
            error = "Allowed characters a-z, 0-9 and -";
            return null;
        }

        lock (_gate)
        {
            if (_tags.FirstOrDefault(t => t.Label == lower) is { } existing)
            {
                return existing;
            }

            var tag = new ArrTag(_tags.Count == 0 ? 1 : _tags.Max(t => t.Id) + 1, lower);
            _tags.Add(tag);
            return tag;
        }
    }

    /// <summary>Applies an editor's tag change: <c>add</c>, <c>remove</c> or <c>replace</c> (unknown ids are an error).</summary>
    public string? ApplyTags(SortedSet<int> tags, IReadOnlyList<int> change, string applyTags)
    {
        lock (_gate)
        {
            if (change.FirstOrDefault(id => _tags.All(t => t.Id != id)) is var unknown && unknown != 0)
            {
                return $"Tag {unknown} does not exist";
            }

            switch (applyTags)
            {
                case "add":
                    tags.UnionWith(change);
                    break;
                case "remove":
                    tags.ExceptWith(change);
                    break;
                case "replace":
                    tags.Clear();
                    tags.UnionWith(change);
                    break;
                default:
                    return $"applyTags must be add, remove or replace, not '{applyTags}'";
            }

            return null;
        }
    }

    /// <summary>Runs <paramref name="change"/> under the lock (editor, monitor and season pass writes).</summary>
    public T Write<T>(Func<ArrState, T> change)
    {
        lock (_gate)
        {
            return change(this);
        }
    }

    public ArrNotification SaveNotification(ArrNotification notification)
    {
        lock (_gate)
        {
            var id = notification.Id != 0 ? notification.Id : _notifications.Count == 0 ? 1 : _notifications.Keys.Max() + 1;
            var saved = notification with { Id = id };
            saved.Resource["id"] = id;
            _notifications[id] = saved;
            return saved;
        }
    }

    public bool DeleteNotification(int id)
    {
        lock (_gate)
        {
            return _notifications.Remove(id);
        }
    }

    /// <summary>Adds a movie (the control API's "add"), monitored and without a file.</summary>
    public ArrMovie AddMovie(string title, int year, int tmdbId, string? imdbId, IEnumerable<int> tags)
    {
        lock (_gate)
        {
            var movie = NewMovie(_movies.Count == 0 ? 1 : _movies.Keys.Max() + 1, title, year, tmdbId, imdbId, 0);
            movie.Tags.UnionWith(tags);
            _movies[movie.Id] = movie;
            return movie;
        }
    }

    /// <summary>Adds a series with <paramref name="seasons"/> seasons of <paramref name="episodes"/> episodes, monitored and without files.</summary>
    public ArrSeries AddSeries(string title, int year, int tvdbId, string? imdbId, int seasons, int episodes, IEnumerable<int> tags)
    {
        lock (_gate)
        {
            var series = NewSeries(_series.Count == 0 ? 1 : _series.Keys.Max() + 1, title, year, tvdbId, 0, imdbId, "standard");
            series.Tags.UnionWith(tags);
            for (var s = 1; s <= seasons; s++)
            {
                series.Seasons[s] = true;
                for (var e = 1; e <= episodes; e++)
                {
                    AddEpisode(series, s, e, $"Episode {e}", (tvdbId * 1000) + (s * 50) + e, 0);
                }
            }

            _series[series.Id] = series;
            return series;
        }
    }

    /// <summary>Gives a movie (or episodes) a file, as an import does; returns the file id.</summary>
    public int Import(ArrMovie? movie, IReadOnlyList<ArrEpisode> episodes)
    {
        lock (_gate)
        {
            var file = _nextFile++;
            if (movie is not null)
            {
                movie.MovieFileId = file;
                movie.SizeOnDisk = 4_000_000_000L + (file * 1_000L);
            }

            foreach (var episode in episodes)
            {
                episode.EpisodeFileId = file;
            }

            return file;
        }
    }

    /// <summary>Removes a movie, or a series with its episodes.</summary>
    public bool Remove(int id)
    {
        lock (_gate)
        {
            if (IsRadarr)
            {
                return _movies.Remove(id);
            }

            foreach (var episode in _episodes.Values.Where(e => e.SeriesId == id).ToList())
            {
                _episodes.Remove(episode.Id);
            }

            return _series.Remove(id);
        }
    }

    public int NextFileId()
    {
        lock (_gate)
        {
            return _nextFile++;
        }
    }

    /// <summary>An id from a Plex-style external guid list (<c>tmdb://123</c>), or 0.</summary>
    internal static int IdOf(string[] guids, string scheme)
    {
        foreach (var guid in guids)
        {
            if (guid.StartsWith(scheme + "://", StringComparison.Ordinal) && int.TryParse(guid.AsSpan(scheme.Length + 3), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return id;
            }
        }

        return 0;
    }

    internal static string? ImdbOf(string[] guids) =>
        guids.FirstOrDefault(g => g.StartsWith("imdb://", StringComparison.Ordinal))?["imdb://".Length..];

    [GeneratedRegex("^[a-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RadarrLabel();

    private void Generate()
    {
        var plex = new LibraryGenerator(new PlexSimulatorOptions { Seed = Options.Seed, Movies = IsRadarr ? Options.Movies : 0, Shows = IsRadarr ? 0 : Options.Shows, LegacyShare = 0 }).Generate();
        if (IsRadarr)
        {
            var id = 1;
            foreach (var source in plex.Where(i => i is { Type: ItemType.Movie, SectionId: 1, EditionTitle: null }))
            {
                var movie = NewMovie(id++, source.Title, source.Year, IdOf(source.SourceIds, "tmdb"), ImdbOf(source.SourceIds), (int)(source.Duration / 60_000));
                movie.MovieFileId = _nextFile++;
                movie.SizeOnDisk = source.Duration * 1_000;
                _movies[movie.Id] = movie;
            }

            // Wanted, not downloaded: monitored, no file, ids no Plex title of this seed has.
            for (var i = 0; i < Options.Missing; i++)
            {
                var movie = NewMovie(id++, $"Awaited Premiere {i + 1}", 2026, 900_000 + i, $"tt{9_000_000 + i:D7}", 100);
                _movies[movie.Id] = movie;
            }

            return;
        }

        var seriesId = 1;
        var byShow = new Dictionary<int, ArrSeries>();
        var fileByPart = new Dictionary<int, int>();
        foreach (var source in plex)
        {
            switch (source.Type)
            {
                case ItemType.Show:
                    var anime = source.SectionId == 4;
                    var series = NewSeries(seriesId++, source.Title, source.Year, IdOf(source.SourceIds, "tvdb"), IdOf(source.SourceIds, "tmdb"), ImdbOf(source.SourceIds), anime ? "anime" : "standard");
                    byShow[source.RatingKey] = series;
                    _series[series.Id] = series;
                    break;
                case ItemType.Season when source.Parent is { } show && byShow.TryGetValue(show.RatingKey, out var owner):
                    owner.Seasons[source.Index] = true;
                    break;
                case ItemType.Episode when source.Parent?.Parent is { } show && byShow.TryGetValue(show.RatingKey, out var owner):
                    // A multi-episode file is one episode file for all its episodes.
                    var file = source.PartId != 0 && fileByPart.TryGetValue(source.PartId, out var shared) ? shared : _nextFile++;
                    if (source.PartId != 0)
                    {
                        fileByPart[source.PartId] = file;
                    }

                    AddEpisode(owner, source.Parent.Index, source.Index, source.Title, IdOf(source.SourceIds, "tvdb"), file);
                    break;
            }
        }

        for (var i = 0; i < Options.Missing; i++)
        {
            var series = NewSeries(seriesId++, $"Awaited Series {i + 1}", 2026, 9_000_000 + i, 0, null, "standard");
            series.Seasons[1] = true;
            _series[series.Id] = series;
            for (var e = 1; e <= 6; e++)
            {
                AddEpisode(series, 1, e, $"Episode {e}", ((9_000_000 + i) * 10) + e, 0);
            }
        }
    }

    private ArrMovie NewMovie(int id, string title, int year, int tmdbId, string? imdbId, int runtime)
    {
        var folder = $"{title} ({year})";
        return new ArrMovie
        {
            Id = id,
            Title = title,
            Year = year,
            TmdbId = tmdbId,
            ImdbId = imdbId,
            Path = "/data/media/movies/" + folder,
            RootFolderPath = "/data/media/movies",
            Runtime = runtime,
            Added = Clock.GetUtcNow().AddDays(-id % 900),
        };
    }

    private ArrSeries NewSeries(int id, string title, int year, int tvdbId, int tmdbId, string? imdbId, string type)
    {
        var root = type == "anime" ? "/data/media/anime" : "/data/media/tv";
        return new ArrSeries
        {
            Id = id,
            Title = title,
            Year = year,
            TvdbId = tvdbId,
            TmdbId = tmdbId,
            ImdbId = imdbId,
            Path = $"{root}/{title}",
            RootFolderPath = root,
            SeriesType = type,
            Added = Clock.GetUtcNow().AddDays(-id % 900),
        };
    }

    private void AddEpisode(ArrSeries series, int season, int episode, string title, int tvdbId, int file)
    {
        var id = _nextEpisode++;
        _episodes[id] = new ArrEpisode
        {
            Id = id,
            SeriesId = series.Id,
            TvdbId = tvdbId,
            SeasonNumber = season,
            EpisodeNumber = episode,
            Title = title,
            AirDate = new DateOnly(Math.Max(1950, series.Year), 1, 1).AddDays((season - 1) * 365 + (episode * 7)),
            EpisodeFileId = file,
            Runtime = 45,
        };
    }
}
