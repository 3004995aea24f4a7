using Marquee.Core.Webhooks;
using Microsoft.Extensions.Hosting;

namespace Marquee.Core.Live;

/// <summary>
/// Runs every registered <see cref="ILiveEventSource"/>. What a source sees goes to the inbox store, which keeps one
/// event per playback whichever path saw it; the new events go to every <see cref="ILiveEventSink"/>.
/// </summary>
public sealed class LiveEventSources(IEnumerable<ILiveEventSource> sources, IInboxStore store, IEnumerable<ILiveEventSink> sinks) : BackgroundService, ILiveEventPublisher
{
    public async Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var added = await store.AddEventsAsync(events, cancellationToken);
        foreach (var sink in sinks)
        {
            if (added.Count > 0)
            {
                await sink.PublishAsync(added, cancellationToken);
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(sources.Select(s => s.RunAsync(this, stoppingToken)));
}
