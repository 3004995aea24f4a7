using Marquee.Core.Flows;
using Marquee.Core.Scheduling;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Core.Jobs;

/// <summary>Settings of the scheduler (<c>Marquee:Scheduler</c>).</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Marquee:Scheduler";

    /// <summary>Gets how often, at most, the flows are re-read and the clock is looked at (the longest a due run waits).</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Reconciles every enabled flow on the injected clock: an incremental run (what changed since shortly before the
/// previous scheduled run) when its <see cref="Flow.Incremental"/> is due, a full run when its <see cref="Flow.Schedule"/>
/// is due (a full run due at the same time stands for both). Flows are re-read every check, so edits apply without a
/// restart; a flow still running when it is due again is skipped (one run per flow at a time).
/// </summary>
public sealed partial class SyncScheduler(IServiceScopeFactory scopes, TimeProvider clock, IOptions<SchedulerOptions> options, ILogger<SyncScheduler> logger) : BackgroundService
{
    /// <summary>How far before the previous scheduled run an incremental run reads, so that nothing on its edge is lost.</summary>
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(2);

    private readonly Dictionary<long, Due> _due = [];
    private readonly List<Task> _running = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var check = options.Value.CheckInterval > TimeSpan.Zero ? options.Value.CheckInterval : TimeSpan.FromMinutes(1);
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
            var next = _due.Values.Select(d => d.Next).DefaultIfEmpty(now + check).Min();
            var wait = next - clock.GetUtcNow();
            wait = wait < TimeSpan.FromMilliseconds(200) ? TimeSpan.FromMilliseconds(200) : wait > check ? check : wait;
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

        var enabled = flows.Where(f => f.Enabled).ToDictionary(f => f.Id);
        foreach (var id in _due.Keys.Where(id => !enabled.ContainsKey(id)).ToList())
        {
            _due.Remove(id);
        }

        foreach (var flow in enabled.Values)
        {
            var full = Parse(flow.Schedule, ReconcileSchedule.DefaultFull);
            var incremental = Parse(flow.Incremental, ReconcileSchedule.DefaultIncremental);
            if (!_due.TryGetValue(flow.Id, out var due) || due.Full.Expression != full.Expression || due.Incremental.Expression != incremental.Expression)
            {
                // First seen, or its schedules changed: the next times count from now, and the window from now on.
                _due[flow.Id] = new Due(full, incremental, full.Next(now), incremental.Next(now), due?.LastRun ?? now);
                continue;
            }

            var fullDue = due.NextFull <= now;
            var incrementalDue = due.NextIncremental <= now;
            if (!fullDue && !incrementalDue)
            {
                continue;
            }

            var since = fullDue ? (DateTimeOffset?)null : due.LastRun - Overlap;
            _due[flow.Id] = due with
            {
                NextFull = fullDue ? full.Next(now) : due.NextFull,
                NextIncremental = incremental.Next(now),
                LastRun = now,
            };
            _running.Add(RunAsync(flow, since, cancellationToken));
        }
    }

    private static ReconcileSchedule Parse(string? value, string fallback) =>
        ReconcileSchedule.TryParse(value ?? fallback, "schedule", out var schedule, out _) ? schedule : Off;

    private static ReconcileSchedule Off => ReconcileSchedule.TryParse(ReconcileSchedule.Off, "schedule", out var off, out _) ? off : throw new InvalidOperationException();

    private async Task RunAsync(Flow flow, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var kind = since is null ? "full" : "incremental";
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<FlowRunner>().RunAsync(flow, new SyncOptions { Trigger = "schedule", Since = since }, null, cancellationToken);
            Log.Ran(logger, kind, flow.Name, report.Run.Id, report.Run.Status, report.Run.Written);
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

    /// <summary>A flow's two schedules, when each is next due (null: off), and when the scheduler last ran it.</summary>
    private sealed record Due(ReconcileSchedule Full, ReconcileSchedule Incremental, DateTimeOffset? NextFull, DateTimeOffset? NextIncremental, DateTimeOffset LastRun)
    {
        public DateTimeOffset Next => new[] { NextFull, NextIncremental }.Where(n => n is not null).Select(n => n!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Scheduled {Kind} run of flow {Flow}: run {RunId} {Status}, {Written} written")]
        public static partial void Ran(ILogger logger, string kind, string flow, long runId, string status, int written);

        [LoggerMessage(2, LogLevel.Warning, "Scheduled run of flow {Flow} failed")]
        public static partial void RunFailed(ILogger logger, string flow, Exception exception);

        [LoggerMessage(3, LogLevel.Information, "Flow {Flow} is still running; its scheduled run is skipped")]
        public static partial void StillRunning(ILogger logger, string flow);

        [LoggerMessage(4, LogLevel.Warning, "The scheduler could not read the flows")]
        public static partial void TickFailed(ILogger logger, Exception exception);
    }
}
