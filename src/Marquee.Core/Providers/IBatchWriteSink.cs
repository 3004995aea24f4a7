namespace Marquee.Core.Providers;

/// <summary>One write of a batch: what <see cref="Sync.SyncExecutor"/> would otherwise send through the per-item sinks.</summary>
/// <param name="LocalKey">The item on the target.</param>
/// <param name="Action">A <see cref="Sync.WriteAction"/> value.</param>
/// <param name="WatchedAt">The play's original date (watches).</param>
/// <param name="Rating">The 0–10 rating, or null to clear it (ratings).</param>
/// <param name="RatedAt">When it was rated (ratings).</param>
/// <param name="ProgressMs">The resume point (progress).</param>
/// <param name="DurationMs">The item's length the resume point is measured against (progress).</param>
public sealed record BatchWrite(string LocalKey, string Action, DateTimeOffset? WatchedAt, double? Rating, DateTimeOffset? RatedAt, long? ProgressMs = null, long? DurationMs = null);

/// <summary>
/// A sink whose server takes many items per request and limits how often it may be written (Trakt: one write per second,
/// 100 items per POST). The executor journals each write as usual, then hands all of one account's writes to
/// <see cref="WriteBatchAsync"/> at once instead of calling the per-item sinks.
/// </summary>
public interface IBatchWriteSink
{
    /// <summary>Sends the writes; returns, in their order, null for each the server took, or why it failed.</summary>
    Task<IReadOnlyList<ProviderException?>> WriteBatchAsync(ProviderAccount account, IReadOnlyList<BatchWrite> writes, CancellationToken cancellationToken);
}

/// <summary>
/// A target whose catalogue holds every title (Trakt): it lists only what the account has touched, and takes writes for
/// any movie or episode named by its ids. The planner writes an item the other side lists under <see cref="KeyFor"/>
/// even when this side has never listed it.
/// </summary>
public interface ICatalogTarget
{
    /// <summary>The local key this side gives the item (derived from its ids), or null when its ids cannot name it here.</summary>
    string? KeyFor(SourceItem item);
}
