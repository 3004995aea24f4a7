using System.Threading.Channels;
using Marquee.Core.Scheduling;
using Marquee.Core.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Core.Care;

/// <summary>How often library care runs (<c>Marquee:Care</c>); the rules and trash settings are in marquee.yaml's <c>care:</c>, the API or the CLI.</summary>
public sealed class CareOptions
{
    public const string Section = "Marquee:Care";

    /// <summary>Gets or sets how often the session rules are evaluated without a session change; 0 turns the timer off.</summary>
    public double EvaluateEverySeconds { get; set; } = 60;

    /// <summary>Gets or sets how often due trash schedules are looked for.</summary>
    public double CheckEverySeconds { get; set; } = 30;
}

/// <summary>
/// Runs library care on the injected clock: evaluates the session rules on every session change (the live events of
/// the event stream, webhooks and the poller, coalesced: a change while an evaluation is queued adds nothing) and on a
/// timer, and empties each library's trash when its schedule is due (once per due time).
/// </summary>
public sealed partial class CareScheduler(
    SessionRuleService rules,
    TrashService trash,
    TimeProvider clock,
    IOptions<CareOptions> options,
    ILogger<CareScheduler> logger) : BackgroundService, ILiveEventSink
{
    private readonly Channel<string> _changes = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, (string Cron, DateTimeOffset Next)> _due = new(StringComparer.Ordinal);

    /// <summary>Asks for an evaluation after a session change (never blocks the live pipeline).</summary>
    public Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        var change = events.FirstOrDefault(e => e.Source == "plex" && e.Kind is LiveEventKind.Play or LiveEventKind.Progress or LiveEventType.Pause or LiveEventType.Resume);
        if (change is not null)
        {
            _changes.Writer.TryWrite(change.Origin);
        }

        return Task.CompletedTask;
    }

    /// <summary>Empties the trash of every setting whose schedule is due at <paramref name="now"/>; a setting first seen is due at its next time.</summary>
    public async Task<IReadOnlyList<CareAction>> RunDueTrashAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var done = new List<CareAction>();
        var settings = (await trash.ListAsync(cancellationToken)).Where(s => s.Enabled && s.Cron() is not null).ToList();
        foreach (var key in _due.Keys.Where(k => settings.All(s => s.Key != k)).ToList())
        {
            _due.Remove(key);
        }

        foreach (var setting in settings)
        {
            var cron = setting.Cron()!;
            if (!CronSchedule.TryParse(cron, out var schedule, out _) || schedule.Next(now) is not { } next)
            {
                continue;
            }

            if (!_due.TryGetValue(setting.Key, out var due) || due.Cron != cron)
            {
                _due[setting.Key] = (cron, next);
                continue;
            }

            if (due.Next > now)
            {
                continue;
            }

            _due[setting.Key] = (cron, next);
            try
            {
                done.Add(await trash.EmptyAsync(setting.Connection, setting.Library, null, null, "schedule", cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.TrashFailed(logger, setting.Library, ex);
            }
        }

        return done;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var evaluate = options.Value.EvaluateEverySeconds > 0 ? TimeSpan.FromSeconds(options.Value.EvaluateEverySeconds) : Timeout.InfiniteTimeSpan;
        var check = TimeSpan.FromSeconds(Math.Max(1, options.Value.CheckEverySeconds));
        var nextEvaluation = clock.GetUtcNow() + (evaluate == Timeout.InfiniteTimeSpan ? TimeSpan.FromDays(3650) : evaluate);
        var nextCheck = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            if (now >= nextCheck)
            {
                nextCheck = now + check;
                await GuardAsync(() => RunDueTrashAsync(now, stoppingToken));
            }

            string? trigger = null;
            if (now >= nextEvaluation)
            {
                trigger = "timer";
            }
            else if (_changes.Reader.TryRead(out var origin))
            {
                trigger = origin;
            }

            if (trigger is not null)
            {
                nextEvaluation = now + (evaluate == Timeout.InfiniteTimeSpan ? TimeSpan.FromDays(3650) : evaluate);
                if ((await rules.ListAsync(stoppingToken)).Any(r => r.Enabled))
                {
                    await GuardAsync(() => rules.EvaluateAsync(trigger, null, stoppingToken));
                }
            }

            var wait = new[] { nextCheck, nextEvaluation }.Min() - clock.GetUtcNow();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(wait < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : wait);
            try
            {
                await _changes.Reader.WaitToReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task GuardAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.EvaluationFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Library care: an evaluation failed")]
        public static partial void EvaluationFailed(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Library care: emptying the trash of {Library} failed")]
        public static partial void TrashFailed(ILogger logger, string library, Exception exception);
    }
}
