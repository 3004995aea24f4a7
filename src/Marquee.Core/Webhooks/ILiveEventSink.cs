namespace Marquee.Core.Webhooks;

/// <summary>
/// A consumer of live events: takes them once they are stored (new ones only, never duplicates), whichever path saw
/// them (webhook, event stream, poller). Sync (<see cref="Live.LivePropagation"/>) is the first; a consumer is added by
/// registering another implementation.
/// </summary>
public interface ILiveEventSink
{
    Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken);
}
