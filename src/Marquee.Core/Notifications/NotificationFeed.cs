using System.Globalization;
using Marquee.Core.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Core.Notifications;

/// <summary>
/// Reads the stored live events in store order and makes their notifications. A stored cursor says up to which event
/// every notification was made: events stored just before a crash (stored, not yet notified) are notified after the
/// restart, and an event notified twice is no duplicate (the claim of the first makes the second a no-op). Some events
/// wait before they are told: new episodes until the <see cref="NotificationOptions.NewItemGroupSeconds"/> window of
/// their season has passed (a season added at once is one message), and a play until
/// <see cref="NotificationOptions.ActivityDelaySeconds"/> when a channel includes the stream's details; later events of
/// the same playback wait with it, so a channel still gets them in order. While the webhook inbox is far behind, the
/// feed waits for it (<see cref="NotificationDeferral"/>): webhooks first, then the notifications, in the same order.
/// </summary>
public sealed partial class NotificationFeed(
    INotifyFeedStore feed,
    INotificationStore channels,
    NotificationSink sink,
    NotificationDeferral deferral,
    IOptionsMonitor<NotificationOptions> options,
    TimeProvider clock,
    ILogger<NotificationFeed> logger) : BackgroundService, ILiveEventSink
{
    private const int BatchSize = 500;
    private const int MaxFailures = 5;

    /// <summary>How many stored events at most are told in one transaction.</summary>
    private const int TellBatch = 200;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Outbox.OutboxSignal _wake = new();
    private readonly SortedDictionary<long, Waiting> _waiting = [];
    private readonly Dictionary<long, int> _failures = [];
    private readonly Dictionary<(string Kind, string Key), bool> _seen = [];
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly List<SeenEntry> _newlySeen = [];
    private long _scanned = -1;

    /// <summary>New events are stored: look for them now.</summary>
    public Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count > 0)
        {
            _wake.Notify();
        }

        return Task.CompletedTask;
    }

    /// <summary>Makes the notifications of every stored event that is due; returns how many events were told. Used by the loop and by tests.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await DrainLockedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var poll = TimeSpan.FromSeconds(Math.Clamp(options.CurrentValue.FeedPollSeconds, 0.05, 60));
                if (deferral.Defers())
                {
                    // Every stored event would wake the feed; while it waits for the inbox it only looks again at its poll (a second at most).
                    await Task.Delay(poll < TimeSpan.FromSeconds(1) ? poll : TimeSpan.FromSeconds(1), clock, stoppingToken);
                    continue;
                }

                if (!options.CurrentValue.FeedPaused)
                {
                    await DrainAsync(stoppingToken);
                }

                await _wake.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.LoopFailed(logger, ex);
                if (!await LoopPause.AfterFailureAsync(clock, stoppingToken))
                {
                    break;
                }
            }
        }
    }

    private async Task<int> DrainLockedAsync(CancellationToken cancellationToken)
    {
        var cursor = await feed.GetCursorAsync(cancellationToken);
        if (_scanned < cursor)
        {
            // First drain after a start (or the cursor moved on): what waited in memory is read again from the store.
            _scanned = cursor;
            _waiting.Clear();
        }

        var enabled = (await channels.ListAsync(cancellationToken)).Where(c => c.Enabled).ToList();
        _seen.Clear();
        foreach (var entry in await feed.ListSeenAsync(cancellationToken))
        {
            _seen[(entry.Kind, entry.Key)] = entry.Notify;
            if (entry.Kind == SeenEntry.User && entry.Name is { Length: > 0 } known)
            {
                _names[entry.Key] = known;
            }
        }

        var told = 0;
        var failed = false;

        // A long drain looks at the inbox between batches: a flood that starts meanwhile stops it where it is.
        for (var read = 0; !failed && (read == 0 || !deferral.Defers()); read++)
        {
            var batch = await feed.ListAfterAsync(_scanned, BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var chunk in batch.Chunk(TellBatch))
            {
                var (chunkTold, chunkFailed, chunkCursor) = await TellChunkAsync(enabled, chunk, cursor, cancellationToken);
                told += chunkTold;
                cursor = chunkCursor;
                if (chunkFailed)
                {
                    failed = true;
                    break;
                }
            }
        }

        told += await TellWaitingAsync(enabled, cancellationToken);
        if (_newlySeen.Count > 0)
        {
            await feed.AddSeenAsync([.. _newlySeen], clock.GetUtcNow(), cancellationToken);
            _newlySeen.Clear();
        }

        var done = Done();
        if (done > cursor)
        {
            await feed.SetCursorAsync(done, cancellationToken);
        }

        return told;
    }

    /// <summary>The id below which every event was told: the last one read, or the one before the oldest that still waits.</summary>
    private long Done() => _waiting.Count > 0 ? Math.Min(_waiting.Keys.First() - 1, _scanned) : _scanned;

    /// <summary>
    /// Tells a run of stored events (in store order) in one transaction: every claim, every outbox row, the users and
    /// devices newly seen and the cursor's advance are kept together or not at all. When that fails, the run is told
    /// one event at a time, so one event that cannot be told holds back only itself (and, up to
    /// <see cref="MaxFailures"/> tries, what follows it). Returns how many events were told and whether one failed.
    /// </summary>
    private async Task<(int Told, bool Failed, long Cursor)> TellChunkAsync(IReadOnlyList<NotificationChannel> enabled, LiveEvent[] chunk, long cursor, CancellationToken cancellationToken)
    {
        var scannedBefore = _scanned;
        var events = new List<(LiveEvent Event, bool Waits)>(chunk.Length);
        foreach (var stored in chunk)
        {
            var e = Named(stored);
            var due = DueAt(e, enabled);
            var waits = due > clock.GetUtcNow();
            if (waits)
            {
                _waiting[e.Id] = new Waiting(e, due);
            }

            events.Add((e, waits));
            _scanned = e.Id;
        }

        try
        {
            var prepared = new List<NotificationSink.PreparedNotification>();
            foreach (var (e, _) in events.Where(x => !x.Waits && Notifies(x.Event)))
            {
                prepared.AddRange(await sink.PrepareAsync(enabled, [e], cancellationToken));
            }

            var seen = _newlySeen.ToList();
            var done = Done();
            await sink.CommitAsync(
                prepared,
                async () =>
                {
                    if (seen.Count > 0)
                    {
                        await feed.AddSeenAsync(seen, clock.GetUtcNow(), cancellationToken);
                    }

                    if (done > cursor)
                    {
                        await feed.SetCursorAsync(done, cancellationToken);
                    }
                },
                cancellationToken);
            _newlySeen.RemoveRange(0, seen.Count);
            foreach (var (e, _) in events)
            {
                _failures.Remove(e.Id);
            }

            return (events.Count(x => !x.Waits), false, Math.Max(cursor, done));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.BatchFailed(logger, chunk.Length, ex);
        }

        // One at a time: the events that wait stay waiting; the one that fails is read again at the next drain.
        var told = 0;
        _scanned = scannedBefore;
        foreach (var (e, waits) in events)
        {
            if (!waits)
            {
                if (!await TellAsync(enabled, [e], cancellationToken))
                {
                    return (told, true, cursor);
                }

                told++;
            }

            _scanned = e.Id;
        }

        return (told, false, cursor);
    }

    /// <summary>Tells the waiting events whose time has come, in store order; a new episode with the rest of its season's window.</summary>
    private async Task<int> TellWaitingAsync(IReadOnlyList<NotificationChannel> enabled, CancellationToken cancellationToken)
    {
        var told = 0;
        var now = clock.GetUtcNow();
        foreach (var (id, waiting) in _waiting.ToList())
        {
            if (!_waiting.ContainsKey(id) || waiting.Due > now)
            {
                continue;
            }

            var group = GroupOf(waiting.Event) is { } key
                ? _waiting.Values.Where(w => GroupOf(w.Event) == key && w.Event.OccurredAt <= waiting.Event.OccurredAt + GroupWindow).Select(w => w.Event).ToList()
                : [waiting.Event];
            if (!await TellAsync(enabled, group, cancellationToken))
            {
                break;
            }

            foreach (var e in group)
            {
                _waiting.Remove(e.Id);
            }

            told += group.Count;
        }

        return told;
    }

    private async Task<bool> TellAsync(IReadOnlyList<NotificationChannel> enabled, IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        if (!Notifies(events[0]))
        {
            return true;
        }

        try
        {
            await sink.NotifyAsync(enabled, events, cancellationToken);
            _failures.Remove(events[0].Id);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failures = _failures.GetValueOrDefault(events[0].Id) + 1;
            _failures[events[0].Id] = failures;
            if (failures >= MaxFailures)
            {
                // A notification that cannot be made after several tries does not hold back every later one.
                Log.GaveUp(logger, events[0].Id, failures, ex);
                _failures.Remove(events[0].Id);
                return true;
            }

            Log.Failed(logger, events[0].Id, ex);
            return false;
        }
    }

    /// <summary>
    /// The event with its account's name: a playback settled from the server's history names only the account's id, and
    /// the name an earlier event gave that id is the one a message should show.
    /// </summary>
    private LiveEvent Named(LiveEvent e)
    {
        if (!string.IsNullOrWhiteSpace(e.AccountName))
        {
            _names[e.AccountId] = e.AccountName;
            return e;
        }

        return _names.TryGetValue(e.AccountId, out var name) ? e with { AccountName = name } : e;
    }

    /// <summary>Records the event's user and device as seen; false when either has notifications turned off.</summary>
    private bool Notifies(LiveEvent e)
    {
        var notify = true;
        foreach (var (kind, key, name) in new[] { (SeenEntry.User, e.AccountId, e.AccountName), (SeenEntry.Device, e.Player, null) })
        {
            if (string.IsNullOrEmpty(key) || key == Sync.TargetedItem.AnyAccount)
            {
                continue;
            }

            if (_seen.TryGetValue((kind, key), out var on))
            {
                notify &= on;
                continue;
            }

            _seen[(kind, key)] = true;
            _newlySeen.Add(new SeenEntry(kind, key, string.IsNullOrWhiteSpace(name) ? null : name));
        }

        return notify;
    }

    private TimeSpan GroupWindow => TimeSpan.FromSeconds(Math.Max(0, options.CurrentValue.NewItemGroupSeconds));

    /// <summary>When the event is told: at once, or after its season's window (new episodes) or the activity delay (a play), or with an earlier event of the same playback that waits.</summary>
    private DateTimeOffset DueAt(LiveEvent e, IReadOnlyList<NotificationChannel> enabled)
    {
        var due = DateTimeOffset.MinValue;
        if (e.Kind == LiveEventKind.ItemAdded && GroupOf(e) is not null && GroupWindow > TimeSpan.Zero && enabled.Any(c => c.Triggers.Contains(NotificationTriggers.NewItem, StringComparer.Ordinal)))
        {
            due = e.OccurredAt + GroupWindow;
        }

        if (e.Kind == LiveEventKind.Play && options.CurrentValue.ActivityDelaySeconds > 0 && enabled.Any(c => c.Settings.IncludeActivity && c.Triggers.Contains(NotificationTriggers.Play, StringComparer.Ordinal)))
        {
            due = e.OccurredAt + TimeSpan.FromSeconds(options.CurrentValue.ActivityDelaySeconds);
        }

        if (e.LocalKey.Length > 0)
        {
            var playback = PlaybackOf(e);
            foreach (var waiting in _waiting.Values)
            {
                if (waiting.Due > due && PlaybackOf(waiting.Event) == playback)
                {
                    due = waiting.Due;
                }
            }
        }

        return due;
    }

    private static string PlaybackOf(LiveEvent e) => string.Join('|', e.Source, e.ServerId, e.AccountId, e.LocalKey);

    /// <summary>The season a new episode belongs to; null for anything told alone.</summary>
    internal static string? GroupOf(LiveEvent e) =>
        e.Kind == LiveEventKind.ItemAdded && e.MediaType == "episode" && e.ShowTitle is { Length: > 0 } show
            ? string.Join('|', e.Source, e.ServerId, show, e.Season?.ToString(CultureInfo.InvariantCulture))
            : null;

    private sealed record Waiting(LiveEvent Event, DateTimeOffset Due);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The notification feed failed; retrying")]
        public static partial void LoopFailed(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Notifications of live event {Id} could not be made; trying again")]
        public static partial void Failed(ILogger logger, long id, Exception exception);

        [LoggerMessage(3, LogLevel.Error, "Notifications of live event {Id} could not be made after {Attempts} attempts; given up")]
        public static partial void GaveUp(ILogger logger, long id, int attempts, Exception exception);

        [LoggerMessage(4, LogLevel.Warning, "Notifications of {Count} live events could not be made together; telling them one at a time")]
        public static partial void BatchFailed(ILogger logger, int count, Exception exception);
    }
}
