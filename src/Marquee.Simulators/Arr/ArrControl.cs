using Marquee.Simulators.Arr.Model;
using Marquee.Simulators.Infrastructure;

namespace Marquee.Simulators.Arr;

/// <summary>What tests, the demo and users' scripts do to the simulated application: add and import items (each sends its webhook), faults, counts.</summary>
public sealed class ArrControl
{
    internal ArrControl(ArrState state, SimHarness harness, ArrWebhooks webhooks)
    {
        State = state;
        Harness = harness;
        Webhooks = webhooks;
    }

    public ArrState State { get; }

    public SimHarness Harness { get; }

    public ArrWebhooks Webhooks { get; }

    public IReadOnlyDictionary<string, long> RequestCounts => Harness.RequestCounts;

    public void SetFault(string endpoint, FaultSpec? spec) => Harness.SetFault(endpoint, spec);

    /// <summary>Adds a movie (Radarr) with the tags of these labels (created when missing) and sends <c>MovieAdded</c>.</summary>
    public ArrMovie AddMovie(string title, int year, int tmdbId, string? imdbId, IEnumerable<string> tags, string addMethod = "manual")
    {
        Require(ArrFlavor.Radarr, "movies");
        var movie = State.AddMovie(title, year, tmdbId, imdbId, TagIds(tags));
        Webhooks.Publish("MovieAdded", Webhooks.Added(movie, null, addMethod));
        return movie;
    }

    /// <summary>Adds a series (Sonarr) and sends <c>SeriesAdd</c>.</summary>
    public ArrSeries AddSeries(string title, int year, int tvdbId, int seasons, int episodes, IEnumerable<string> tags, string? imdbId = null)
    {
        Require(ArrFlavor.Sonarr, "series");
        var series = State.AddSeries(title, year, tvdbId, imdbId, seasons, episodes, TagIds(tags));
        Webhooks.Publish("SeriesAdd", Webhooks.Added(null, series, "manual"));
        return series;
    }

    /// <summary>Imports a file for a movie, or one file for these episodes of a series, and sends <c>Download</c> (an upgrade when asked).</summary>
    public int Import(int? movieId, int? seriesId, IReadOnlyList<int> episodeIds, bool upgrade)
    {
        if (State.IsRadarr)
        {
            var movie = State.Movie(movieId ?? 0) ?? throw new KeyNotFoundException($"no movie with id {movieId}");
            var file = State.Import(movie, []);
            Webhooks.Publish(upgrade ? "Upgrade" : "Download", Webhooks.Download(movie, null, [], file, upgrade));
            return file;
        }

        var series = State.OneSeries(seriesId ?? 0) ?? throw new KeyNotFoundException($"no series with id {seriesId}");
        var wanted = episodeIds.ToHashSet();
        var episodes = State.Episodes(e => e.SeriesId == series.Id && wanted.Contains(e.Id));
        if (episodes.Count == 0 || episodes.Count != wanted.Count)
        {
            throw new KeyNotFoundException($"episodeIds must name episodes of series {series.Id}");
        }

        var fileId = State.Import(null, episodes);
        Webhooks.Publish(upgrade ? "Upgrade" : "Download", Webhooks.Download(null, series, episodes, fileId, upgrade));
        return fileId;
    }

    /// <summary>Deletes a movie or a series and sends <c>MovieDelete</c> / <c>SeriesDelete</c>.</summary>
    public bool Delete(int id, bool deleteFiles)
    {
        var movie = State.IsRadarr ? State.Movie(id) : null;
        var series = State.IsRadarr ? null : State.OneSeries(id);
        if (movie is null && series is null)
        {
            return false;
        }

        var payload = Webhooks.Deleted(movie, series, deleteFiles);
        State.Remove(id);
        Webhooks.Publish(State.IsRadarr ? "MovieDelete" : "SeriesDelete", payload);
        return true;
    }

    /// <summary>Monitored flags and tag labels of every item, for checks.</summary>
    public object Dump() => State.Read(s => s.IsRadarr
        ? (object)new
        {
            movies = s.Movies().Select(m => new { m.Id, m.Title, m.TmdbId, m.Monitored, m.HasFile, tags = s.Labels(m.Tags) }),
        }
        : new
        {
            series = s.Series().Select(x => new
            {
                x.Id,
                x.Title,
                x.TvdbId,
                x.Monitored,
                tags = s.Labels(x.Tags),
                seasons = x.Seasons.Select(p => new { seasonNumber = p.Key, monitored = p.Value }),
                episodes = s.Episodes(e => e.SeriesId == x.Id).Select(e => new { e.Id, e.SeasonNumber, e.EpisodeNumber, e.TvdbId, e.Monitored, e.HasFile }),
            }),
        });

    private List<int> TagIds(IEnumerable<string> labels)
    {
        var ids = new List<int>();
        foreach (var label in labels)
        {
            ids.Add((State.AddTag(label, out var error) ?? throw new ArgumentException($"tag '{label}': {error}", nameof(labels))).Id);
        }

        return ids;
    }

    private void Require(ArrFlavor flavor, string what)
    {
        if (State.Options.Flavor != flavor)
        {
            throw new InvalidOperationException($"{State.AppName} has no {what}");
        }
    }
}
