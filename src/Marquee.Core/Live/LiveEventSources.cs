using Marquee.Core.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Core.Live;

/// <summary>
/// Runs every registered <see cref="ILiveEventSource"/>. What a source sees goes to the inbox store, which keeps one
/// event per playback whichever path saw it; the new events go to every <see cref="ILiveEventSink"/>, a failing one
/// keeping them from none of the others.
/// </summary>
public sealed partial class LiveEventSources(IEnumerable<ILiveEventSource> sources, IInboxStore store, IEnumerable<ILiveEventSink> sinks, ILogger<LiveEventSources> logger)
    : BackgroundService, ILiveEventPublisher
{
    public async Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var added = await store.AddEventsAsync(events, cancellationToken);
        await sinks.PublishToEachAsync(added, ex => Log.SinkFailed(logger, added.Count, ex), cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(sources.Select(s => s.RunAsync(this, stoppingToken)));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A consumer of {Count} live event(s) failed")]
        public static partial void SinkFailed(ILogger logger, int count, Exception exception);
    }
}
