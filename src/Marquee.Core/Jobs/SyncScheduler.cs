using Marquee.Core.Flows;
using Marquee.Core.Scheduling;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Core.Jobs;

/// <summary>
/// Runs flows that have a cron <c>schedule</c>, on the injected clock. Flows are re-read every minute, so edits apply
/// without a restart; a flow still running when it is due again is skipped (one run per flow at a time).
/// </summary>
public sealed partial class SyncScheduler(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SyncScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan Rescan = TimeSpan.FromMinutes(1);
    private readonly Dictionary<long, (string Schedule, DateTimeOffset Next)> _due = [];
    private readonly List<Task> _running = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            try
            {
                await TickAsync(now, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.TickFailed(logger, ex);
            }

            _running.RemoveAll(t => t.IsCompleted);
            var next = _due.Count == 0 ? now + Rescan : _due.Values.Min(d => d.Next);
            var wait = next - clock.GetUtcNow();
            wait = wait < TimeSpan.FromMilliseconds(200) ? TimeSpan.FromMilliseconds(200) : wait > Rescan ? Rescan : wait;
            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(_running);
    }

    private async Task TickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        IReadOnlyList<Flow> flows;
        await using (var scope = scopes.CreateAsyncScope())
        {
            flows = await scope.ServiceProvider.GetRequiredService<FlowService>().ListAsync(cancellationToken);
        }

        var scheduled = flows.Where(f => f.Enabled && f.Schedule is not null).ToDictionary(f => f.Id);
        foreach (var id in _due.Keys.Where(id => !scheduled.ContainsKey(id) || scheduled[id].Schedule != _due[id].Schedule).ToList())
        {
            _due.Remove(id);
        }

        foreach (var flow in scheduled.Values)
        {
            if (!_due.TryGetValue(flow.Id, out var due))
            {
                if (CronSchedule.TryParse(flow.Schedule, out var cron, out _) && cron.Next(now) is { } first)
                {
                    _due[flow.Id] = (flow.Schedule!, first);
                }

                continue;
            }

            if (due.Next > now)
            {
                continue;
            }

            _due[flow.Id] = (due.Schedule, CronSchedule.Parse(due.Schedule).Next(now) ?? DateTimeOffset.MaxValue);
            _running.Add(RunAsync(flow, cancellationToken));
        }
    }

    private async Task RunAsync(Flow flow, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<FlowRunner>().RunAsync(flow, new SyncOptions { Trigger = "schedule" }, null, cancellationToken);
            Log.Ran(logger, flow.Name, report.Run.Id, report.Run.Status, report.Run.Written);
        }
        catch (ConflictException)
        {
            // One run per flow at a time: the run under way covers this time; the next is at the next scheduled time.
            Log.StillRunning(logger, flow.Name);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RunFailed(logger, flow.Name, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Scheduled run of flow {Flow}: run {RunId} {Status}, {Written} written")]
        public static partial void Ran(ILogger logger, string flow, long runId, string status, int written);

        [LoggerMessage(2, LogLevel.Warning, "Scheduled run of flow {Flow} failed")]
        public static partial void RunFailed(ILogger logger, string flow, Exception exception);

        [LoggerMessage(3, LogLevel.Information, "Flow {Flow} is still running; its scheduled run is skipped")]
        public static partial void StillRunning(ILogger logger, string flow);

        [LoggerMessage(4, LogLevel.Warning, "The scheduler could not read the flows")]
        public static partial void TickFailed(ILogger logger, Exception exception);
    }
}
