using System.Runtime.CompilerServices;

namespace Marquee.Providers.Http;

/// <summary>
/// Pages through a listing asked for by offset and size (Plex: PLEX-API.md 1.4; Jellyfin and Emby: <c>StartIndex</c> and
/// <c>Limit</c>): start += items while start &lt; the total and the page was not empty. When the server gives the
/// total, the next <see cref="Ahead"/> pages are asked for before a page's items are handed on, so the server prepares
/// them while they are matched (the same requests, asked for sooner); without a total, one page at a time. A page asked
/// for ahead starts where the pages before it would end if full: a page that comes back shorter or longer than asked (a
/// server that caps its page size) leaves the pages ahead of it starting at the wrong place, so they are dropped unread
/// and the rest of the listing is asked one page ahead, each from where the last one ended: no item is skipped or read
/// twice whatever size the server sends.
/// </summary>
internal static class PagedListing
{
    /// <summary>How many pages of a listing are asked for ahead of the one being handed on.</summary>
    public const int Ahead = 2;

    public static async IAsyncEnumerable<TItem> ReadAsync<TPage, TItem>(
        Func<long, CancellationToken, Task<TPage>> page,
        Func<TPage, (List<TItem>? Items, long? Total)> read,
        int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var left = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ahead = new Queue<(long Start, Task<TPage> Page)>();
        void Ask(long start) => ahead.Enqueue((start, page(start, left.Token)));

        var depth = Ahead;
        Ask(0);
        try
        {
            while (ahead.TryDequeue(out var asked))
            {
                var (listed, totalSize) = read(await asked.Page);
                var items = listed ?? [];
                var start = asked.Start + items.Count;
                var total = totalSize ?? start;
                var last = items.Count == 0 || start >= total || (items.Count < pageSize && totalSize is null);
                if (ahead.TryPeek(out var next) && (last || next.Start != start))
                {
                    depth = 1;
                    await DropAsync(ahead);
                }

                if (!last && totalSize is not null)
                {
                    var from = ahead.Count == 0 ? start : ahead.Last().Start + pageSize;
                    for (; ahead.Count < depth && from < total; from += pageSize)
                    {
                        Ask(from);
                    }
                }

                foreach (var item in items)
                {
                    yield return item;
                }

                if (!last && ahead.Count == 0)
                {
                    Ask(start);
                }
            }
        }
        finally
        {
            // A listing left early (an error downstream, a cancellation) cancels the pages asked for ahead and leaves them observed.
            if (ahead.Count > 0)
            {
                await left.CancelAsync();
                await DropAsync(ahead);
            }
        }

        static async Task DropAsync(Queue<(long Start, Task<TPage> Page)> ahead)
        {
            while (ahead.TryDequeue(out var dropped))
            {
                await ((Task)dropped.Page).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
