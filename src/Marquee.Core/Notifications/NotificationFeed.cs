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
/// the same playback wait with it, so a channel still gets them in order.
/// </summary>
public sealed partial class NotificationFeed(
    INotifyFeedStore feed,
    INotificationStore channels,
    NotificationSink sink,
    IOptionsMonitor<NotificationOptions> options,
    TimeProvider clock,
    ILogger<NotificationFeed> logger) : BackgroundService, ILiveEventSink
{
    private const int BatchSize = 500;
    private const int MaxFailures = 5;

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
                if (!options.CurrentValue.FeedPaused)
                {
                    await DrainAsync(stoppingToken);
                }

                await _wake.WaitAsync(TimeSpan.FromSeconds(Math.Clamp(options.CurrentValue.FeedPollSeconds, 0.05, 60)), stoppingToken);
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
        while (!failed)
        {
            var batch = await feed.ListAfterAsync(_scanned, BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var stored in batch)
            {
                var e = Named(stored);
                var due = DueAt(e, enabled);
                if (due > clock.GetUtcNow())
                {
                    _waiting[e.Id] = new Waiting(e, due);
                }
                else if (!await TellAsync(enabled, [e], cancellationToken))
                {
                    failed = true;
                    break;
                }
                else
                {
                    told++;
                }

                _scanned = e.Id;
            }
        }

        told += await TellWaitingAsync(enabled, cancellationToken);
        if (_newlySeen.Count > 0)
        {
            await feed.AddSeenAsync([.. _newlySeen], clock.GetUtcNow(), cancellationToken);
            _newlySeen.Clear();
        }

        var done = _waiting.Count > 0 ? Math.Min(_waiting.Keys.First() - 1, _scanned) : _scanned;
        if (done > cursor)
        {
            await feed.SetCursorAsync(done, cancellationToken);
        }

        return told;
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
    }
}
