using System.Threading.Channels;
using Marquee.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Core.Labels;

/// <summary>
/// Runs the full label sync when its schedule (label settings: cron, or a time of day on days of the week) is due, checked every 30 seconds on the injected
/// clock, and in real time: a Radarr/Sonarr Download, a Seerr request webhook or a Plex library.new asks for a run (coalesced: a change while a
/// run is queued adds nothing). A run costs the listing pages, so an item that reached Plex is labelled within seconds,
/// and one that has not yet is labelled by the run its library.new starts.
/// </summary>
public sealed partial class LabelScheduler(IServiceScopeFactory scopes, TimeProvider clock, ILogger<LabelScheduler> logger) : BackgroundService, ILiveEventSink
{
    /// <summary>The live event kind of a Radarr or Sonarr Download (see the Arr webhook format).</summary>
    public const string ArrDownload = "arr-download";

    /// <summary>The live event kind of a new, approved or available request in Overseerr/Jellyseerr/Seerr (their webhook).</summary>
    public const string SeerrRequest = "seerr-request";

    private readonly Channel<string> _changes = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private (string Cron, DateTimeOffset Next)? _due;

    /// <summary>Asks for a run after a Download, a Seerr request or a library.new (never blocks the live pipeline).</summary>
    public Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        var change = events.FirstOrDefault(e => e.Kind is ArrDownload or SeerrRequest || (e.Source == "plex" && e.Kind == LiveEventKind.ItemAdded));
        if (change is not null)
        {
            _changes.Writer.TryWrite(change.Kind);
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs the sync when the schedule is due at <paramref name="now"/>; a schedule first seen is due at its next time. Returns whether it ran.</summary>
    public async Task<bool> RunIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var labels = scope.ServiceProvider.GetRequiredService<LabelSyncService>();
        var settings = await labels.GetSettingsAsync(cancellationToken);
        var cron = settings.Cron();
        if (cron is null || settings.NextRun(now) is not { } next)
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

    /// <summary>Runs the sync when a pending entry's retry is due (a title not in Plex yet may have arrived). Returns whether it ran.</summary>
    public async Task<bool> RunPendingIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var labels = scope.ServiceProvider.GetRequiredService<LabelSyncService>();
        if (!await labels.PendingDueAsync(now, cancellationToken))
        {
            return false;
        }

        var report = await labels.SyncAsync(dryRun: false, null, cancellationToken);
        Log.Retried(logger, report.PendingResolved, report.Pending);
        return true;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(ScheduleAsync(stoppingToken), LiveAsync(stoppingToken));

    private async Task LiveAsync(CancellationToken stoppingToken)
    {
        await foreach (var kind in _changes.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var labels = scope.ServiceProvider.GetRequiredService<LabelSyncService>();
                var settings = await labels.GetSettingsAsync(stoppingToken);
                if (settings.TagInstances.Count == 0 && settings.Seerr.Count == 0 && !settings.Watchlists)
                {
                    continue;
                }

                var report = await labels.SyncAsync(dryRun: false, null, stoppingToken);
                Log.Live(logger, kind, report.Planned.Count, report.Edited);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.Failed(logger, ex.Message);
            }
        }
    }

    private async Task ScheduleAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30), clock);
        do
        {
            try
            {
                if (!await RunIfDueAsync(clock.GetUtcNow(), stoppingToken))
                {
                    await RunPendingIfDueAsync(clock.GetUtcNow(), stoppingToken);
                }
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

        [LoggerMessage(3, LogLevel.Information, "Label sync after {Kind}: {Changes} items to change, {Edited} edited")]
        public static partial void Live(ILogger logger, string kind, int changes, int edited);

        [LoggerMessage(4, LogLevel.Information, "Label sync for pending titles: {Resolved} found in Plex, {Pending} still pending")]
        public static partial void Retried(ILogger logger, int resolved, int pending);

        [LoggerMessage(2, LogLevel.Warning, "Label sync failed: {Reason}")]
        public static partial void Failed(ILogger logger, string reason);
    }
}
