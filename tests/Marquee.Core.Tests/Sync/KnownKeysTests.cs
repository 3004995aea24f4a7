using Marquee.Core.Sync;

namespace Marquee.Core.Tests.Sync;

public sealed class KnownKeysTests
{
    [Fact]
    public void CountOn_CountsTheItemsKnownOnOneConnection()
    {
        var keys = new KnownKeys();
        keys.AddStored(1, 10, "a");
        keys.AddStored(1, 11, "b");
        keys.AddStored(2, 10, "a");
        keys.AddLinked(1, 12, "c", ["c", "c2"]);
        keys.AddLinked(3, 10, "x", []);

        Assert.Equal([3, 1, 1, 0], new long[] { 1, 2, 3, 4 }.Select(keys.CountOn));
    }

    [Fact]
    public void SharerOn_GivesTheStringKnownOnThatConnection_ElseTheKeyAsGiven()
    {
        var keys = new KnownKeys();
        var stored = new string(['1', '0', '0']);
        var linked = new string(['2', '0', '0']);
        keys.AddStored(1, 10, stored);
        keys.AddLinked(1, 20, linked, []);
        keys.AddStored(2, 30, "300");

        var share = keys.SharerOn(1);

        Assert.Same(stored, share("100"));
        Assert.Same(linked, share("200"));
        var other = new string(['3', '0', '0']);
        Assert.Same(other, share(other));
        var unknown = new string(['4', '0', '0']);
        Assert.Same(unknown, share(unknown));
    }

    [Fact]
    public void StoredKeys_AreKnown_ButNotLinkedByThisRun()
    {
        var keys = new KnownKeys();
        keys.AddStored(1, 10, "100");
        keys.AddStored(1, 10, "099");

        Assert.True(keys.TryGetValue((1, 10), out var key));
        Assert.Equal("100", key);
        Assert.False(keys.IsLinked(1, "100", 10));
        Assert.False(keys.ContainsKey((2, 10)));
    }

    [Fact]
    public void StoredAs_MatchesTheStoredKeyAndFingerprint_Only()
    {
        var keys = new KnownKeys();
        var fingerprint = LinkFingerprint.Of(10, "movie", "1", "plex://movie/1", "/a.mkv");
        keys.AddStored(1, 10, "100", fingerprint);
        keys.AddStored(1, 11, "110");

        Assert.Equal(fingerprint, keys.StoredFingerprint(1, "100", 10));
        Assert.NotEqual(LinkFingerprint.Of(10, "movie", "1", "plex://movie/2", "/a.mkv"), keys.StoredFingerprint(1, "100", 10));
        Assert.Equal(LinkFingerprint.None, keys.StoredFingerprint(1, "101", 10));
        Assert.Equal(LinkFingerprint.None, keys.StoredFingerprint(2, "100", 10));
        Assert.Equal(LinkFingerprint.None, keys.StoredFingerprint(1, "100", 12));

        // A link stored before fingerprints were kept matches none ("none" is what no fingerprint is).
        Assert.Equal(LinkFingerprint.None, keys.StoredFingerprint(1, "110", 11));

        // A key this run linked itself is linked, not stored as listed: its mark is not given as a fingerprint.
        keys.AddLinked(1, 10, "100", []);
        Assert.True(keys.IsLinked(1, "100", 10));
        Assert.Equal(LinkFingerprint.None, keys.StoredFingerprint(1, "100", 10));
    }

    [Fact]
    public void Share_GivesTheTablesOwnString_WhenTheKeyIsTheKnownOne()
    {
        var keys = new KnownKeys();
        var stored = new string("100".AsSpan());
        keys.AddStored(1, 10, stored);
        var listed = new string("100".AsSpan());

        Assert.Same(stored, keys.Share(1, 10, listed));
        Assert.Same(listed, keys.Share(1, 11, listed));
        Assert.Same(listed, keys.Share(2, 10, listed));
        var other = new string("101".AsSpan());
        Assert.Same(other, keys.Share(1, 10, other));
    }

    [Fact]
    public void ListedCopies_AreEachLinked_AndTheLeadIsTheKnownKey()
    {
        var keys = new KnownKeys();
        keys.AddStored(1, 10, "100");

        keys.AddLinked(1, 10, "200", ["201", "202"]);

        Assert.True(keys.TryGetValue((1, 10), out var key));
        Assert.Equal("200", key);
        Assert.True(keys.IsLinked(1, "200", 10));
        Assert.True(keys.IsLinked(1, "201", 10));
        Assert.True(keys.IsLinked(1, "202", 10));
        Assert.False(keys.IsLinked(1, "100", 10));
        Assert.False(keys.IsLinked(2, "200", 10));
        Assert.False(keys.IsLinked(1, "200", 11));
    }

    [Fact]
    public void ALaterLead_KeepsTheEarlierLeadsLink()
    {
        var keys = new KnownKeys();
        keys.AddLinked(1, 10, "200", []);

        keys.AddLinked(1, 10, "300", []);
        keys.Trim();

        Assert.True(keys.TryGetValue((1, 10), out var key));
        Assert.Equal("300", key);
        Assert.True(keys.IsLinked(1, "200", 10));
        Assert.True(keys.IsLinked(1, "300", 10));
    }

    [Fact]
    public void Reserve_MakesRoomOnce_ForTheListedItemsNotHeldYet()
    {
        const int Listed = 100_000;
        var keys = new KnownKeys();
        for (var item = 0; item < 1_000; item++)
        {
            keys.AddStored(1, item, "stored " + item);
        }

        // A first profile's listing: a thousand items known, the rest new; room is made for those only, at once.
        keys.Reserve(1, Enumerable.Range(0, Listed).Select(i => (long)i));
        var room = keys.Capacity;
        for (var item = 0; item < Listed; item++)
        {
            keys.AddLinked(1, item, "listed " + item, []);
        }

        Assert.Equal(Listed, keys.Count);
        Assert.Equal(room, keys.Capacity);
        Assert.InRange(room, Listed, Listed + (Listed / 10));

        // The next profile lists the same items: no room is added.
        keys.Reserve(1, Enumerable.Range(0, Listed).Select(i => (long)i));
        Assert.Equal(room, keys.Capacity);

        // Another connection's items are new to the table.
        keys.Reserve(2, Enumerable.Range(0, 10).Select(i => (long)i));
        Assert.InRange(keys.Capacity, Listed + 10, Listed + 10 + ((Listed + 10) / 10));
    }

    [Fact]
    public void TheStoredKeysARunStartsFrom_AreAddedToATableOfTheirSize_TheLowestKeyOfAnItemKept()
    {
        // 6,000 items on two connections: grown one key at a time, the table would have room for 8,419.
        var stored = Enumerable.Range(0, 6_000).Select(i => (ConnectionId: 1L + (i % 2), LocalKey: "k" + i, ItemId: (long)i, Fingerprint: 7L)).ToList();
        stored.Add((1, "a second copy", 0, 8));
        var keys = new KnownKeys();

        SyncService.AddKnownKeys(keys, new IdentitySnapshot([], [], stored));

        Assert.Equal(6_000, keys.Count);
        Assert.InRange(keys.Capacity, 6_000, 7_100);
        Assert.True(keys.TryGetValue((1, 0), out var lowest));
        Assert.Equal("a second copy", lowest);
        Assert.Equal(8, keys.StoredFingerprint(1, "a second copy", 0));
    }
}
