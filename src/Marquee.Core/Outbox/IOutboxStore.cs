namespace Marquee.Core.Outbox;

/// <summary>The durable outbox: writes to external systems waiting to be made, with their attempts and each target's circuit.</summary>
public interface IOutboxStore
{
    /// <summary>
    /// Stores a delivery unless one with the same idempotency key is stored, and returns the stored one. Returns only once
    /// the row is committed: nothing is acknowledged before it is durable.
    /// </summary>
    Task<(OutboxMessage Message, bool Created)> EnqueueAsync(OutboxEntry entry, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Returns pending deliveries whose next attempt is due and whose target is not backed off, oldest first, at most
    /// <paramref name="perTarget"/> per target and <paramref name="limit"/> in all. A delivery behind an older one of its
    /// lane (same target and order key) that is being sent or not due yet is not returned: a lane keeps its order.
    /// </summary>
    Task<IReadOnlyList<OutboxMessage>> ListDueAsync(DateTimeOffset now, int perTarget, int limit, CancellationToken cancellationToken);

    /// <summary>When the next pending delivery becomes due (its own time or its target's, whichever is later), or null.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Marks a pending delivery as being sent, counts the attempt and returns its (encrypted) payload for the handler;
    /// null when it is no longer pending (another dispatcher has it, or it is done).
    /// </summary>
    Task<string?> ClaimAsync(long id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records an attempt's outcome and the target's circuit in one transaction. A success does not close a circuit that
    /// is still open (another lane's attempt failed while this one was under way): the target's wait holds.
    /// </summary>
    Task CompleteAttemptAsync(OutboxMessage message, OutboxAttempt attempt, CancellationToken cancellationToken);

    /// <summary>
    /// Records several attempts' outcomes (as <see cref="CompleteAttemptAsync"/> does each, in the given order) and then
    /// claims several deliveries (as <see cref="ClaimAsync"/> does each), in one transaction; returns the (encrypted)
    /// payloads of the deliveries claimed, by id (one no longer pending is left out).
    /// </summary>
    Task<IReadOnlyDictionary<long, string>> CompleteAndClaimAsync(
        IReadOnlyList<(OutboxMessage Message, OutboxAttempt Attempt)> attempts,
        IReadOnlyList<long> claims,
        DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>Gives back claims that were never attempted: pending again, the attempt not counted.</summary>
    Task ReleaseClaimsAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken);

    /// <summary>Puts deliveries left "sending" by a process that stopped mid-attempt back to pending; returns how many.</summary>
    Task<int> ReleaseInterruptedAsync(CancellationToken cancellationToken);

    /// <summary>Makes a dead-lettered (or pending) delivery due now, with its attempts reset; false when it is delivered or sending.</summary>
    Task<bool> RetryAsync(long id, DateTimeOffset now, CancellationToken cancellationToken);

    Task<OutboxMessage?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The newest deliveries first, optionally only those with <paramref name="status"/>.</summary>
    Task<IReadOnlyList<OutboxMessage>> ListAsync(string? status, int limit, CancellationToken cancellationToken);

    Task<OutboxCounts> CountAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes delivered deliveries done before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneDeliveredAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
