using Marquee.Core.Webhooks;

namespace Marquee.Core.Live;

/// <summary>
/// A provider's own live path (an event stream, a session poller): runs until stopped and hands what it sees to the
/// publisher, which stores the events (one per playback, whichever path saw it) and passes the new ones on.
/// </summary>
public interface ILiveEventSource
{
    /// <summary>Gets the provider kind, for example <c>plex</c>.</summary>
    string Kind { get; }

    /// <summary>Watches every connection of the kind until <paramref name="cancellationToken"/> fires.</summary>
    Task RunAsync(ILiveEventPublisher publisher, CancellationToken cancellationToken);
}

/// <summary>Where a live-event source hands its events.</summary>
public interface ILiveEventPublisher
{
    Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken);
}
