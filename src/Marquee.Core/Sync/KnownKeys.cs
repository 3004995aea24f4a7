namespace Marquee.Core.Sync;

/// <summary>
/// A run's local key of each (connection, item) it knows, stored before the run or listed in it, together with which of
/// a connection's local keys the run has stored links for already (so a later profile does not send them again). One
/// table for both: a full run holds an entry for every item on both servers, and nearly every item has one copy, whose
/// link is its known key. The links of other copies, and of a key a later listing replaced, are kept beside it.
/// </summary>
internal sealed class KnownKeys
{
    private readonly Dictionary<(long Connection, long Item), Entry> _keys = [];
    private readonly HashSet<(long Connection, string Key, long Item)> _otherLinks = [];

    public bool TryGetValue((long Connection, long Item) key, out string localKey)
    {
        if (_keys.TryGetValue(key, out var entry))
        {
            localKey = entry.Key;
            return true;
        }

        localKey = string.Empty;
        return false;
    }

    public bool ContainsKey((long Connection, long Item) key) => _keys.ContainsKey(key);

    /// <summary>Adds a stored local key and the fingerprint of its stored link (<see cref="LinkFingerprint"/>); a key the run knows already stays.</summary>
    public void AddStored(long connection, long item, string localKey, long fingerprint = LinkFingerprint.None) =>
        _keys.TryAdd((connection, item), new Entry(localKey, fingerprint == Entry.Linked ? LinkFingerprint.None : fingerprint));

    /// <summary>
    /// The key the run knows for the item on the connection when it equals <paramref name="localKey"/>, else
    /// <paramref name="localKey"/>: a listed entry keeps the one string the table holds (read from the store, or listed
    /// by an earlier profile) instead of the equal one its listing just read.
    /// </summary>
    public string Share(long connection, long item, string localKey) =>
        _keys.TryGetValue((connection, item), out var entry) && string.Equals(entry.Key, localKey, StringComparison.Ordinal) ? entry.Key : localKey;

    /// <summary>
    /// Gives for a key the equal string the run knows on the connection, else the key: what a full run's baselines keep
    /// instead of strings of their own (they are read while the listings are, and would double the strings of the known
    /// keys). The connection's keys are gathered once, in a set that lives as long as the sharer. Only reads the table.
    /// </summary>
    public KeyShare SharerOn(long connection)
    {
        var keys = new HashSet<string>(CountOn(connection), StringComparer.Ordinal);
        foreach (var ((on, _), entry) in _keys)
        {
            if (on == connection)
            {
                keys.Add(entry.Key);
            }
        }

        return key => keys.TryGetValue(key, out var known) ? known : key;
    }

    /// <summary>
    /// The fingerprint the link of <paramref name="localKey"/> on the connection to the item was stored with, when the run
    /// knows it from the store (not from one of its own profiles) with that key; else <see cref="LinkFingerprint.None"/>,
    /// which no fingerprint made of a link's values equals. A caller makes one only for a link it can compare it with.
    /// </summary>
    public long StoredFingerprint(long connection, string localKey, long item) =>
        _keys.TryGetValue((connection, item), out var entry) && !entry.IsLinked && string.Equals(entry.Key, localKey, StringComparison.Ordinal)
            ? entry.Mark
            : LinkFingerprint.None;

    /// <summary>Records a listed item whose links were stored: its lead copy's key becomes the known key, and each copy counts as linked.</summary>
    public void AddLinked(long connection, long item, string leadKey, IEnumerable<string> copyKeys)
    {
        if (_keys.TryGetValue((connection, item), out var old) && old.IsLinked && !string.Equals(old.Key, leadKey, StringComparison.Ordinal))
        {
            _otherLinks.Add((connection, old.Key, item));
        }

        _keys[(connection, item)] = new Entry(leadKey, Entry.Linked);
        foreach (var key in copyKeys)
        {
            if (!string.Equals(key, leadKey, StringComparison.Ordinal))
            {
                _otherLinks.Add((connection, key, item));
            }
        }
    }

    /// <summary>
    /// Makes room at once for the items of a connection's listing that the table does not hold yet: a first run's first
    /// profile adds an entry for every listed item, and a table grown one doubling at a time held about twice the room
    /// it needed, with the copy it grew out of beside it, at the most crowded point of the run.
    /// </summary>
    public void Reserve(long connection, IEnumerable<long> items)
    {
        var missing = 0;
        foreach (var item in items)
        {
            if (!_keys.ContainsKey((connection, item)))
            {
                missing++;
            }
        }

        if (missing > 0)
        {
            _keys.EnsureCapacity(_keys.Count + missing);
        }
    }

    /// <summary>Makes room for <paramref name="count"/> more keys at once (the stored keys a run starts from), so the table does not grow by doubling.</summary>
    public void Reserve(int count) => _keys.EnsureCapacity(_keys.Count + count);

    /// <summary>Gets the room the table has (entries it can hold without growing).</summary>
    public int Capacity => _keys.Capacity;

    public int Count => _keys.Count;

    /// <summary>How many items the run knows a key for on the connection.</summary>
    public int CountOn(long connection)
    {
        var count = 0;
        foreach (var (key, _) in _keys)
        {
            count += key.Connection == connection ? 1 : 0;
        }

        return count;
    }

    /// <summary>Whether this run stored the link of <paramref name="localKey"/> on the connection to the item already.</summary>
    public bool IsLinked(long connection, string localKey, long item) =>
        (_keys.TryGetValue((connection, item), out var entry) && entry.IsLinked && string.Equals(entry.Key, localKey, StringComparison.Ordinal))
        || (_otherLinks.Count > 0 && _otherLinks.Contains((connection, localKey, item)));

    public void Trim()
    {
        Room.Trim(_keys);
        Room.Trim(_otherLinks);
    }

    /// <summary>A known key and its mark: <see cref="Linked"/> once this run stored its link, else the stored link's fingerprint.</summary>
    private readonly record struct Entry(string Key, long Mark)
    {
        public const long Linked = long.MinValue;

        public bool IsLinked => Mark == Linked;
    }
}
