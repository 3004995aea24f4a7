namespace Marquee.Core.Providers;

/// <summary>Reads items with one account's watch state, in bulk pages of at most <see cref="ProviderCapabilities.MaxPageSize"/>.</summary>
public interface IWatchStateSource
{
    /// <summary>Streams every movie and episode (with its ids and the account's state), or those changed since <see cref="WatchStateQuery.ChangedSince"/>.</summary>
    IAsyncEnumerable<SourceItemState> ReadAsync(ProviderAccount account, WatchStateQuery query, CancellationToken cancellationToken);

    /// <summary>Reads one item's current state for the account, or null when the item no longer exists.</summary>
    Task<SourceItemState?> ReadItemAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken);
}
