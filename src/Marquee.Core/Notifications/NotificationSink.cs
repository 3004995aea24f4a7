using System.Globalization;
using Marquee.Core.Outbox;
using Marquee.Core.Storage;
using Marquee.Core.Webhooks;
using Microsoft.Extensions.Logging;

namespace Marquee.Core.Notifications;

/// <summary>
/// Turns live events into notifications: each event's trigger goes to every enabled channel that has it on, at most once
/// per (user, item, trigger, channel) within the playback window (play, finished) or the cooldown (the rest). The
/// claim and the message are stored in one transaction, so a restart or the same playback seen by another path sends
/// nothing again, and a failure between the two leaves no claim behind that would swallow the next report.
/// </summary>
public sealed partial class NotificationSink(
    INotificationStore store,
    NotificationService service,
    IStoreTransactions transactions,
    OutboxSignal signal,
    IEnumerable<ISessionReader> readers,
    TimeProvider clock,
    ILogger<NotificationSink> logger) : IMarqueeEventSink
{
    /// <summary>Tells Marquee's own event to every enabled channel that has its trigger on, once per subject within the health cooldown.</summary>
    public async Task PublishAsync(MarqueeEvent e, CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromMinutes(Math.Max(0, service.Options.HealthCooldownMinutes));
        foreach (var channel in (await store.ListAsync(cancellationToken)).Where(c => c.Enabled && c.Id != e.SkipChannelId && c.Triggers.Contains(e.Trigger, StringComparer.Ordinal)))
        {
            var variables = NotificationVariables.Empty(e.Trigger);
            foreach (var (name, value) in e.Values)
            {
                variables[name] = value;
            }

            variables["time"] = e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            if (!service.Allows(channel, variables))
            {
                Log.NotMatched(logger, e.Trigger, channel.Name);
                continue;
            }

            var key = $"notify:{channel.Id}:{e.Trigger}:{e.Subject}:{e.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
            var payload = await service.RenderPayloadAsync(channel, e.Trigger, variables, e.At, cancellationToken);
            await CommitAsync([new PreparedNotification(channel, e.Trigger, e.Subject, e.At, window, payload, key.Length > 200 ? key[..200] : key)], null, cancellationToken);
        }
    }

    /// <summary>
    /// Makes the notifications of one stored event, or of a season's new episodes told as one (<paramref name="events"/>
    /// holds them all), for every channel in <paramref name="enabled"/> that has the trigger on.
    /// </summary>
    public async Task NotifyAsync(IReadOnlyList<NotificationChannel> enabled, IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken) =>
        await CommitAsync(await PrepareAsync(enabled, events, cancellationToken), null, cancellationToken);

    /// <summary>
    /// Renders the messages of one stored event, or of a season's new episodes told as one (<paramref name="events"/>
    /// holds them all), for every channel in <paramref name="enabled"/> that has the trigger on and whose condition
    /// holds; nothing is claimed or stored yet (<see cref="CommitAsync"/> does that).
    /// </summary>
    public async Task<IReadOnlyList<PreparedNotification>> PrepareAsync(IReadOnlyList<NotificationChannel> enabled, IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        var prepared = new List<PreparedNotification>();
        if (enabled.Count == 0 || events.Count == 0)
        {
            return prepared;
        }

        if (events.Count > 1)
        {
            foreach (var channel in enabled.Where(c => c.Triggers.Contains(NotificationTriggers.NewItem, StringComparer.Ordinal)))
            {
                await PrepareAsync(prepared, channel, NotificationTriggers.NewItem, events[0], GroupVariables(events), cancellationToken);
            }

            return prepared;
        }

        var e = events[0];
        ActiveSession? stream = null;
        var read = false;
        foreach (var trigger in TriggersOf(e, service.Options))
        {
            foreach (var channel in enabled.Where(c => c.Triggers.Contains(trigger, StringComparer.Ordinal)))
            {
                var variables = NotificationVariables.From(e, trigger);
                if (trigger == NotificationTriggers.Play && channel.Settings.IncludeActivity)
                {
                    if (!read)
                    {
                        stream = await FindSessionAsync(e, cancellationToken);
                        read = true;
                    }

                    NotificationVariables.AddStream(variables, stream);
                }

                await PrepareAsync(prepared, channel, trigger, e, variables, cancellationToken);
            }
        }

        return prepared;
    }

    /// <summary>
    /// Claims and enqueues every prepared message in one transaction, in the given order, with <paramref name="inside"/>
    /// (the feed's cursor advance) committed with them; a message whose claim is taken is a duplicate and not enqueued.
    /// Returns how many were queued. Nothing is kept when anything throws.
    /// </summary>
    public async Task<int> CommitAsync(IReadOnlyList<PreparedNotification> prepared, Func<Task>? inside, CancellationToken cancellationToken)
    {
        if (prepared.Count == 0 && inside is null)
        {
            return 0;
        }

        var queued = await transactions.RunAsync(
            async () =>
            {
                var taken = new bool[prepared.Count];
                for (var i = 0; i < prepared.Count; i++)
                {
                    var p = prepared[i];
                    if (await store.TryClaimAsync(p.Channel.Id, p.Trigger, p.Subject, p.At, p.Window, cancellationToken))
                    {
                        await service.EnqueueRenderedAsync(p.Channel, p.Payload, p.Key, p.Subject, cancellationToken);
                        taken[i] = true;
                    }
                }

                if (inside is not null)
                {
                    await inside();
                }

                return taken;
            },
            cancellationToken);
        for (var i = 0; i < prepared.Count; i++)
        {
            if (queued[i])
            {
                Log.Queued(logger, prepared[i].Trigger, prepared[i].Channel.Name);
            }
            else
            {
                Log.Duplicate(logger, prepared[i].Trigger, prepared[i].Channel.Name);
            }
        }

        var count = queued.Count(q => q);
        if (count > 0)
        {
            // Woken again after the commit: a wake inside the transaction may find the rows not yet visible.
            signal.Notify();
        }

        return count;
    }

    /// <summary>The session of a playback, read from the server (the activity details of a play); null when it is gone or the server does not answer.</summary>
    private async Task<ActiveSession?> FindSessionAsync(LiveEvent e, CancellationToken cancellationToken)
    {
        var sessions = new List<ActiveSession>();
        foreach (var reader in readers)
        {
            try
            {
                sessions.AddRange(await reader.ReadAsync(cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.SessionsUnreadable(logger, ex.Message);
            }
        }

        var same = sessions.Where(s => s.LocalKey == e.LocalKey).ToList();
        return same.FirstOrDefault(s => e.SessionKey is { Length: > 0 } && s.SessionKey == e.SessionKey)
            ?? same.FirstOrDefault(s => s.UserId == e.AccountId || (e.AccountName is { Length: > 0 } && s.User == e.AccountName))
            ?? (same.Count == 1 ? same[0] : null);
    }

    /// <summary>The variables of a season's new episodes told as one: the first episode's, with the count and the episode numbers.</summary>
    internal static Dictionary<string, object?> GroupVariables(IReadOnlyList<LiveEvent> events)
    {
        var first = events[0];
        var variables = NotificationVariables.From(first, NotificationTriggers.NewItem);
        var numbers = events.Select(e => e.Episode).OfType<int>().Distinct().Order().ToList();
        var episodes = numbers.Count == 0 ? null
            : numbers.Count > 1 && numbers[^1] - numbers[0] == numbers.Count - 1
                ? string.Create(CultureInfo.InvariantCulture, $"E{numbers[0]:00}–E{numbers[^1]:00}")
                : string.Join(", ", numbers.Select(n => string.Create(CultureInfo.InvariantCulture, $"E{n:00}")));
        var season = first.Season is { } s ? string.Create(CultureInfo.InvariantCulture, $" · S{s:00}") : string.Empty;
        variables["title"] = first.ShowTitle;
        variables["episode"] = null;
        variables["count"] = events.Count;
        variables["episodes"] = episodes;
        variables["full_title"] = string.Create(CultureInfo.InvariantCulture, $"{first.ShowTitle}{season} · {events.Count} episodes{(episodes is null ? string.Empty : $" ({episodes})")}");
        return variables;
    }

    /// <summary>The triggers an event fires: its own kind's, and finished when it reports a position past the media type's threshold.</summary>
    public static IEnumerable<string> TriggersOf(LiveEvent e, NotificationOptions options)
    {
        var own = e.Kind switch
        {
            LiveEventKind.Play => NotificationTriggers.Play,
            LiveEventKind.Rating => NotificationTriggers.Rating,
            LiveEventKind.ItemAdded => NotificationTriggers.NewItem,
            LiveEventType.Pause => NotificationTriggers.Pause,
            LiveEventType.Resume => NotificationTriggers.Resume,
            LiveEventType.Stop => NotificationTriggers.Stop,
            LiveEventType.DeviceNew => NotificationTriggers.NewDevice,
            LiveEventType.DatabaseBackup => NotificationTriggers.DatabaseBackup,
            LiveEventType.DatabaseCorrupted => NotificationTriggers.DatabaseCorrupted,
            _ => null,
        };
        if (own is not null)
        {
            yield return own;
        }

        if (Finished(e, options))
        {
            yield return NotificationTriggers.Finished;
        }
    }

    private static bool Finished(LiveEvent e, NotificationOptions options)
    {
        var threshold = e.MediaType == "episode" ? options.FinishedEpisodePercent : options.FinishedMoviePercent;
        if (threshold <= 0 || e.LocalKey.Length == 0)
        {
            return false;
        }

        double? percent = e.PositionMs is { } position && e.DurationMs is > 0 and var duration ? position * 100.0 / duration : null;
        if (percent is null && e.Kind == LiveEventKind.Progress && long.TryParse(e.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && e.DurationMs is > 0 and var d)
        {
            percent = ms * 100.0 / d;
        }

        return e.Kind switch
        {
            // The server's own "watched" signal counts when it carries no position of its own.
            LiveEventKind.Watched => percent is null || percent >= threshold,
            LiveEventKind.Progress or LiveEventType.Pause or LiveEventType.Stop or LiveEventType.Resume => percent >= threshold,
            _ => false,
        };
    }

    private async Task PrepareAsync(List<PreparedNotification> prepared, NotificationChannel channel, string trigger, LiveEvent e, Dictionary<string, object?> variables, CancellationToken cancellationToken)
    {
        var options = service.Options;
        var window = trigger is NotificationTriggers.Play or NotificationTriggers.Finished or NotificationTriggers.NewItem
            ? TimeSpan.FromMinutes(Math.Max(0, options.PlaybackWindowMinutes))
            : TimeSpan.FromSeconds(Math.Max(0, options.CooldownSeconds));
        var subject = string.Join('|', e.Source, e.ServerId ?? string.Empty, e.AccountId, e.LocalKey, e.Kind == LiveEventType.DeviceNew ? e.Value ?? string.Empty : string.Empty);
        var key = $"notify:{channel.Id}:{trigger}:{(e.Id > 0 ? e.Id.ToString(CultureInfo.InvariantCulture) : e.DedupeKey)}";
        if (key.Length > 200)
        {
            key = key[..200];
        }

        if (!service.Allows(channel, variables))
        {
            Log.NotMatched(logger, trigger, channel.Name);
            return;
        }

        var payload = await service.RenderPayloadAsync(channel, trigger, variables, e.OccurredAt == default ? clock.GetUtcNow() : e.OccurredAt, cancellationToken, NotificationPoster.Of(e));
        prepared.Add(new PreparedNotification(channel, trigger, subject, e.OccurredAt, window, payload, key));
    }

    /// <summary>A rendered message waiting for its claim: (channel, trigger, subject) is claimed for <paramref name="Window"/> from <paramref name="At"/>.</summary>
    public sealed record PreparedNotification(NotificationChannel Channel, string Trigger, string Subject, DateTimeOffset At, TimeSpan Window, System.Text.Json.JsonElement Payload, string Key);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Notification {Trigger} to channel {Channel} already sent for this playback; skipped")]
        public static partial void Duplicate(ILogger logger, string trigger, string channel);

        [LoggerMessage(2, LogLevel.Information, "Notification {Trigger} queued for channel {Channel}")]
        public static partial void Queued(ILogger logger, string trigger, string channel);

        [LoggerMessage(4, LogLevel.Debug, "Notification {Trigger} not for channel {Channel}: its condition does not hold")]
        public static partial void NotMatched(ILogger logger, string trigger, string channel);

        [LoggerMessage(3, LogLevel.Warning, "The sessions could not be read for a play's stream details ({Error}); the play is told without them")]
        public static partial void SessionsUnreadable(ILogger logger, string error);
    }
}
