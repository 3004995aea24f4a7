using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Marquee.Simulators.Arr.Model;

namespace Marquee.Simulators.Arr;

/// <summary>
/// Sends what the application's Webhook connection sends (ARR-AND-NOTIFY-API.md sections 1 and 2): one JSON object per event,
/// camelCase with a PascalCase <c>eventType</c>, nulls omitted, to every connection that asked for the event, by its method,
/// with its headers and Basic credentials. There is no retry: a failed delivery is recorded and dropped.
/// </summary>
public sealed class ArrWebhooks : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ArrState _state;
    private readonly IHttpClientFactory _http;
    private readonly ConcurrentQueue<ArrWebhookDelivery> _deliveries = new();
    private readonly List<Task> _pending = [];
    private readonly Lock _gate = new();
    private Task _last = Task.CompletedTask;

    internal ArrWebhooks(ArrState state, IHttpClientFactory http)
    {
        _state = state;
        _http = http;
    }

    public IReadOnlyList<ArrWebhookDelivery> Deliveries => [.. _deliveries];

    /// <summary>Sends the <c>Test</c> event to a connection being saved; null when the receiver answered 2xx, else why not.</summary>
    public async Task<string?> SendTestAsync(ArrNotification notification, CancellationToken ct)
    {
        var delivery = await SendAsync(notification, "Test", TestPayload(), ct);
        return delivery.Status is >= 200 and < 300 ? null : delivery.Status == 0 ? "the receiver did not answer" : $"the receiver answered {delivery.Status}";
    }

    /// <summary>Sends <paramref name="payload"/> to every connection that asked for <paramref name="trigger"/>, in the background.</summary>
    public void Publish(string trigger, JsonObject payload)
    {
        // The application sends one event after the other, in the order they happened.
        foreach (var notification in _state.Notifications().Where(n => n.Wants(trigger)))
        {
            var eventType = (string)payload["eventType"]!;
            var body = (JsonObject)payload.DeepClone();
            lock (_gate)
            {
                _pending.RemoveAll(t => t.IsCompleted);
                _last = AfterAsync(_last, () => SendAsync(notification, eventType, body, CancellationToken.None));
                _pending.Add(_last);
            }
        }
    }

    private static async Task AfterAsync(Task previous, Func<Task> next)
    {
        await previous;
        await next();
    }

    public async Task WaitIdleAsync(CancellationToken ct)
    {
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _pending];
        }

        await Task.WhenAll(pending).WaitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await WaitIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>The envelope every event carries; <c>applicationUrl</c> is omitted when it is not configured.</summary>
    public JsonObject Envelope(string eventType)
    {
        var node = new JsonObject { ["eventType"] = eventType, ["instanceName"] = _state.InstanceName };
        if (_state.Options.ApplicationUrl is { Length: > 0 } url)
        {
            node["applicationUrl"] = url;
        }

        return node;
    }

    /// <summary>Radarr <c>MovieAdded</c> / Sonarr <c>SeriesAdd</c>.</summary>
    public JsonObject Added(ArrMovie? movie, ArrSeries? series, string addMethod)
    {
        if (movie is not null)
        {
            var node = Envelope("MovieAdded");
            node["movie"] = ArrJson.WebhookMovie(_state, movie);
            node["addMethod"] = addMethod;
            return node;
        }

        var added = Envelope("SeriesAdd");
        added["series"] = ArrJson.WebhookSeries(_state, series!);
        return added;
    }

    /// <summary><c>Download</c> of one imported file (Radarr's movie file, or Sonarr's episode file covering <paramref name="episodes"/>).</summary>
    public JsonObject Download(ArrMovie? movie, ArrSeries? series, IReadOnlyList<ArrEpisode> episodes, int fileId, bool upgrade)
    {
        var node = Envelope("Download");
        var release = $"{movie?.Title ?? series!.Title}.1080p.BluRay.x264-SIM".Replace(' ', '.');
        string path;
        if (movie is not null)
        {
            path = $"{movie.Path}/{ArrJson.FileName(movie)}";
            node["movie"] = ArrJson.WebhookMovie(_state, movie, path);
            node["remoteMovie"] = new JsonObject { ["tmdbId"] = movie.TmdbId, ["imdbId"] = movie.ImdbId, ["title"] = movie.Title, ["year"] = movie.Year }.WithoutNulls();
            node["movieFile"] = File(fileId, ArrJson.FileName(movie), path, release);
        }
        else
        {
            var first = episodes[0];
            var name = $"{series!.Title} - S{first.SeasonNumber:D2}{string.Concat(episodes.Select(e => $"E{e.EpisodeNumber:D2}"))} [Bluray-1080p].mkv";
            path = $"{series.Path}/Season {first.SeasonNumber:D2}/{name}";
            node["series"] = ArrJson.WebhookSeries(_state, series);
            node["episodes"] = new JsonArray([.. episodes.Select(e => (JsonNode)ArrJson.WebhookEpisode(e))]);
            node["episodeFile"] = File(fileId, $"Season {first.SeasonNumber:D2}/{name}", path, release);
        }

        node["isUpgrade"] = upgrade;
        if (upgrade)
        {
            // The replaced file: the file's shape without sourcePath, with where the recycle bin keeps it.
            var old = path.Replace("Bluray-1080p", "WEBDL-720p", StringComparison.Ordinal);
            var deleted = File(fileId - 1, Path.GetFileName(old), old, release);
            deleted.Remove("sourcePath");
            deleted["quality"] = "WEBDL-720p";
            deleted["recycleBinPath"] = "/data/recycle/" + Path.GetFileName(old);
            node["deletedFiles"] = new JsonArray(deleted);
        }

        node["downloadClient"] = "qBittorrent";
        node["downloadClientType"] = "qBittorrent";
        // A torrent client's download id: 40 hex digits (an info hash).
        node["downloadId"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(release + fileId.ToString(CultureInfo.InvariantCulture))))[..40];
        node["customFormatInfo"] = new JsonObject { ["customFormats"] = new JsonArray(new JsonObject { ["id"] = 12, ["name"] = "x264" }), ["customFormatScore"] = 25 };
        node["release"] = movie is not null
            ? new JsonObject { ["releaseTitle"] = release, ["indexer"] = "Simulated Indexer", ["size"] = 4_000_000_000L, ["indexerFlags"] = new JsonArray() }
            : new JsonObject { ["releaseTitle"] = release, ["indexer"] = "Simulated Indexer", ["size"] = 4_000_000_000L, ["releaseType"] = episodes.Count > 1 ? "multiEpisode" : "singleEpisode" };
        return node;
    }

    /// <summary>Radarr <c>MovieDelete</c> / Sonarr <c>SeriesDelete</c>.</summary>
    public JsonObject Deleted(ArrMovie? movie, ArrSeries? series, bool deletedFiles)
    {
        var node = Envelope(movie is not null ? "MovieDelete" : "SeriesDelete");
        if (movie is not null)
        {
            node["movie"] = ArrJson.WebhookMovie(_state, movie);
        }
        else
        {
            node["series"] = ArrJson.WebhookSeries(_state, series!);
        }

        node["deletedFiles"] = deletedFiles;
        if (movie is not null && deletedFiles)
        {
            node["movieFolderSize"] = movie.SizeOnDisk;
        }

        return node;
    }

    /// <summary>The dummy payload of a <c>Test</c> (Radarr: movie id 1 "Test Title"; Sonarr: series tvdbId 1234 and one episode).</summary>
    private JsonObject TestPayload()
    {
        var node = Envelope("Test");
        if (_state.IsRadarr)
        {
            node["movie"] = new JsonObject
            {
                ["id"] = 1,
                ["title"] = "Test Title",
                ["year"] = 1970,
                ["releaseDate"] = "1970-01-01",
                ["folderPath"] = "C:\\testpath",
                ["tmdbId"] = 0,
                ["tags"] = new JsonArray("test-tag"),
            };
            node["remoteMovie"] = new JsonObject { ["tmdbId"] = 1234, ["imdbId"] = "5678", ["title"] = "Test title", ["year"] = 1970 };
            node["release"] = new JsonObject
            {
                ["quality"] = "Test Quality",
                ["qualityVersion"] = 1,
                ["releaseGroup"] = "Test Group",
                ["releaseTitle"] = "Test Title",
                ["indexer"] = "Test Indexer",
                ["size"] = 9999999,
                ["customFormatScore"] = 0,
            };
            return node;
        }

        node["series"] = new JsonObject
        {
            ["id"] = 1,
            ["title"] = "Test Title",
            ["path"] = "C:\\testpath",
            ["tvdbId"] = 1234,
            ["tvMazeId"] = 0,
            ["tmdbId"] = 0,
            ["type"] = "standard",
            ["year"] = 0,
            ["tags"] = new JsonArray("test-tag"),
        };
        node["episodes"] = new JsonArray(new JsonObject
        {
            ["id"] = 123,
            ["episodeNumber"] = 1,
            ["seasonNumber"] = 1,
            ["title"] = "Test title",
            ["seriesId"] = 0,
            ["tvdbId"] = 0,
        });
        return node;
    }

    private JsonObject File(int id, string relativePath, string path, string release) => new JsonObject
    {
        ["id"] = id,
        ["relativePath"] = relativePath,
        ["path"] = path,
        ["quality"] = "Bluray-1080p",
        ["qualityVersion"] = 1,
        ["releaseGroup"] = "SIM",
        ["sceneName"] = release,
        ["indexerFlags"] = _state.IsRadarr ? "0" : null,
        ["size"] = 4_000_000_000L,
        ["dateAdded"] = ArrJson.Date(_state.Clock.GetUtcNow()),
        ["languages"] = new JsonArray(new JsonObject { ["id"] = 1, ["name"] = "English" }),
        ["mediaInfo"] = new JsonObject
        {
            ["audioChannels"] = 5.1,
            ["audioCodec"] = "DTS",
            ["audioLanguages"] = new JsonArray("eng"),
            ["height"] = 1080,
            ["width"] = 1920,
            ["subtitles"] = new JsonArray("eng"),
            ["videoCodec"] = "x264",
            ["videoDynamicRange"] = string.Empty,
            ["videoDynamicRangeType"] = string.Empty,
        },
        ["sourcePath"] = $"/data/downloads/complete/{release}/{Path.GetFileName(path)}",
    }.WithoutNulls();

    private async Task<ArrWebhookDelivery> SendAsync(ArrNotification notification, string eventType, JsonObject payload, CancellationToken ct)
    {
        var body = payload.ToJsonString();
        var status = 0;
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(notification.Method), notification.Url)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.UserAgent.ParseAdd($"{_state.AppName}/{_state.Version}");
            if (notification.Username is not null || notification.Password is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{notification.Username}:{notification.Password}")));
            }

            foreach (var (key, value) in notification.Headers)
            {
                request.Headers.TryAddWithoutValidation(key, value);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            using var response = await _http.CreateClient("arr-webhooks").SendAsync(request, timeout.Token);
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // The application logs the failure and drops the delivery; so does the simulator.
        }

        var delivery = new ArrWebhookDelivery(notification.Id, eventType, notification.Method, notification.Url, body, status, _state.Clock.GetUtcNow());
        _deliveries.Enqueue(delivery);
        return delivery;
    }
}
