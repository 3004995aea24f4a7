namespace Marquee.Core.Webhooks;

/// <summary>The durable inbox of received webhooks and the live events normalised from them.</summary>
public interface IInboxStore
{
    /// <summary>Stores a delivery and returns its id. Nothing is acknowledged to the sender before this returns.</summary>
    Task<long> AddAsync(InboxDelivery delivery, CancellationToken cancellationToken);

    /// <summary>
    /// Stores deliveries in one transaction and returns their ids in the same order: all are stored or none is.
    /// Used by <see cref="InboxAppender"/> to commit the deliveries of concurrent requests together.
    /// </summary>
    Task<IReadOnlyList<long>> AddManyAsync(IReadOnlyList<InboxDelivery> deliveries, CancellationToken cancellationToken);

    /// <summary>Returns up to <paramref name="limit"/> pending deliveries, oldest first.</summary>
    Task<IReadOnlyList<InboxDelivery>> ListPendingAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Counts an attempt before handling starts, so a crash mid-handling is visible after a restart.</summary>
    Task StartAttemptAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the delivery's events (each only if no equal event is stored yet: see <see cref="LiveEvent.DedupeKey"/>)
    /// and marks the delivery handled, in one transaction. Returns the events that were new. The delivery keeps
    /// <paramref name="keep"/> as its body (what diagnosis needs), or, when an earlier handled delivery had the same
    /// payload, only a pointer to that one.
    /// </summary>
    Task<IReadOnlyList<LiveEvent>> CompleteAsync(long id, IReadOnlyList<LiveEvent> events, byte[] keep, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes handled deliveries handled before <paramref name="handledBefore"/> (their live events stay); returns how many.</summary>
    Task<int> PruneHandledAsync(DateTimeOffset handledBefore, CancellationToken cancellationToken);

    /// <summary>Stores events seen outside the inbox (event stream, session poller) with the same deduplication.</summary>
    Task<IReadOnlyList<LiveEvent>> AddEventsAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt; after <paramref name="giveUp"/> the delivery is marked failed.</summary>
    Task FailAsync(long id, string error, bool giveUp, DateTimeOffset now, CancellationToken cancellationToken);

    Task<InboxDelivery?> GetAsync(long id, CancellationToken cancellationToken);

    Task<InboxCounts> CountAsync(CancellationToken cancellationToken);

    /// <summary>Records what propagating a stored live event did (propagated, echo, unchanged, fallback and why).</summary>
    Task SetOutcomeAsync(long eventId, string outcome, CancellationToken cancellationToken);

    /// <summary>The newest live events, newest first.</summary>
    Task<IReadOnlyList<LiveEvent>> ListEventsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>A page of live events, newest first, older than event <paramref name="before"/> when given (the web UI's paged list).</summary>
    async Task<IReadOnlyList<LiveEvent>> ListEventPageAsync(int limit, long? before, CancellationToken cancellationToken) =>
        before is null ? await ListEventsAsync(limit, cancellationToken) : (await ListEventsAsync(int.MaxValue, cancellationToken)).Where(e => e.Id < before).Take(limit).ToList();
}
