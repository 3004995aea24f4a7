using Marquee.Core.Flows;
using Marquee.Core.Items;
using Marquee.Core.Providers;

namespace Marquee.Core.Sync;

/// <summary>How one listed item matched: the ledger items it stands for, or why it could not be matched.</summary>
public sealed record Resolution(IReadOnlyList<long> ItemIds, string? Reason = null, string? Detail = null)
{
    public bool Resolved => Reason is null;

    public static Resolution Unresolved(string reason, string detail) => new([], reason, detail);
}

/// <summary>
/// Matches listed items to ledger items by the strict rules of DESIGN.md 4.8: external ids first; an episode by
/// its show's ids + season + episode when it has no usable id of its own; ids that point at two different items,
/// or no ids at all, leave the item unresolved with the reason. Never by title. Editions share their movie's ids and
/// so resolve to the movie; <see cref="EditionOf"/> gives the ledger item of one edition of it (a child of the movie's
/// item, found by the edition's title), for flows that sync editions apart. Works on an in-memory index and collects
/// what to store.
/// </summary>
public sealed class IdentityResolver
{
    private readonly IdIndex _byId = new();

    // Movies and their editions only: what EditionOf and MovieOfEdition read. Episodes and shows are known by their ids
    // and slots alone, so a full run does not hold a ledger item (and its title) for each of them.
    private readonly Dictionary<long, LedgerItem> _items = [];
    private readonly Dictionary<(long Show, int Season, int Episode), long> _episodes = [];
    private readonly Dictionary<(long Movie, string Edition), long> _editions = [];
    private readonly Dictionary<long, List<long>> _editionsByMovie = [];
    private List<LedgerItem> _newItems = [];
    private NewIdList _newIds = [];
    private long _nextTemporaryId = -1;

    public IdentityResolver(IdentitySnapshot snapshot)
    {
        // A full run's snapshot holds the whole library: each table is made at its size (the ids by how many are stored,
        // the movies and episodes counted first) rather than grown by doubling, which left a table of each smaller size
        // in the large object heap until the next full collection, and then trimmed with one more copy.
        var (movies, episodes) = (0, 0);
        foreach (var item in snapshot.Items)
        {
            movies += item.Kind == MediaKind.Movie ? 1 : 0;
            episodes += item.Kind == MediaKind.Episode ? 1 : 0;
        }

        _items.EnsureCapacity(movies);
        _episodes.EnsureCapacity(episodes);
        _byId.Reserve(snapshot.Ids.Count);
        foreach (var item in snapshot.Items)
        {
            Index(item);
        }

        foreach (var (id, itemId) in snapshot.Ids)
        {
            _byId.Set(Normalize(id), itemId);
        }
    }

    public IReadOnlyList<LedgerItem> NewItems => _newItems;

    /// <summary>The ids matching <paramref name="items"/> looks up (their own and their shows'), normalized as stored.</summary>
    public static IReadOnlyCollection<ExternalId> IdsOf(IEnumerable<SourceItem> items) =>
        items.SelectMany(i => i.Ids.Concat(i.ShowIds)).Select(Normalize).ToHashSet();

    /// <summary>Adds part of the stored snapshot (what <see cref="IdsOf"/> names); what the resolver knows already stays as it is.</summary>
    public void Add(IdentitySnapshot part)
    {
        foreach (var item in part.Items)
        {
            if (item.Kind != MediaKind.Movie || !_items.ContainsKey(item.Id))
            {
                Index(item);
            }
        }

        foreach (var (id, itemId) in part.Ids)
        {
            _byId.TryAdd(Normalize(id), itemId);
        }
    }

    public IReadOnlyList<(ExternalId Id, long ItemId)> NewIds => _newIds;

    /// <summary>Gets how many (show, season, episode) slots the resolver holds: one per episode it knows, none left under a temporary id.</summary>
    internal int Slots => _episodes.Count;

    /// <summary>Gets the room of the resolver's tables of ids, episode slots and movies (entries each can hold without growing).</summary>
    internal (int Ids, int Slots, int Movies) TableRoom => (_byId.Capacity, _episodes.Capacity, _items.Capacity);

    public Resolution Resolve(SourceItem item, FlowFilters filters)
    {
        var ignored = item.RawId is { } raw && Ignored(raw, filters.IgnoreGuidPrefixes);
        var ids = NormalizedDistinct(item.Ids);
        if (item.Kind != MediaKind.Episode)
        {
            if (ids.Count == 0)
            {
                return Resolution.Unresolved(UnresolvedReason.NoIds, ignored ? $"ignored id {item.RawId}" : "the item has no external ids");
            }

            var match = Match(ids, out var conflict);
            if (conflict is not null)
            {
                return Resolution.Unresolved(UnresolvedReason.ConflictingIds, conflict);
            }

            var id = match ?? Create(item.Kind, item.Title, item.Year, null, null, null);
            Attach(id, ids);
            return new Resolution([id]);
        }

        long? show = null;
        if (item.ShowIds.Count > 0)
        {
            var showIds = NormalizedDistinct(item.ShowIds);
            show = Match(showIds, out var showConflict);
            if (showConflict is not null)
            {
                return Resolution.Unresolved(UnresolvedReason.ConflictingIds, "show: " + showConflict);
            }

            show ??= Create(MediaKind.Show, item.ShowTitle, null, null, null, null);
            Attach(show.Value, showIds);
        }

        if (item.EpisodeEnd is { } end && show is not null && item.Season is { } s && item.Episode is { } first && end > first)
        {
            return EpisodesOfOneFile(show.Value, s, first, end);
        }

        string? ownConflict = null;
        var own = ids.Count > 0 ? Match(ids, out ownConflict) : null;
        if (ownConflict is not null)
        {
            return Resolution.Unresolved(UnresolvedReason.ConflictingIds, ownConflict);
        }

        long? bySlot = show is not null && item.Season is { } season && item.Episode is { } episode && _episodes.TryGetValue((show.Value, season, episode), out var found) ? found : null;
        if (own is not null && bySlot is not null && own != bySlot)
        {
            return Resolution.Unresolved(UnresolvedReason.ConflictingIds, $"the episode's ids name item {own}, its show, season and episode name item {bySlot}");
        }

        if (own is null && bySlot is null && (show is null || item.Season is null || item.Episode is null))
        {
            if (ids.Count == 0)
            {
                return Resolution.Unresolved(UnresolvedReason.NoIds, ignored ? $"ignored id {item.RawId} and no show ids with season and episode" : "neither the episode nor its show has external ids");
            }

            var created = Create(MediaKind.Episode, item.Title, item.Year, null, item.Season, item.Episode);
            Attach(created, ids);
            return new Resolution([created]);
        }

        var result = own ?? bySlot ?? EpisodeOf(show!.Value, item.Season!.Value, item.Episode!.Value, item.Title);
        Attach(result, ids);
        return new Resolution([result]);
    }

    /// <summary>
    /// One listed item holding several episodes (a multi-episode file): it stands for each of them. A method of its own:
    /// a lambda over <see cref="Resolve"/>'s locals made an object for them on every call, whichever branch it took.
    /// </summary>
    private Resolution EpisodesOfOneFile(long show, int season, int first, int end)
    {
        var episodes = new List<long>(end - first + 1);
        for (var e = first; e <= end; e++)
        {
            episodes.Add(EpisodeOf(show, season, e, null));
        }

        return new Resolution(episodes);
    }

    /// <summary>
    /// Gives back the room the indexes grew into beyond what they hold, keeping an eighth more: after a full run's first
    /// profile they hold nearly everything they will, and a table grown by doubling can be twice its contents.
    /// </summary>
    public void TrimExcess()
    {
        _byId.Trim();
        Room.Trim(_episodes);
    }

    /// <summary>
    /// Replaces temporary ids with the stored ones after the new items were saved. Only what this run added can hold a
    /// temporary id (the new ids, and the slots and editions of the new items), so only that is walked; an entry under a
    /// temporary id goes rather than staying beside its stored one. The lists of new items and ids start afresh: a full
    /// run's first profile makes them as large as the library.
    /// </summary>
    public void Commit(IReadOnlyDictionary<long, long> realIds)
    {
        long Real(long id) => realIds.TryGetValue(id, out var real) ? real : id;
        _newIds.SetInto(_byId, Real);

        foreach (var item in _newItems)
        {
            Unindex(item, Real);
        }

        foreach (var item in _newItems)
        {
            Index(item with { Id = Real(item.Id), ParentItemId = item.ParentItemId is { } p ? Real(p) : null });
        }

        _newItems = [];
        _newIds = [];
    }

    /// <summary>The ledger item of one edition of a movie (created when new); editions are told apart by title, ignoring case.</summary>
    public long EditionOf(long movie, string edition)
    {
        var key = (movie, EditionKey(edition));
        if (_editions.TryGetValue(key, out var id))
        {
            return id;
        }

        var parent = _items.GetValueOrDefault(movie);
        var item = new LedgerItem(_nextTemporaryId--, MediaKind.Movie, parent?.Title, parent?.Year, movie, null, null, edition.Trim());
        _newItems.Add(item);
        Index(item);
        return item.Id;
    }

    /// <summary>The movie an edition's ledger item belongs to; null for any other item.</summary>
    public long? MovieOfEdition(long itemId) =>
        _items.TryGetValue(itemId, out var item) && item is { Kind: MediaKind.Movie, Edition: not null, ParentItemId: { } movie } ? movie : null;

    /// <summary>The ledger items of the editions of a movie known so far.</summary>
    /// <remarks>
    /// Asked for every item a plan reads, and most have no edition: the answer for them is the one empty array (a bare
    /// <c>[]</c> beside the list would make a new empty list per call).
    /// </remarks>
    public IReadOnlyList<long> EditionsOf(long movie) => _editionsByMovie.TryGetValue(movie, out var editions) ? editions : Array.Empty<long>();

    private static string EditionKey(string edition) => edition.Trim().ToUpperInvariant();

    private long EpisodeOf(long show, int season, int episode, string? title)
    {
        if (_episodes.TryGetValue((show, season, episode), out var id))
        {
            return id;
        }

        return Create(MediaKind.Episode, title, null, show, season, episode);
    }

    private static bool Ignored(string raw, IReadOnlyList<string> prefixes)
    {
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (raw.StartsWith(prefixes[i], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The ids normalized, each once. Listed ids nearly always are so already (providers give lower-case schemes and
    /// trimmed values, one of each): then the item's own list is returned and nothing is allocated for it.
    /// </summary>
    private static IReadOnlyList<ExternalId> NormalizedDistinct(IReadOnlyList<ExternalId> ids)
    {
        // By index: an item's ids are an array or a list, and enumerating either through the interface makes an enumerator per item.
        var clean = true;
        for (var i = 0; i < ids.Count && clean; i++)
        {
            var id = ids[i];
            clean = Normalize(id) == id;
            for (var j = 0; j < i && clean; j++)
            {
                clean = ids[j] != id;
            }
        }

        if (clean)
        {
            return ids;
        }

        var result = new List<ExternalId>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var normalized = Normalize(ids[i]);
            if (!result.Contains(normalized))
            {
                result.Add(normalized);
            }
        }

        return result;
    }

    private long? Match(IReadOnlyList<ExternalId> ids, out string? conflict)
    {
        long? single = null;
        var several = false;
        for (var i = 0; i < ids.Count; i++)
        {
            if (_byId.TryGetValue(ids[i], out var itemId))
            {
                several |= single is not null && single != itemId;
                single ??= itemId;
            }
        }

        if (!several)
        {
            conflict = null;
            return single;
        }

        var matches = ids.Where(_byId.ContainsKey).GroupBy(_byId.Get).ToList();
        conflict = matches.Count > 1
            ? string.Join("; ", matches.Select(g => $"{string.Join(", ", g)} name item {g.Key}"))
            : null;
        return matches.Count == 1 ? matches[0].Key : null;
    }

    private void Attach(long itemId, IReadOnlyList<ExternalId> ids)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (_byId.TryAdd(id, itemId))
            {
                _newIds.Add((id, itemId));
            }
        }
    }

    /// <summary>
    /// Takes a new item out of the indexes where it is known by its temporary id (and its parent's); its editions move
    /// to the stored ids in place, keeping the order in which a movie's editions were found.
    /// </summary>
    private void Unindex(LedgerItem item, Func<long, long> real)
    {
        _items.Remove(item.Id);
        if (item.Kind == MediaKind.Episode && item.ParentItemId is { } show && item.Season is { } s && item.Episode is { } e)
        {
            if (_episodes.TryGetValue((show, s, e), out var slot) && slot == item.Id)
            {
                _episodes.Remove((show, s, e));
            }
        }
        else if (item is { Kind: MediaKind.Movie, ParentItemId: { } movie, Edition: { } edition })
        {
            var key = EditionKey(edition);
            if (_editions.Remove((movie, key), out var id))
            {
                _editions[(real(movie), key)] = real(id);
            }

            if (_editionsByMovie.Remove(movie, out var editions))
            {
                _editionsByMovie[real(movie)] = editions.Select(real).ToList();
            }
        }
    }

    private long Create(MediaKind kind, string? title, int? year, long? parent, int? season, int? episode)
    {
        var item = new LedgerItem(_nextTemporaryId--, kind, title, year, parent, season, episode, null);
        _newItems.Add(item);
        Index(item);
        return item.Id;
    }

    private void Index(LedgerItem item)
    {
        if (item.Kind == MediaKind.Movie)
        {
            _items[item.Id] = item;
        }

        if (item.Kind == MediaKind.Episode && item.ParentItemId is { } show && item.Season is { } s && item.Episode is { } e)
        {
            _episodes.TryAdd((show, s, e), item.Id);
        }
        else if (item is { Kind: MediaKind.Movie, ParentItemId: { } movie, Edition: { } edition })
        {
            if (_editions.TryAdd((movie, EditionKey(edition)), item.Id))
            {
                (_editionsByMovie.TryGetValue(movie, out var list) ? list : _editionsByMovie[movie] = []).Add(item.Id);
            }
        }
    }

    private static ExternalId Normalize(ExternalId id) => new(id.Scheme.Trim().ToLowerInvariant(), id.Value.Trim());

    /// <summary>
    /// Normalized ids to ledger items: the common forms packed (<see cref="IdKey"/>, no string held for each of the
    /// library's ids), any other by its text. An id is in one table or the other by its form alone, so a lookup and an
    /// insert of the same id always meet.
    /// </summary>
    private sealed class IdIndex
    {
        private readonly Dictionary<IdKey, long> _packed = [];
        private readonly Dictionary<ExternalId, long> _text = [];

        public bool TryGetValue(ExternalId id, out long itemId) =>
            IdKey.TryPack(id, out var key) ? _packed.TryGetValue(key, out itemId) : _text.TryGetValue(id, out itemId);

        public bool ContainsKey(ExternalId id) => TryGetValue(id, out _);

        public long Get(ExternalId id) => TryGetValue(id, out var itemId) ? itemId : throw new KeyNotFoundException(id.ToString());

        public bool TryAdd(ExternalId id, long itemId) =>
            IdKey.TryPack(id, out var key) ? _packed.TryAdd(key, itemId) : _text.TryAdd(id, itemId);

        public void Set(IdKey key, long itemId) => _packed[key] = itemId;

        /// <summary>Gets the room of the packed table.</summary>
        public int Capacity => _packed.Capacity;

        /// <summary>Makes room for <paramref name="count"/> ids in the packed table, where all but a few of them go.</summary>
        public void Reserve(int count) => _packed.EnsureCapacity(count);

        public void Set(ExternalId id, long itemId)
        {
            if (IdKey.TryPack(id, out var key))
            {
                _packed[key] = itemId;
            }
            else
            {
                _text[id] = itemId;
            }
        }

        public void Trim()
        {
            Room.Trim(_packed);
            Room.Trim(_text);
        }
    }

    /// <summary>
    /// The ids a run added, in the order added, each packed (<see cref="IdKey"/>) when its form allows and else by its text,
    /// and given back as ids when read. A run's first profile adds every id of the library (about 250,000 on the reference
    /// library): held as text, their values were 12 MB of strings kept until the profile's links were stored.
    /// </summary>
    private sealed class NewIdList : IReadOnlyList<(ExternalId Id, long ItemId)>
    {
        /// <summary>The high half of an entry that is not packed: its low half is its place among the texts (a packed key's high half is never negative).</summary>
        private const long Text = -1;

        private readonly List<(IdKey Key, long ItemId)> _ids = [];
        private readonly List<ExternalId> _texts = [];

        public int Count => _ids.Count;

        public (ExternalId Id, long ItemId) this[int index]
        {
            get
            {
                var (key, itemId) = _ids[index];
                return (key.High == Text ? _texts[(int)key.Low] : key.ToExternalId(), itemId);
            }
        }

        public void Add((ExternalId Id, long ItemId) entry)
        {
            if (IdKey.TryPack(entry.Id, out var key))
            {
                _ids.Add((key, entry.ItemId));
            }
            else
            {
                _ids.Add((new IdKey(Text, _texts.Count), entry.ItemId));
                _texts.Add(entry.Id);
            }
        }

        /// <summary>Sets each id in <paramref name="index"/> to its item as <paramref name="real"/> maps it, packed ones without unpacking.</summary>
        public void SetInto(IdIndex index, Func<long, long> real)
        {
            foreach (var (key, itemId) in _ids)
            {
                if (key.High == Text)
                {
                    index.Set(_texts[(int)key.Low], real(itemId));
                }
                else
                {
                    index.Set(key, real(itemId));
                }
            }
        }

        public IEnumerator<(ExternalId Id, long ItemId)> GetEnumerator()
        {
            for (var i = 0; i < _ids.Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
