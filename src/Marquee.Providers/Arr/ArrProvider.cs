using System.Globalization;
using System.Text.Json.Nodes;
using Marquee.Core.Providers;
using Marquee.Providers.Arr.Models;
using Marquee.Providers.Http;

namespace Marquee.Providers.Arr;

/// <summary>
/// A Radarr or Sonarr connection. The connection test reads the system status and checks it is the application the kind
/// names. Reads are whole listings (one request per listing, never one per item); tag edits go through the editors with
/// <c>applyTags</c> add or remove, so tags Marquee does not own are never replaced.
/// </summary>
public abstract partial class ArrProvider(ArrClient client, TimeSpan testTimeout, TimeProvider time) : IProvider
{
    /// <summary>The name Marquee's webhook connection has in the application; registering again finds and updates it.</summary>
    public const string WebhookName = "Marquee";

    public ArrClient Client => client;

    public async Task<IReadOnlyList<FieldProblem>> TestAsync(CancellationToken cancellationToken)
    {
        try
        {
            var status = await ProviderHttpClient.WithinAsync(testTimeout, time, () => ReadStatusAsync(cancellationToken));
            return string.Equals(status.AppName, client.Product, StringComparison.OrdinalIgnoreCase)
                ? []
                : [new FieldProblem("url", $"this URL is {status.AppName} '{status.InstanceName}', not {client.Product}: add it as a '{status.AppName!.ToLowerInvariant()}' connection, or give the {client.Product} URL.")];
        }
        catch (ProviderException ex)
        {
            return ProviderHttp.TestProblems(ex, "url", "apiKey", client.Product);
        }
    }

    /// <summary>Reads the system status: application name, instance name and version.</summary>
    public async Task<ArrSystemStatus> ReadStatusAsync(CancellationToken cancellationToken)
    {
        var status = await client.GetAsync("/api/v3/system/status", "system/status", ArrJson.Default.ArrSystemStatus, cancellationToken);
        if (string.IsNullOrEmpty(status.AppName) || string.IsNullOrEmpty(status.Version))
        {
            throw client.Unexpected("/api/v3/system/status", $"the answer is JSON but not {client.Product}'s system status (no appName, no version)");
        }

        return status;
    }

    /// <summary>Reads every tag in one request.</summary>
    public Task<IReadOnlyList<ArrTag>> ReadTagsAsync(CancellationToken cancellationToken) =>
        client.GetAsync("/api/v3/tag", "tag", ArrJson.Default.IReadOnlyListArrTag, cancellationToken);

    /// <summary>Adds <paramref name="label"/> to the items (creating the tag when it does not exist); their other tags stay.</summary>
    public async Task AddTagAsync(string label, IReadOnlyList<int> itemIds, CancellationToken cancellationToken)
    {
        if (itemIds.Count == 0)
        {
            return;
        }

        // The application answers an existing label with the tag it has, so this never makes a second one.
        var tag = await client.WriteAsync(HttpMethod.Post, "/api/v3/tag", "tag", new ArrTagRequest(label.ToLowerInvariant()), ArrJson.Default.ArrTagRequest, ArrJson.Default.ArrTag, cancellationToken);
        await EditTagsAsync(itemIds, tag.Id, "add", cancellationToken);
    }

    /// <summary>Removes <paramref name="label"/> from the items, when the tag exists; their other tags stay.</summary>
    public async Task RemoveTagAsync(string label, IReadOnlyList<int> itemIds, CancellationToken cancellationToken)
    {
        if (itemIds.Count == 0)
        {
            return;
        }

        var tag = (await ReadTagsAsync(cancellationToken)).FirstOrDefault(t => string.Equals(t.Label, label, StringComparison.OrdinalIgnoreCase));
        if (tag is not null)
        {
            await EditTagsAsync(itemIds, tag.Id, "remove", cancellationToken);
        }
    }

    /// <summary>
    /// Registers Marquee's webhook in the application through its notification API: the entry named <see cref="WebhookName"/>
    /// is updated when there is one, else added. The application sends a Test to the URL and refuses the save unless it
    /// answers 2xx. Returns the entry's id and whether it was added.
    /// </summary>
    public async Task<(int Id, bool Added)> RegisterWebhookAsync(Uri url, CancellationToken cancellationToken)
    {
        var existing = (await client.GetAsync("/api/v3/notification", "notification", ArrJson.Default.IReadOnlyListArrNotificationSummary, cancellationToken))
            .FirstOrDefault(n => string.Equals(n.Name, WebhookName, StringComparison.OrdinalIgnoreCase) && string.Equals(n.Implementation, "Webhook", StringComparison.OrdinalIgnoreCase));
        var body = WebhookResource(url, existing?.Id);
        if (existing is null)
        {
            var added = await client.WriteAsync(HttpMethod.Post, "/api/v3/notification", "notification", body, ArrJson.Default.JsonObject, ArrJson.Default.ArrNotificationSummary, cancellationToken);
            return (added.Id, true);
        }

        var id = existing.Id.ToString(CultureInfo.InvariantCulture);
        await client.WriteAsync(HttpMethod.Put, "/api/v3/notification/{id}", "notification/" + id, body, ArrJson.Default.JsonObject, cancellationToken);
        return (existing.Id, false);
    }

    /// <summary>The switches this application's webhook turns on.</summary>
    protected abstract IEnumerable<string> WebhookSwitches { get; }

    protected abstract Task EditTagsAsync(IReadOnlyList<int> itemIds, int tagId, string apply, CancellationToken cancellationToken);

    private JsonObject WebhookResource(Uri url, int? id)
    {
        var resource = new JsonObject
        {
            ["name"] = WebhookName,
            ["implementation"] = "Webhook",
            ["configContract"] = "WebhookSettings",
            ["tags"] = new JsonArray(),
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "url", ["value"] = url.AbsoluteUri },
                new JsonObject { ["name"] = "method", ["value"] = 1 },
                new JsonObject { ["name"] = "username", ["value"] = string.Empty },
                new JsonObject { ["name"] = "password", ["value"] = string.Empty },
                new JsonObject { ["name"] = "headers", ["value"] = new JsonArray() }),
        };
        if (id is { } known)
        {
            resource["id"] = known;
        }

        foreach (var name in WebhookSwitches)
        {
            resource[name] = true;
        }

        return resource;
    }
}

/// <summary>A Radarr connection (movies).</summary>
public sealed class RadarrProvider(ArrClient client, TimeSpan testTimeout, TimeProvider time) : ArrProvider(client, testTimeout, time)
{
    protected override IEnumerable<string> WebhookSwitches => ["onGrab", "onDownload", "onUpgrade", "onRename", "onMovieAdded", "onMovieDelete", "onMovieFileDelete"];

    /// <summary>Reads every movie in one request.</summary>
    public Task<IReadOnlyList<ArrMovie>> ReadMoviesAsync(CancellationToken cancellationToken) =>
        Client.GetAsync("/api/v3/movie", "movie", ArrJson.Default.IReadOnlyListArrMovie, cancellationToken);

    /// <summary>Finds the movies with a TMDB id (one request; the application answers a list).</summary>
    public Task<IReadOnlyList<ArrMovie>> FindMoviesAsync(int tmdbId, CancellationToken cancellationToken) =>
        Client.GetAsync("/api/v3/movie", "movie?tmdbId=" + tmdbId.ToString(CultureInfo.InvariantCulture), ArrJson.Default.IReadOnlyListArrMovie, cancellationToken);

    /// <summary>Reads one movie.</summary>
    public Task<ArrMovie> ReadMovieAsync(int id, CancellationToken cancellationToken) =>
        Client.GetAsync("/api/v3/movie/{id}", "movie/" + id.ToString(CultureInfo.InvariantCulture), ArrJson.Default.ArrMovie, cancellationToken);

    /// <summary>Sets the monitored flag of several movies in one request.</summary>
    public Task SetMonitoredAsync(IReadOnlyList<int> movieIds, bool monitored, CancellationToken cancellationToken) =>
        Client.WriteAsync(HttpMethod.Put, "/api/v3/movie/editor", "movie/editor", new ArrMovieEditor(movieIds, Monitored: monitored), ArrJson.Default.ArrMovieEditor, cancellationToken);

    protected override Task EditTagsAsync(IReadOnlyList<int> itemIds, int tagId, string apply, CancellationToken cancellationToken) =>
        Client.WriteAsync(HttpMethod.Put, "/api/v3/movie/editor", "movie/editor", new ArrMovieEditor(itemIds, Tags: [tagId], ApplyTags: apply), ArrJson.Default.ArrMovieEditor, cancellationToken);
}

/// <summary>A Sonarr connection (series and episodes).</summary>
public sealed class SonarrProvider(ArrClient client, TimeSpan testTimeout, TimeProvider time) : ArrProvider(client, testTimeout, time)
{
    /// <summary>How many series' episode listings are read at once.</summary>
    public const int EpisodeReadsAtOnce = 4;

    protected override IEnumerable<string> WebhookSwitches => ["onGrab", "onDownload", "onUpgrade", "onRename", "onSeriesAdd", "onSeriesDelete", "onEpisodeFileDelete"];

    /// <summary>Reads every series in one request.</summary>
    public Task<IReadOnlyList<ArrSeries>> ReadSeriesAsync(CancellationToken cancellationToken) =>
        Client.GetAsync("/api/v3/series", "series", ArrJson.Default.IReadOnlyListArrSeries, cancellationToken);

    /// <summary>Finds the series with a TVDB id (one request; the application answers a list).</summary>
    public Task<IReadOnlyList<ArrSeries>> FindSeriesAsync(int tvdbId, CancellationToken cancellationToken) =>
        Client.GetAsync("/api/v3/series", "series?tvdbId=" + tvdbId.ToString(CultureInfo.InvariantCulture), ArrJson.Default.IReadOnlyListArrSeries, cancellationToken);

    /// <summary>Reads one series (with its seasons' flags).</summary>
    public Task<ArrSeries> ReadOneSeriesAsync(int id, CancellationToken cancellationToken) =>
        Client.GetAsync("/api/v3/series/{id}", "series/" + id.ToString(CultureInfo.InvariantCulture), ArrJson.Default.ArrSeries, cancellationToken);

    /// <summary>Reads one episode.</summary>
    public Task<ArrEpisode> ReadEpisodeAsync(int id, CancellationToken cancellationToken) =>
        Client.GetAsync("/api/v3/episode/{id}", "episode/" + id.ToString(CultureInfo.InvariantCulture), ArrJson.Default.ArrEpisode, cancellationToken);

    /// <summary>Reads the episodes of one season of a series in one request.</summary>
    public Task<IReadOnlyList<ArrEpisode>> ReadSeasonAsync(int seriesId, int seasonNumber, CancellationToken cancellationToken) =>
        Client.GetAsync("/api/v3/episode", $"episode?seriesId={seriesId.ToString(CultureInfo.InvariantCulture)}&seasonNumber={seasonNumber.ToString(CultureInfo.InvariantCulture)}", ArrJson.Default.IReadOnlyListArrEpisode, cancellationToken);

    /// <summary>Reads the episodes of one series in one request.</summary>
    public Task<IReadOnlyList<ArrEpisode>> ReadEpisodesAsync(int seriesId, CancellationToken cancellationToken) =>
        Client.GetAsync("/api/v3/episode", "episode?seriesId=" + seriesId.ToString(CultureInfo.InvariantCulture), ArrJson.Default.IReadOnlyListArrEpisode, cancellationToken);

    /// <summary>Reads the episodes of every given series: one request per series, a few at once.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<ArrEpisode>>> ReadEpisodesAsync(IEnumerable<int> seriesIds, CancellationToken cancellationToken)
    {
        var episodes = new System.Collections.Concurrent.ConcurrentDictionary<int, IReadOnlyList<ArrEpisode>>();
        await Parallel.ForEachAsync(
            seriesIds.Distinct(),
            new ParallelOptions { MaxDegreeOfParallelism = EpisodeReadsAtOnce, CancellationToken = cancellationToken },
            async (id, ct) => episodes[id] = await ReadEpisodesAsync(id, ct));
        return episodes;
    }

    /// <summary>Sets the monitored flag of several episodes in one request.</summary>
    public Task SetEpisodesMonitoredAsync(IReadOnlyList<int> episodeIds, bool monitored, CancellationToken cancellationToken) =>
        Client.WriteAsync(HttpMethod.Put, "/api/v3/episode/monitor", "episode/monitor", new ArrEpisodeMonitor(episodeIds, monitored), ArrJson.Default.ArrEpisodeMonitor, cancellationToken);

    /// <summary>Sets the monitored flag of one season (and, as the season pass does, of its episodes).</summary>
    public Task SetSeasonMonitoredAsync(int seriesId, int seasonNumber, bool monitored, CancellationToken cancellationToken) =>
        Client.WriteAsync(HttpMethod.Post, "/api/v3/seasonpass", "seasonpass", new ArrSeasonPass([new ArrSeasonPassSeries(seriesId, [new ArrSeason(seasonNumber, monitored)])]), ArrJson.Default.ArrSeasonPass, cancellationToken);

    protected override Task EditTagsAsync(IReadOnlyList<int> itemIds, int tagId, string apply, CancellationToken cancellationToken) =>
        Client.WriteAsync(HttpMethod.Put, "/api/v3/series/editor", "series/editor", new ArrSeriesEditor(itemIds, Tags: [tagId], ApplyTags: apply), ArrJson.Default.ArrSeriesEditor, cancellationToken);
}
