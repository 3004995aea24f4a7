using Marquee.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Core.Notifications;

/// <summary>
/// Webhooks first: while webhooks pour in (more than <see cref="NotificationOptions.DeferAboveWebhooksPerSecond"/> on
/// average over <see cref="NotificationOptions.DeferWindowSeconds"/>) or more than
/// <see cref="NotificationOptions.DeferWhileInboxBehind"/> accepted deliveries wait for the inbox processor, the
/// notification feed waits, so that a flood of webhooks has the CPU to itself. Nothing is lost: the stored events stay
/// after the feed's cursor and are told in order once both are down to half their limit. The feed never waits longer
/// than <see cref="NotificationOptions.MaxDeferSeconds"/> in a row: past it, it tells the events although the flood
/// goes on, and does not wait again until the flood has passed. A server whose webhooks arrive at a pace the inbox keeps
/// up with never has anything held back.
/// </summary>
public sealed partial class NotificationDeferral(InboxBacklog backlog, IOptionsMonitor<NotificationOptions> options, TimeProvider clock, ILogger<NotificationDeferral> logger)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _since;
    private bool _overdue;
    private long _deferrals;

    /// <summary>Whether the feed waits now; logs when it starts waiting, when it resumes and when it waited the longest allowed.</summary>
    public bool Defers()
    {
        var o = options.CurrentValue;
        var pending = backlog.Pending;
        var rate = o.DeferAboveWebhooksPerSecond > 0 ? backlog.PerSecond(o.DeferWindowSeconds) : 0;
        var over = (o.DeferWhileInboxBehind > 0 && pending > o.DeferWhileInboxBehind) || (o.DeferAboveWebhooksPerSecond > 0 && rate > o.DeferAboveWebhooksPerSecond);
        var calm = (o.DeferWhileInboxBehind <= 0 || pending <= o.DeferWhileInboxBehind / 2) && (o.DeferAboveWebhooksPerSecond <= 0 || rate <= o.DeferAboveWebhooksPerSecond / 2);
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_overdue)
            {
                _overdue = !calm;
                return false;
            }

            if (_since is not { } since)
            {
                if (!over)
                {
                    return false;
                }

                _since = now;
                _deferrals++;
                Log.Deferred(logger, rate, Math.Clamp(o.DeferWindowSeconds, 1, InboxBacklog.MaxWindowSeconds), pending, o.DeferAboveWebhooksPerSecond, o.DeferWhileInboxBehind, Math.Max(0, o.MaxDeferSeconds));
                return true;
            }

            if (calm)
            {
                _since = null;
                Log.Resumed(logger, (now - since).TotalSeconds, rate, pending);
                return false;
            }

            if (now - since >= TimeSpan.FromSeconds(Math.Max(0, o.MaxDeferSeconds)))
            {
                _since = null;
                _overdue = true;
                Log.Overdue(logger, (now - since).TotalSeconds, rate, pending);
                return false;
            }

            return true;
        }
    }

    /// <summary>What the feed does now, for the API and the benchmark.</summary>
    public NotificationDeferralStatus Status()
    {
        var o = options.CurrentValue;
        lock (_lock)
        {
            return new NotificationDeferralStatus(_since is not null, _since, backlog.Pending, Math.Round(backlog.PerSecond(o.DeferWindowSeconds), 1), _deferrals);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Notifications wait for the webhooks: {Rate:0} webhooks/s over the last {Window} s, {Pending} waiting for the inbox (limits {RateLimit}/s and {Limit}); they are made once both are down to half, or after {MaxSeconds} s at most")]
        public static partial void Deferred(ILogger logger, double rate, int window, long pending, double rateLimit, int limit, double maxSeconds);

        [LoggerMessage(2, LogLevel.Information, "Notifications resume after waiting {Seconds:0.0} s: {Rate:0} webhooks/s, {Pending} waiting for the inbox")]
        public static partial void Resumed(ILogger logger, double seconds, double rate, long pending);

        [LoggerMessage(3, LogLevel.Warning, "Notifications waited {Seconds:0.0} s, the longest allowed (Marquee:Notifications:MaxDeferSeconds): they are made now although webhooks still arrive at {Rate:0}/s with {Pending} waiting for the inbox, and do not wait again until the flood has passed")]
        public static partial void Overdue(ILogger logger, double seconds, double rate, long pending);
    }
}

/// <summary>Whether notifications wait for the webhooks (<c>GET /api/notifications/feed</c>).</summary>
/// <param name="Deferred">The feed waits now.</param>
/// <param name="Since">Since when it waits.</param>
/// <param name="InboxPending">Accepted webhook deliveries not yet handled.</param>
/// <param name="WebhooksPerSecond">Webhooks stored per second, averaged over the window.</param>
/// <param name="Deferrals">How many times notifications waited since the start.</param>
public sealed record NotificationDeferralStatus(bool Deferred, DateTimeOffset? Since, long InboxPending, double WebhooksPerSecond, long Deferrals);
