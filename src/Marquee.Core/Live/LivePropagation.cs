using System.Threading.Channels;
using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Sync;
using Marquee.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Core.Live;

/// <summary>
/// Carries new live events to the targets. An event for one item of one account becomes a targeted run of every enabled
/// flow with the event's connection as a source (or either side of a two-way flow; for an added item, either side):
/// that item only is read, planned and written (<see cref="TargetedSync"/>). An event that cannot be targeted (its
/// server is not known, the item does not resolve) runs the flow incrementally over the window since shortly before
/// the event. What each event did is recorded on it: propagated, echo (Marquee's own write coming back), unchanged or
/// fallback with the reason. Starts change no state to copy and trigger nothing.
/// </summary>
public sealed partial class LivePropagation(
    IServiceScopeFactory scopes,
    ServerDirectory servers,
    IEnumerable<IServerIdentity> identities,
    IInboxStore inbox,
    IOptionsMonitor<WebhookOptions> options,
    ILogger<LivePropagation> logger) : BackgroundService, ILiveEventSink
{
    private readonly Channel<LiveEvent> _queue = Channel.CreateUnbounded<LiveEvent>();

    public async Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        if (!options.CurrentValue.Live.Propagate)
        {
            return;
        }

        foreach (var e in events.Where(e => e.Kind is LiveEventKind.Watched or LiveEventKind.Rating or LiveEventKind.Progress or LiveEventKind.ItemAdded))
        {
            await _queue.Writer.WriteAsync(e, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var e in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await PropagateAsync(e, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The event is stored; the next incremental run carries what it changed.
                    Log.Failed(logger, e.Id, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PropagateAsync(LiveEvent e, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var flows = (await scope.ServiceProvider.GetRequiredService<FlowService>().ListAsync(ct)).Where(f => f.Enabled).ToList();
        if (flows.Count == 0)
        {
            return;
        }

        var identity = identities.FirstOrDefault(i => i.Kind == e.Source);
        var connection = identity is null ? null : await servers.ConnectionOfAsync(identity, scope.ServiceProvider.GetRequiredService<ConnectionService>(), e.ServerId, ct);
        var since = e.OccurredAt - TimeSpan.FromMinutes(5);
        var outcomes = new List<string>();
        if (connection is not { } connectionId)
        {
            // The server is not known (or the event comes from Jellyfin or Emby, whose events are not targeted yet): every
            // flow that reads a connection of the event's kind catches up incrementally.
            var ofKind = (await scope.ServiceProvider.GetRequiredService<ConnectionService>().ListAsync(ct)).Where(c => c.Kind == e.Source).Select(c => c.Id).ToHashSet();
            foreach (var flow in flows.Where(f => ofKind.Contains(f.SourceConnectionId) || (f.TwoWay && ofKind.Contains(f.TargetConnectionId))))
            {
                await IncrementalAsync(flow, since, ct);
                outcomes.Add($"{flow.Name}: {TargetedOutcome.Fallback} (server {e.ServerId ?? "?"} is no known connection)");
            }
        }
        else
        {
            var added = e.Kind == LiveEventKind.ItemAdded;
            var item = new TargetedItem(connectionId, e.AccountId, e.LocalKey, e.Origin, added);
            foreach (var flow in flows.Where(f => f.SourceConnectionId == connectionId || ((f.TwoWay || added) && f.TargetConnectionId == connectionId)))
            {
                var result = await scope.ServiceProvider.GetRequiredService<FlowRunner>().RunItemAsync(flow, item, ct);
                if (result.FellBack)
                {
                    await IncrementalAsync(flow, since, ct);
                }

                Log.Propagated(logger, e.Id, flow.Name, result.Outcome, result.Reason ?? string.Empty);
                outcomes.Add(result.Reason is null ? $"{flow.Name}: {result.Outcome}" : $"{flow.Name}: {result.Outcome} ({result.Reason})");
            }
        }

        if (outcomes.Count > 0 && e.Id > 0)
        {
            await inbox.SetOutcomeAsync(e.Id, string.Join("; ", outcomes), ct);
        }
    }

    private async Task IncrementalAsync(Flow flow, DateTimeOffset since, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<FlowRunner>().RunAsync(flow, new SyncOptions { Since = since, Trigger = "live", WhenBusy = WhenBusy.Wait }, null, ct);
        Log.RanIncrementally(logger, flow.Name, report.Plan.Count);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Live events: event {EventId} on flow '{Flow}': {Outcome} {Reason}")]
        public static partial void Propagated(ILogger logger, long eventId, string flow, string outcome, string reason);

        [LoggerMessage(2, LogLevel.Warning, "Live events: propagating event {EventId} failed: {Error}")]
        public static partial void Failed(ILogger logger, long eventId, string error);

        [LoggerMessage(3, LogLevel.Information, "Live events: flow '{Flow}' ran incrementally for a live event ({Writes} planned write(s))")]
        public static partial void RanIncrementally(ILogger logger, string flow, int writes);
    }
}
