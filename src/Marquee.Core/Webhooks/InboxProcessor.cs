using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Core.Webhooks;

/// <summary>
/// Drains the inbox: each pending delivery is parsed by the registered format of its source (<see cref="IWebhookFormat"/>), and its events are
/// stored together with the "handled" mark. At least once: a delivery interrupted by a crash is handled again after
/// the restart, and the events' deduplication keys make the second time change nothing.
/// </summary>
public sealed partial class InboxProcessor(
    IInboxStore store,
    WebhookFormats formats,
    IEnumerable<ILiveEventSink> sinks,
    InboxSignal signal,
    DeliveryHistory history,
    InboxBacklog backlog,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock,
    ILogger<InboxProcessor> logger) : BackgroundService
{
    /// <summary>Handles every pending delivery now; returns how many were handled. Used by the loop and by tests.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (!cancellationToken.IsCancellationRequested && !options.CurrentValue.ProcessorPaused)
        {
            var mark = backlog.Mark();
            var batch = await store.ListPendingAsync(Math.Max(1, options.CurrentValue.BatchSize), cancellationToken);
            if (batch.Count == 0)
            {
                backlog.Empty(mark);
                break;
            }

            foreach (var delivery in batch)
            {
                await HandleAsync(delivery, cancellationToken);
                total++;
            }
        }

        return total;
    }

    /// <summary>Deletes handled deliveries older than the retention; returns how many. Used by the loop and by tests.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var days = options.CurrentValue.RetentionDays;
        if (days <= 0)
        {
            return 0;
        }

        var pruned = await store.PruneHandledAsync(clock.GetUtcNow() - TimeSpan.FromDays(days), cancellationToken);
        if (pruned > 0)
        {
            Log.Pruned(logger, pruned, days);
        }

        return pruned;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Started(logger, options.CurrentValue.ProcessorPaused);
        try
        {
            backlog.Reset((await store.CountAsync(stoppingToken)).Count(InboxStatus.Pending));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Counted from what is stored and handled from now on; the first empty inbox sets it right.
            Log.LoopFailed(logger, ex);
        }

        // The first prune waits a minute: a start is busy enough (migrations, listeners, the backlog) without it.
        DateTimeOffset pruned = clock.GetUtcNow() - TimeSpan.FromMinutes(Math.Max(0.01, options.CurrentValue.PruneIntervalMinutes)) + TimeSpan.FromMinutes(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (clock.GetUtcNow() - pruned >= TimeSpan.FromMinutes(Math.Max(0.01, options.CurrentValue.PruneIntervalMinutes)))
                {
                    await PruneAsync(stoppingToken);
                    pruned = clock.GetUtcNow();
                }

                await DrainAsync(stoppingToken);
                await signal.WaitAsync(TimeSpan.FromSeconds(Math.Max(0.05, options.CurrentValue.ProcessorPollSeconds)), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The store is unavailable or something unexpected: wait and try again; the deliveries stay pending.
                Log.LoopFailed(logger, ex);
                if (!await LoopPause.AfterFailureAsync(clock, stoppingToken))
                {
                    break;
                }
            }
        }
    }

    private async Task HandleAsync(InboxDelivery delivery, CancellationToken cancellationToken)
    {
        await store.StartAttemptAsync(delivery.Id, cancellationToken);
        IReadOnlyList<LiveEvent> events;
        string? eventName = null;
        IWebhookFormat format;
        try
        {
            format = formats.Find(delivery.Source) ?? throw new WebhookFormatException($"No webhook format reads deliveries from '{delivery.Source}'.");
            (eventName, events) = format.Normalise(delivery);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var giveUp = ex is WebhookFormatException || delivery.Attempts + 1 >= options.CurrentValue.MaxAttempts;
            await store.FailAsync(delivery.Id, Clip(ex.Message), giveUp, clock.GetUtcNow(), cancellationToken);
            if (giveUp)
            {
                backlog.Done();
            }

            history.Update(delivery.Id, giveUp ? InboxStatus.Failed : InboxStatus.Pending, Clip(ex.Message));
            Log.HandlingFailed(logger, delivery.Id, ex.Message);
            return;
        }

        var added = await store.CompleteAsync(delivery.Id, events, format.Compact(delivery.Body), clock.GetUtcNow(), cancellationToken);
        backlog.Done();
        history.Update(delivery.Id, InboxStatus.Handled, null);
        Log.Handled(logger, delivery.Id, eventName ?? "?", events.Count, added.Count);
        await sinks.PublishToEachAsync(added, ex => Log.SinkFailed(logger, delivery.Id, ex), cancellationToken);
    }

    private static string Clip(string text) => text.Length <= 500 ? text : text[..500];

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Inbox processor started (paused: {Paused})")]
        public static partial void Started(ILogger logger, bool paused);

        [LoggerMessage(2, LogLevel.Debug, "Delivery {Id} ({Event}) handled: {Events} event(s), {New} new")]
        public static partial void Handled(ILogger logger, long id, string @event, int events, int @new);

        [LoggerMessage(3, LogLevel.Warning, "Delivery {Id} could not be handled: {Error}")]
        public static partial void HandlingFailed(ILogger logger, long id, string error);

        [LoggerMessage(4, LogLevel.Error, "The inbox processor failed; retrying")]
        public static partial void LoopFailed(ILogger logger, Exception exception);

        [LoggerMessage(5, LogLevel.Warning, "Propagating the events of delivery {Id} failed")]
        public static partial void SinkFailed(ILogger logger, long id, Exception exception);

        [LoggerMessage(6, LogLevel.Information, "Inbox: {Count} handled deliveries older than {Days} days deleted")]
        public static partial void Pruned(ILogger logger, int count, double days);
    }
}
