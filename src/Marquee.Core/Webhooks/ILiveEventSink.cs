namespace Marquee.Core.Webhooks;

/// <summary>
/// A consumer of live events: takes them once they are stored (new ones only, never duplicates), whichever path saw
/// them (webhook, event stream, poller). Sync (<see cref="Live.LivePropagation"/>) is the first; a consumer is added by
/// registering another implementation. Each consumer gets every event, whatever the kind (see <see cref="LiveEventKind"/>),
/// and picks the kinds it acts on.
/// </summary>
public interface ILiveEventSink
{
    Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken);
}

/// <summary>Handing stored events to every consumer.</summary>
public static class LiveEventSinks
{
    /// <summary>
    /// Gives <paramref name="events"/> to each sink in turn; one that fails is reported to <paramref name="failed"/> and
    /// does not keep the events from the others (the events are stored; an incremental run carries what sync missed).
    /// </summary>
    public static async Task PublishToEachAsync(this IEnumerable<ILiveEventSink> sinks, IReadOnlyList<LiveEvent> events, Action<Exception> failed, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        foreach (var sink in sinks)
        {
            try
            {
                await sink.PublishAsync(events, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed(ex);
            }
        }
    }
}
