using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Marquee.Core.Connections;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Marquee.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Web.Live;

/// <summary>Which Plex connections point at which server (machine identifier), as the live listeners learn it.</summary>
public sealed class PlexServerDirectory
{
    private readonly ConcurrentDictionary<long, string> _servers = new();

    public void Register(long connectionId, string? serverId)
    {
        if (serverId is { Length: > 0 })
        {
            _servers[connectionId] = serverId;
        }
    }

    /// <summary>Returns the connections of a server, or null when no connection is known to point at it.</summary>
    public IReadOnlyList<long>? ConnectionsOf(string? serverId)
    {
        var ids = _servers.Where(p => serverId is not null && p.Value == serverId).Select(p => p.Key).ToList();
        return ids.Count == 0 ? null : ids;
    }
}

/// <summary>
/// Carries new live events to the targets: every enabled flow with the event's connection as a source (or either side
/// of a two-way flow) runs. The engine has no plan for a single item yet, so the run is incremental, over the window
/// since shortly before the event; runs for the same flow are coalesced. Starts and item additions change no state
/// to copy and trigger nothing.
/// </summary>
public sealed partial class LivePropagation(
    IServiceScopeFactory scopes,
    PlexServerDirectory servers,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock,
    ILogger<LivePropagation> logger) : BackgroundService, ILiveEventSink
{
    private readonly Channel<(long FlowId, DateTimeOffset Since)> _queue = Channel.CreateUnbounded<(long, DateTimeOffset)>();
    private readonly ConcurrentDictionary<long, DateTimeOffset> _pending = new();

    public async Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        var relevant = events.Where(e => e.Kind is LiveEventKind.Watched or LiveEventKind.Rating or LiveEventKind.Progress or LiveEventKind.ItemAdded).ToList();
        if (relevant.Count == 0 || !options.CurrentValue.Live.Propagate)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var flows = (await scope.ServiceProvider.GetRequiredService<Core.Flows.FlowService>().ListAsync(cancellationToken)).Where(f => f.Enabled).ToList();
        var plex = (await scope.ServiceProvider.GetRequiredService<ConnectionService>().ListAsync(cancellationToken)).Where(c => c.Kind == "plex").Select(c => c.Id).ToList();
        foreach (var e in relevant)
        {
            var connections = servers.ConnectionsOf(e.ServerId) ?? plex;
            var since = e.OccurredAt - TimeSpan.FromMinutes(5);
            foreach (var flow in flows.Where(f => connections.Contains(f.SourceConnectionId) || (f.TwoWay && connections.Contains(f.TargetConnectionId))))
            {
                // One queued run per flow; a later event widens nothing (the earliest window wins).
                if (_pending.TryAdd(flow.Id, since))
                {
                    await _queue.Writer.WriteAsync((flow.Id, since), cancellationToken);
                }
                else
                {
                    _pending.AddOrUpdate(flow.Id, since, (_, old) => old < since ? old : since);
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (flowId, _) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (!_pending.TryRemove(flowId, out var since))
                {
                    continue;
                }

                await RunAsync(flowId, since, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(long flowId, DateTimeOffset since, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var flow = await scope.ServiceProvider.GetRequiredService<Core.Flows.FlowService>().FindAsync(flowId.ToString(CultureInfo.InvariantCulture), ct);
                var report = await scope.ServiceProvider.GetRequiredService<SyncRunner>().RunAsync(flow, new SyncOptions { Since = since, Trigger = "live" }, null, ct);
                Log.Propagated(logger, flow.Name, report.Plan.Count);
                return;
            }
            catch (ConflictException)
            {
                // The flow is running (schedule or CLI): wait for it, then run for the live window.
                await Task.Delay(TimeSpan.FromMilliseconds(500), clock, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.Failed(logger, flowId, ex.Message);
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Live events: flow '{Flow}' ran for a live event ({Writes} planned write(s))")]
        public static partial void Propagated(ILogger logger, string flow, int writes);

        [LoggerMessage(2, LogLevel.Warning, "Live events: running flow {FlowId} for a live event failed: {Error}")]
        public static partial void Failed(ILogger logger, long flowId, string error);
    }
}
