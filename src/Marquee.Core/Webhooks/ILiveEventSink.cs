namespace Marquee.Core.Webhooks;

/// <summary>Takes live events once they are stored (new ones only, never duplicates), for example to propagate them.</summary>
public interface ILiveEventSink
{
    Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken);
}
