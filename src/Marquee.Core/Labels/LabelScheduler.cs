using Marquee.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Core.Labels;

/// <summary>Runs the full label sync when its cron schedule (label settings) is due, checked every 30 seconds on the injected clock.</summary>
public sealed partial class LabelScheduler(IServiceScopeFactory scopes, TimeProvider clock, ILogger<LabelScheduler> logger) : BackgroundService
{
    private (string Cron, DateTimeOffset Next)? _due;

    /// <summary>Runs the sync when the schedule is due at <paramref name="now"/>; a schedule first seen is due at its next time. Returns whether it ran.</summary>
    public async Task<bool> RunIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var labels = scope.ServiceProvider.GetRequiredService<LabelSyncService>();
        var cron = (await labels.GetSettingsAsync(cancellationToken)).Schedule;
        if (cron is null || !CronSchedule.TryParse(cron, out var schedule, out _) || schedule.Next(now) is not { } next)
        {
            _due = null;
            return false;
        }

        if (_due is not { } due || due.Cron != cron)
        {
            _due = (cron, next);
            return false;
        }

        if (due.Next > now)
        {
            return false;
        }

        _due = (cron, next);
        var report = await labels.SyncAsync(dryRun: false, null, cancellationToken);
        Log.Ran(logger, report.Planned.Count, report.Edited, report.Failed.Count);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30), clock);
        do
        {
            try
            {
                await RunIfDueAsync(clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.Failed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Scheduled label sync: {Changes} items to change, {Edited} edited, {Failed} failed")]
        public static partial void Ran(ILogger logger, int changes, int edited, int failed);

        [LoggerMessage(2, LogLevel.Warning, "Scheduled label sync failed: {Reason}")]
        public static partial void Failed(ILogger logger, string reason);
    }
}
