using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Plex;

/// <summary>
/// The filtered and sorted items of the last few section listings (<c>/library/sections/{id}/all</c>), so a client
/// reading a section page by page costs one filter and sort, not one per page. A listing is a function of the library,
/// the accounts' watch state, the account, the section, the type, the query without its paging parameters and, for
/// relative dates, the clock: the key holds the last four, and every entry is dropped as soon as
/// <see cref="PlexState.Revision"/> moves (any write to the library or to any account's state).
/// </summary>
internal sealed class SectionListings
{
    /// <summary>Enough for the sections and types one sync reads for one account at a time; a full cache is emptied, not grown.</summary>
    private const int Capacity = 8;

    private readonly Lock _gate = new();
    private readonly Dictionary<ListingKey, List<PlexItem>> _entries = [];
    private long _revision = -1;

    /// <summary>
    /// The listing for <paramref name="key"/> as of <paramref name="revision"/>, which the caller read before
    /// <paramref name="build"/> reads any item, so a listing built while a write lands is never kept past it.
    /// </summary>
    public IReadOnlyList<PlexItem> Get(ListingKey key, long revision, Func<List<PlexItem>> build)
    {
        lock (_gate)
        {
            if (revision > _revision)
            {
                _entries.Clear();
                _revision = revision;
            }
            else if (revision == _revision && _entries.TryGetValue(key, out var cached))
            {
                return cached;
            }
        }

        var built = build();
        lock (_gate)
        {
            if (revision == _revision)
            {
                if (_entries.Count >= Capacity)
                {
                    _entries.Clear();
                }

                _entries[key] = built;
            }
        }

        return built;
    }
}

/// <summary>What a section listing depends on besides the library and the watch state.</summary>
/// <param name="AccountId">The account asking (filters and sorts on watch state are per account).</param>
/// <param name="SectionId">The section.</param>
/// <param name="Type">The item type listed.</param>
/// <param name="Query">The media query as <see cref="MediaQuery.Key"/> gives it: without paging, with the clock when it uses relative dates.</param>
internal readonly record struct ListingKey(long AccountId, int SectionId, ItemType Type, string Query);
