using System.Collections.Concurrent;

namespace Marquee.Core.Providers;

/// <summary>Reads items with one account's watch state, in bulk pages of at most <see cref="ProviderCapabilities.MaxPageSize"/>.</summary>
public interface IWatchStateSource
{
    /// <summary>Streams every movie and episode (with its ids and the account's state), or those changed since <see cref="WatchStateQuery.ChangedSince"/>.</summary>
    IAsyncEnumerable<SourceItemState> ReadAsync(ProviderAccount account, WatchStateQuery query, CancellationToken cancellationToken);

    /// <summary>Reads one item's current state for the account, or null when the item no longer exists.</summary>
    Task<SourceItemState?> ReadItemAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken);

    /// <summary>
    /// Reads several items' current state for the account; items that no longer exist, or could not be read, are left out.
    /// This default reads them one by one (four at a time); a provider that can read many items in one request overrides it.
    /// </summary>
    async Task<IReadOnlyDictionary<string, SourceItemState>> ReadItemsAsync(ProviderAccount account, IReadOnlyCollection<string> localKeys, CancellationToken cancellationToken)
    {
        var found = new ConcurrentDictionary<string, SourceItemState>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(localKeys, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            try
            {
                if (await ReadItemAsync(account, key, ct) is { } item)
                {
                    found[key] = item;
                }
            }
            catch (ProviderException)
            {
                // Not read: the caller keeps what it knew of this item.
            }
        });
        return found;
    }
}
