namespace Marquee.Core.Providers;

/// <summary>
/// Writes one account's watch state. Each call is one idempotent change; callers read before they write so
/// a finished sync makes no writes. Providers that cannot backdate (<see cref="ProviderCapabilities.CanBackdateWatched"/>
/// false) ignore <c>watchedAt</c>; the ledger keeps the original date.
/// </summary>
public interface IWatchStateSink
{
    Task MarkWatchedAsync(ProviderAccount account, string localKey, DateTimeOffset? watchedAt, CancellationToken cancellationToken);

    Task MarkUnwatchedAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken);
}

/// <summary>Writes one account's resume points; a provider implements it only when its server takes them.</summary>
public interface IProgressSink
{
    /// <summary>Sets the resume point; <paramref name="durationMs"/> is the item's length, which some servers require.</summary>
    Task SetProgressAsync(ProviderAccount account, string localKey, long positionMs, long durationMs, CancellationToken cancellationToken);
}

/// <summary>Writes one account's ratings; a provider implements it only when its server takes them.</summary>
public interface IRatingSink
{
    /// <summary>Sets a 0–10 rating, or clears it when <paramref name="rating"/> is null.</summary>
    Task SetRatingAsync(ProviderAccount account, string localKey, double? rating, DateTimeOffset? ratedAt, CancellationToken cancellationToken);
}
