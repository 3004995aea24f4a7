using Marquee.Core.Sync;

namespace Marquee.Core.Tests.Sync;

public sealed class KnownKeysTests
{
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
}
