using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Marquee.Core.Outbox;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Microsoft.Extensions.Logging;

namespace Marquee.Core.Notifications;

/// <summary>
/// One of Marquee's own events (a run failed or was held, items became unresolved, a connection became unreachable or
/// its token was refused, a delivery was dead-lettered), notified like a server event.
/// </summary>
/// <param name="Trigger">The trigger (one of <see cref="NotificationTriggers"/>).</param>
/// <param name="Subject">What it is about; the same trigger and subject are notified once per <see cref="NotificationOptions.HealthCooldownMinutes"/>.</param>
/// <param name="Values">Template variables beyond the trigger.</param>
/// <param name="At">When it happened.</param>
/// <param name="SkipChannelId">A channel not to tell (the one whose delivery was dead-lettered).</param>
public sealed record MarqueeEvent(string Trigger, string Subject, IReadOnlyDictionary<string, object?> Values, DateTimeOffset At, long? SkipChannelId = null);

/// <summary>Receives Marquee's own events.</summary>
public interface IMarqueeEventSink
{
    Task PublishAsync(MarqueeEvent e, CancellationToken cancellationToken);
}

/// <summary>Where the parts of Marquee report their own events; a failing sink is logged and never fails the caller.</summary>
public sealed partial class MarqueeEvents(IEnumerable<IMarqueeEventSink> sinks, TimeProvider clock, ILogger<MarqueeEvents> logger)
{
    /// <summary>How many unresolved items a message names.</summary>
    public const int NamedItems = 5;

    public async Task PublishAsync(MarqueeEvent e, CancellationToken cancellationToken)
    {
        foreach (var sink in sinks)
        {
            try
            {
                await sink.PublishAsync(e, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.SinkFailed(logger, e.Trigger, ex);
            }
        }
    }

    /// <summary>A run ended: failed or held runs, and a run that left items unresolved, are told.</summary>
    public async Task RunFinishedAsync(SyncRun run, IReadOnlyList<UnresolvedItem> unresolved, CancellationToken cancellationToken)
    {
        var flow = run.FlowId?.ToString(CultureInfo.InvariantCulture) ?? run.Flow;
        var trigger = run.Status switch
        {
            RunStatus.Failed => NotificationTriggers.RunFailed,
            RunStatus.Held => NotificationTriggers.RunHeld,
            _ => null,
        };
        if (trigger is not null)
        {
            await PublishAsync(new MarqueeEvent(trigger, $"flow:{flow}", new Dictionary<string, object?> { ["flow"] = run.Flow, ["reason"] = run.Message ?? run.Status }, run.FinishedAt ?? clock.GetUtcNow()), cancellationToken);
        }

        if (unresolved.Count > 0)
        {
            // The subject is the set itself: the same items unresolved run after run are told once, a new one again.
            var keys = string.Join('\n', unresolved.Select(u => $"{u.ConnectionId}:{u.LocalKey}").Order(StringComparer.Ordinal));
            var set = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(keys)))[..16];
            var named = string.Join("; ", unresolved.Take(NamedItems).Select(u => $"{u.Title ?? u.LocalKey} on {u.ConnectionName} ({u.Reason})"));
            var reason = unresolved.Count > NamedItems ? $"{named}; and {unresolved.Count - NamedItems} more." : named + ".";
            await PublishAsync(new MarqueeEvent(NotificationTriggers.ItemsUnresolved, $"flow:{flow}:{set}", new Dictionary<string, object?> { ["flow"] = run.Flow, ["count"] = unresolved.Count, ["reason"] = reason }, run.FinishedAt ?? clock.GetUtcNow()), cancellationToken);
        }
    }

    /// <summary>A call to a connection failed: a refused token is told as such, anything else as unreachable.</summary>
    public Task ConnectionFailedAsync(long connectionId, string connectionName, ProviderException failure, CancellationToken cancellationToken)
    {
        var trigger = failure.Failure == ProviderFailure.Unauthorized ? NotificationTriggers.ConnectionUnauthorized : NotificationTriggers.ConnectionUnreachable;
        return PublishAsync(new MarqueeEvent(trigger, $"connection:{connectionId.ToString(CultureInfo.InvariantCulture)}", new Dictionary<string, object?> { ["connection"] = connectionName, ["reason"] = failure.Message }, clock.GetUtcNow()), cancellationToken);
    }

    /// <summary>A delivery was dead-lettered. A dead notification about a dead delivery is not told again (no loop between two dead channels).</summary>
    public Task DeadLetteredAsync(OutboxMessage message, string error, CancellationToken cancellationToken)
    {
        var notify = message.Kind == NotificationService.OutboxKind;
        if (notify && message.Description.StartsWith(NotificationTriggers.DeliveryDead + " ", StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        long? channel = notify && message.Target.StartsWith("notify:", StringComparison.Ordinal) && long.TryParse(message.Target.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        var values = new Dictionary<string, object?> { ["delivery"] = $"{message.Kind}: {message.Description}", ["reason"] = error };
        return PublishAsync(new MarqueeEvent(NotificationTriggers.DeliveryDead, $"delivery:{message.Id.ToString(CultureInfo.InvariantCulture)}", values, clock.GetUtcNow(), channel), cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Telling {Trigger} failed")]
        public static partial void SinkFailed(ILogger logger, string trigger, Exception exception);
    }
}
