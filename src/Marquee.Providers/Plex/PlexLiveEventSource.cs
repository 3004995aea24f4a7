using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Marquee.Core.Connections;
using Marquee.Core.Live;
using Marquee.Core.Providers;
using Marquee.Core.Webhooks;
using Marquee.Providers.Plex.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Plex;

/// <summary>
/// For every Plex connection: an event-stream listener (<c>/:/websockets/notifications</c>, reconnecting with
/// back-off) and a session poller (<c>/status/sessions</c>). Both feed one <see cref="PlaybackTracker"/> per server;
/// the events go to the publisher. The polls and the identity call go through a <see cref="PlexClient"/> on the live
/// named client (no redirects, capped answers), sent once each: the next poll is the retry.
/// </summary>
internal sealed partial class PlexLiveEventSource(
    IServiceScopeFactory scopes,
    IHttpClientFactory http,
    PlexServerIdentity identity,
    ServerDirectory directory,
    Marquee.Core.Notifications.MarqueeEvents events,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock,
    ILogger<PlexLiveEventSource> logger) : ILiveEventSource
{
    private readonly Dictionary<long, Watcher> _watchers = [];
    private readonly IHttpClientFactory _http = http;
    private readonly PlexServerIdentity _identity = identity;
    private readonly ServerDirectory _directory = directory;
    private readonly IOptionsMonitor<WebhookOptions> _options = options;
    private readonly TimeProvider _clock = clock;
    private readonly Marquee.Core.Notifications.MarqueeEvents _events = events;
    private readonly ILogger _logger = logger;

    public string Kind => PlexClient.ProviderName;

    public async Task RunAsync(ILiveEventPublisher publisher, CancellationToken stoppingToken)
    {
        var live = _options.CurrentValue.Live;
        if (!live.EventStream && !live.SessionPoller)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RefreshAsync(publisher, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.RefreshFailed(_logger, ex.Message);
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.1, _options.CurrentValue.Live.ConnectionRefreshSeconds)), _clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var watcher in _watchers.Values)
            {
                await watcher.StopAsync();
            }
        }
    }

    private async Task RefreshAsync(ILiveEventPublisher publisher, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        var current = new Dictionary<long, PlexSettings>();
        var names = new Dictionary<long, string>();
        foreach (var view in (await connections.ListAsync(ct)).Where(c => c.Kind == "plex"))
        {
            if (await connections.GetSettingsAsync(view.Id.ToString(CultureInfo.InvariantCulture), ct) is PlexSettings settings)
            {
                current[view.Id] = settings;
                names[view.Id] = view.Name;
            }
        }

        foreach (var (id, watcher) in _watchers.Where(w => !current.TryGetValue(w.Key, out var s) || s != w.Value.Settings).ToList())
        {
            await watcher.StopAsync();
            _watchers.Remove(id);
        }

        foreach (var (id, settings) in current.Where(c => !_watchers.ContainsKey(c.Key)))
        {
            _watchers[id] = new Watcher(this, publisher, id, names[id], settings, ct);
        }
    }

    /// <summary>The listener and the poller of one connection.</summary>
    private sealed class Watcher : IDisposable
    {
        /// <summary>The media types of a timeline entry's <c>type</c> 1 to 4.</summary>
        private static readonly string[] MediaTypes = ["movie", "show", "season", "episode"];

        private readonly PlexLiveEventSource _owner;
        private readonly ILiveEventPublisher _publisher;
        private readonly long _connectionId;
        private readonly string _connectionName;
        private readonly PlexClient _client;
        private readonly CancellationTokenSource _stop;
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly SemaphoreSlim _pollNow = new(0, 1);
        private readonly Task _run;

        /// <summary>Events not yet stored because the store failed, oldest first (guarded by the publish gate).</summary>
        private readonly List<LiveEvent> _unpublished = [];
        private readonly SemaphoreSlim _publishGate = new(1, 1);

        /// <summary>Sessions the event stream named before any poll saw them, by session key (guarded by the gate).</summary>
        private readonly Dictionary<string, Unseen> _unseen = new(StringComparer.Ordinal);
        private PlaybackTracker? _tracker;

        public Watcher(PlexLiveEventSource owner, ILiveEventPublisher publisher, long connectionId, string connectionName, PlexSettings settings, CancellationToken stopping)
        {
            _owner = owner;
            _publisher = publisher;
            _connectionId = connectionId;
            _connectionName = connectionName;
            Settings = settings;
            _client = PlexClient.Live(owner._http, settings, connectionName, LiveOptions, owner._clock, LiveConcurrency);
            _stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            _run = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        }

        public PlexSettings Settings { get; }

        /// <summary>Gets how far before the stream first named a playback its history row may lie (clocks of two machines).</summary>
        private static TimeSpan SettleSlack => TimeSpan.FromMinutes(2);

        /// <summary>Gets how near the owner's resume point must be to the stream's last position to be this playback's.</summary>
        private static long PositionTolerance => 5000;

        /// <summary>Gets how many events that could not be stored are kept for the next attempt (the oldest go first).</summary>
        private static int MaxUnpublished => 10_000;

        /// <summary>Gets the live calls' own gate size, so that a sync's reads never hold up a poll.</summary>
        private static int LiveConcurrency => 2;

        /// <summary>Gets the policy of the live calls: one attempt within 15 s (the next poll, or the back-off, is the retry).</summary>
        private static PlexOptions LiveOptions => new() { RequestTimeout = TimeSpan.FromSeconds(15), MaxRetries = 0 };

        private WebhookOptions Options => _owner._options.CurrentValue;

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
            }

            Dispose();
        }

        public void Dispose()
        {
            _stop.Dispose();
            _gate.Dispose();
            _pollNow.Dispose();
            _publishGate.Dispose();
        }

        /// <summary>
        /// Stores and hands on <paramref name="events"/>, after any that an earlier attempt could not store. The tracker
        /// has already moved past them, so a failure (the store busy or unavailable) keeps them for the next attempt, made
        /// with the next poll or stream message; storing is idempotent by each event's key, so nothing is told twice.
        /// </summary>
        private async Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken ct)
        {
            await _publishGate.WaitAsync(ct);
            try
            {
                if (events.Count == 0 && _unpublished.Count == 0)
                {
                    return;
                }

                List<LiveEvent> all = [.. _unpublished, .. events];
                try
                {
                    await _publisher.PublishAsync(all, ct);
                    _unpublished.Clear();
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    var dropped = Math.Max(0, all.Count - MaxUnpublished);
                    _unpublished.Clear();
                    _unpublished.AddRange(all.Skip(dropped));
                    Log.PublishFailed(_owner._logger, _connectionId, _unpublished.Count, dropped, ex.Message);
                }
            }
            finally
            {
                _publishGate.Release();
            }
        }

        private async Task RunAsync(CancellationToken ct)
        {
            var serverId = await IdentifyAsync(ct);
            _owner._directory.Register(_connectionId, serverId);
            _tracker = new PlaybackTracker(PlexClient.ProviderName, serverId, Options.Live) { ReportsActivity = true };
            var tasks = new List<Task>();
            if (Options.Live.SessionPoller)
            {
                tasks.Add(PollLoopAsync(ct));
            }

            if (Options.Live.EventStream)
            {
                tasks.Add(StreamLoopAsync(serverId, ct));
            }

            await Task.WhenAll(tasks);
        }

        private async Task<string?> IdentifyAsync(CancellationToken ct)
        {
            if (Settings.MachineIdentifier is { Length: > 0 } known)
            {
                return known;
            }

            var delay = TimeSpan.FromSeconds(1);
            while (true)
            {
                try
                {
                    return await _owner._identity.IdentifyAsync(_connectionId, _connectionName, Settings, ct);
                }
                catch (ProviderException ex)
                {
                    Log.ServerUnavailable(_owner._logger, _connectionId, ex.Message);
                    await _owner._events.ConnectionFailedAsync(_connectionId, _connectionName, ex, ct);
                    await Task.Delay(delay, _owner._clock, ct);
                    delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, Options.Live.MaxReconnectSeconds));
                }
            }
        }

        private async Task PollLoopAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await PollAsync(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.PollFailed(_owner._logger, _connectionId, ex.Message);
                    if (ex is ProviderException failure)
                    {
                        await _owner._events.ConnectionFailedAsync(_connectionId, _connectionName, failure, ct);
                    }
                }

                await _pollNow.WaitAsync(TimeSpan.FromSeconds(Math.Max(0.1, Options.Live.SessionPollSeconds)), ct);
            }
        }

        private async Task PollAsync(CancellationToken ct)
        {
            var asked = _owner._clock.GetUtcNow();
            var root = await _client.GetJsonAsync(PlexHost.Server, "/status/sessions", "status/sessions", Settings.Token, PlexJson.Default.JsonElement, ct);
            var sessions = new List<SessionSnapshot>();
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("MediaContainer", out var container)
                && container.TryGetProperty("Metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Array)
            {
                foreach (var m in metadata.EnumerateArray())
                {
                    var sessionKey = Text(m, "sessionKey");
                    var ratingKey = Text(m, "ratingKey");
                    if (sessionKey is null || ratingKey is null)
                    {
                        continue;
                    }

                    var user = m.TryGetProperty("User", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
                    var player = m.TryGetProperty("Player", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
                    sessions.Add(new SessionSnapshot(
                        sessionKey,
                        (user.ValueKind == JsonValueKind.Object ? Text(user, "id") : null) ?? PlexWebhookEvents.OwnerAccount,
                        user.ValueKind == JsonValueKind.Object ? Text(user, "title") : null,
                        ratingKey,
                        Text(m, "guid"),
                        Text(m, "type"),
                        Integer(m, "duration"),
                        Integer(m, "viewOffset") ?? 0,
                        player.ValueKind == JsonValueKind.Object ? Text(player, "state") : null)
                    {
                        Title = Text(m, "title"),
                        ShowTitle = Text(m, "grandparentTitle"),
                        Season = (int?)Integer(m, "parentIndex"),
                        Episode = (int?)Integer(m, "index"),
                        Year = (int?)Integer(m, "year"),
                        Player = player.ValueKind == JsonValueKind.Object ? Text(player, "title") : null,
                        Platform = player.ValueKind == JsonValueKind.Object ? Text(player, "platform") : null,
                        Rating = Number(m, "userRating"),
                        Poster = PlexPoster.Of(Text(m, "type"), Text(m, "thumb"), Text(m, "parentThumb"), Text(m, "grandparentThumb")),
                    });
                }
            }

            List<LiveEvent> events;
            List<Unseen> gone;
            await _gate.WaitAsync(ct);
            try
            {
                events = [.. _tracker!.Observe(sessions, asked, _owner._clock.GetUtcNow())];

                // A session the stream named before this poll was asked, and that the poll does not show, has ended.
                foreach (var key in _unseen.Keys.Where(_tracker.Follows).ToList())
                {
                    _unseen.Remove(key);
                }

                gone = _unseen.Values.Where(u => u.SeenAt < asked).ToList();
                foreach (var u in gone)
                {
                    _unseen.Remove(u.SessionKey);
                }
            }
            finally
            {
                _gate.Release();
            }

            foreach (var u in gone)
            {
                events.AddRange(await SettleAsync(u, ct));
            }

            await PublishAsync(events, ct);
        }

        /// <summary>
        /// Settles a playback that ended before a poll saw it, from what the server kept: a history row (written when
        /// the playback passed the played threshold) names the account and makes it a watch; otherwise the item's state
        /// says whose position it is (the owner's when the owner's last view is this playback's). A position whose
        /// account neither shows is offered to every profile of the flows, each of which reads its own state of the item.
        /// </summary>
        private async Task<IReadOnlyList<LiveEvent>> SettleAsync(Unseen unseen, CancellationToken ct)
        {
            try
            {
                var since = unseen.SeenAt - SettleSlack;
                var key = Uri.EscapeDataString(unseen.LocalKey);
                var history = await _client.GetJsonAsync(
                    PlexHost.Server,
                    "/status/sessions/history/all",
                    $"status/sessions/history/all?sort=viewedAt:desc&metadataItemID={key}&viewedAt%3E={PlexClient.Q(since.ToUnixTimeSeconds())}",
                    Settings.Token,
                    PlexJson.Default.PlexResponse,
                    ct);
                var item = (await _client.GetJsonAsync(PlexHost.Server, "/library/metadata/{id}", $"library/metadata/{key}", Settings.Token, PlexJson.Default.PlexResponse, ct))
                    .MediaContainer?.Metadata?.FirstOrDefault(m => m.RatingKey == unseen.LocalKey);
                var events = new List<LiveEvent>();
                foreach (var row in (history.MediaContainer?.Metadata ?? []).Where(r => r.RatingKey == unseen.LocalKey && r.AccountID is not null).DistinctBy(r => r.AccountID))
                {
                    var at = row.ViewedAt is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : _owner._clock.GetUtcNow();
                    events.Add(Settled(unseen, item, row.AccountID!, LiveEventKind.Watched, LiveEventType.Scrobble, null, at));
                }

                if (events.Count > 0)
                {
                    return events;
                }

                var owners = item?.LastViewedAt is { } viewed && DateTimeOffset.FromUnixTimeSeconds(viewed) >= since && item.ViewOffset is > 0
                    && (unseen.PositionMs <= 0 || Math.Abs(item.ViewOffset.Value - unseen.PositionMs) <= PositionTolerance);
                var position = owners ? item!.ViewOffset!.Value : unseen.PositionMs;
                if (position <= 0)
                {
                    return [];
                }

                var account = owners ? PlexWebhookEvents.OwnerAccount : PlexWebhookEvents.AnyAccount;
                return [Settled(unseen, item, account, LiveEventKind.Progress, LiveEventType.Stop, position.ToString(CultureInfo.InvariantCulture), _owner._clock.GetUtcNow())];
            }
            catch (ProviderException ex)
            {
                Log.SettleFailed(_owner._logger, _connectionId, unseen.SessionKey, ex.Message);
                return [];
            }
        }

        private LiveEvent Settled(Unseen unseen, PlexMetadata? item, string accountId, string kind, string type, string? value, DateTimeOffset at) =>
            new(PlexClient.ProviderName, LiveEventOrigin.History, _tracker?.ServerId, accountId, null, unseen.LocalKey, item?.PrimaryGuid, item?.Type, kind, value, at)
            {
                EventType = type,
                Title = item?.Title,
                ShowTitle = item?.GrandparentTitle,
                Season = item?.ParentIndex,
                Episode = item?.Type == "episode" ? item.Index : null,
                Year = item?.Year,
                SessionKey = unseen.SessionKey,
                PositionMs = kind == LiveEventKind.Progress ? long.Parse(value!, CultureInfo.InvariantCulture) : null,
                DurationMs = item?.Duration,
                Poster = item is null ? null : PlexPoster.Of(item.Type, item.Thumb, item.ParentThumb, item.GrandparentThumb),
            };

        private async Task StreamLoopAsync(string? serverId, CancellationToken ct)
        {
            var delay = TimeSpan.FromSeconds(1);
            var connectedBefore = false;
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    using var socket = new ClientWebSocket();
                    socket.Options.SetRequestHeader("X-Plex-Token", Settings.Token);
                    socket.Options.SetRequestHeader("X-Plex-Client-Identifier", Settings.ClientIdentifier ?? "marquee-live");
                    socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
                    socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(10);
                    await socket.ConnectAsync(StreamUri(), ct);
                    Log.StreamConnected(_owner._logger, _connectionId);
                    delay = TimeSpan.FromSeconds(1);

                    // After a lost stream the server may have restarted (session keys start again) and nothing is
                    // replayed: forget the sessions and re-read them. The first connection forgets nothing: what the poller
                    // has seen so far is current, and forgetting it would lose the next change (a pause's resume).
                    if (connectedBefore)
                    {
                        await ResetAsync(ct);
                    }
                    else
                    {
                        PollSoon();
                    }

                    connectedBefore = true;
                    await ReceiveAsync(socket, serverId, ct);
                }
                catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or JsonException && !ct.IsCancellationRequested)
                {
                    Log.StreamLost(_owner._logger, _connectionId, ex.Message, delay.TotalSeconds);
                }

                await Task.Delay(delay, _owner._clock, ct);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, Math.Max(1, Options.Live.MaxReconnectSeconds)));
            }
        }

        private async Task ResetAsync(CancellationToken ct)
        {
            await _gate.WaitAsync(ct);
            try
            {
                _tracker!.Reset();
                _unseen.Clear();
            }
            finally
            {
                _gate.Release();
            }

            PollSoon();
        }

        private async Task ReceiveAsync(ClientWebSocket socket, string? serverId, CancellationToken ct)
        {
            var buffer = new byte[16 * 1024];
            using var message = new MemoryStream();
            while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (message.Length > 4 * 1024 * 1024)
                {
                    throw new IOException("An event-stream message is larger than 4 MB.");
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var events = await HandleMessageAsync(message.ToArray(), serverId, ct);
                message.SetLength(0);
                await PublishAsync(events, ct);
            }
        }

        private async Task<IReadOnlyList<LiveEvent>> HandleMessageAsync(byte[] json, string? serverId, CancellationToken ct)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json);
            }
            catch (JsonException)
            {
                return [];
            }

            using (document)
            {
                if (!document.RootElement.TryGetProperty("NotificationContainer", out var container) || container.ValueKind != JsonValueKind.Object)
                {
                    return [];
                }

                var type = Text(container, "type");
                var events = new List<LiveEvent>();
                if (type == "playing" && container.TryGetProperty("PlaySessionStateNotification", out var playing) && playing.ValueKind == JsonValueKind.Array)
                {
                    var now = _owner._clock.GetUtcNow();
                    var ended = new List<Unseen>();
                    await _gate.WaitAsync(ct);
                    try
                    {
                        foreach (var entry in playing.EnumerateArray())
                        {
                            if (Text(entry, "sessionKey") is not { } sessionKey)
                            {
                                continue;
                            }

                            var ratingKey = Text(entry, "ratingKey");
                            var offset = Integer(entry, "viewOffset");
                            var state = Text(entry, "state");
                            var known = _tracker!.Follows(sessionKey);
                            var result = _tracker.OnPlaying(sessionKey, ratingKey, offset, state, now);
                            if (!known && ratingKey is not null)
                            {
                                // Not seen by a poll yet: remember it, so that it is settled if it ends before a poll sees it.
                                var unseen = _unseen.TryGetValue(sessionKey, out var before) && before.LocalKey == ratingKey
                                    ? before with { PositionMs = offset ?? before.PositionMs }
                                    : new Unseen(sessionKey, ratingKey, offset ?? 0, now);
                                _unseen[sessionKey] = unseen;
                                if (state == "stopped")
                                {
                                    _unseen.Remove(sessionKey);
                                    ended.Add(unseen);
                                }
                            }

                            if (result is null)
                            {
                                PollSoon();
                            }
                            else
                            {
                                events.AddRange(result);
                            }
                        }
                    }
                    finally
                    {
                        _gate.Release();
                    }

                    foreach (var unseen in ended)
                    {
                        events.AddRange(await SettleAsync(unseen, ct));
                    }
                }
                else if (type == "timeline" && container.TryGetProperty("TimelineEntry", out var timeline) && timeline.ValueKind == JsonValueKind.Array)
                {
                    foreach (var entry in timeline.EnumerateArray())
                    {
                        // A new library item (state 0, created) of a watchable type: movie 1, show 2, season 3, episode 4.
                        if (Text(entry, "identifier") == "com.plexapp.plugins.library" && Integer(entry, "state") == 0
                            && Integer(entry, "type") is { } mediaType && mediaType is >= 1 and <= 4 && Text(entry, "itemID") is { } itemId)
                        {
                            events.Add(new LiveEvent(
                                PlexClient.ProviderName, LiveEventOrigin.EventStream, serverId, PlexWebhookEvents.AnyAccount, null, itemId, null, MediaTypes[mediaType - 1],
                                LiveEventKind.ItemAdded, null, _owner._clock.GetUtcNow())
                            {
                                EventType = LiveEventType.LibraryNew,
                                SourceEvent = type,
                                Title = Text(entry, "title") is { Length: > 0 } title ? title : null,

                                // The entry names no artwork: the item's own thumb (the timestamp only keys caches).
                                Poster = itemId.All(char.IsAsciiDigit) ? $"/library/metadata/{itemId}/thumb/{_owner._clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}" : null,
                            });
                        }
                    }
                }

                return events;
            }
        }

        private void PollSoon()
        {
            try
            {
                if (_pollNow.CurrentCount == 0)
                {
                    _pollNow.Release();
                }
            }
            catch (SemaphoreFullException)
            {
            }
        }

        private Uri StreamUri()
        {
            var builder = new UriBuilder(new Uri(Base(), ":/websockets/notifications"))
            {
                Scheme = Settings.Url.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
                Query = "filters=playing,timeline",
            };
            return builder.Uri;
        }

        private Uri Base() => new(Settings.Url.ToString().TrimEnd('/') + "/");

        private static double? Number(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

        private static string? Text(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
                ? v.ValueKind switch
                {
                    JsonValueKind.String => v.GetString(),
                    JsonValueKind.Number => v.GetRawText(),
                    _ => null,
                }
                : null;

        private static long? Integer(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
                ? v.ValueKind switch
                {
                    JsonValueKind.Number when v.TryGetInt64(out var n) => n,
                    JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
                    _ => null,
                }
                : null;
    }

    /// <summary>A playback the event stream named and no poll has seen: its item, its last position and when it was first named.</summary>
    private sealed record Unseen(string SessionKey, string LocalKey, long PositionMs, DateTimeOffset SeenAt);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Live events: reading the Plex connections failed: {Error}")]
        public static partial void RefreshFailed(ILogger logger, string error);

        [LoggerMessage(2, LogLevel.Warning, "Live events: Plex connection {ConnectionId} does not answer: {Error}")]
        public static partial void ServerUnavailable(ILogger logger, long connectionId, string error);

        [LoggerMessage(3, LogLevel.Warning, "Live events: polling the sessions of Plex connection {ConnectionId} failed: {Error}")]
        public static partial void PollFailed(ILogger logger, long connectionId, string error);

        [LoggerMessage(4, LogLevel.Information, "Live events: event stream of Plex connection {ConnectionId} connected")]
        public static partial void StreamConnected(ILogger logger, long connectionId);

        [LoggerMessage(5, LogLevel.Information, "Live events: event stream of Plex connection {ConnectionId} lost ({Error}); reconnecting in {Seconds} s")]
        public static partial void StreamLost(ILogger logger, long connectionId, string error, double seconds);

        [LoggerMessage(6, LogLevel.Warning, "Live events: settling the ended session {SessionKey} of Plex connection {ConnectionId} from its history failed: {Error}")]
        public static partial void SettleFailed(ILogger logger, long connectionId, string sessionKey, string error);

        [LoggerMessage(7, LogLevel.Warning, "Live events: storing the events of Plex connection {ConnectionId} failed ({Error}); {Kept} kept for the next attempt, {Dropped} of the oldest dropped")]
        public static partial void PublishFailed(ILogger logger, long connectionId, int kept, int dropped, string error);
    }
}
