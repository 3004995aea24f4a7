using Marquee.Core.Sync;

namespace Marquee.Core.Tests.Sync;

public sealed class LinkFingerprintTests
{
    [Fact]
    public void SameValues_GiveTheSameFingerprint_AndEachValueChangesIt()
    {
        var fingerprint = LinkFingerprint.Of(7, "episode", "2", "plex://episode/5d9c", "/tv/a.mkv");

        Assert.Equal(fingerprint, LinkFingerprint.Of(7, "episode", "2", "plex://episode/5d9c", "/tv/a.mkv"));
        Assert.NotEqual(LinkFingerprint.None, fingerprint);
        Assert.Equal(
            6,
            new[]
            {
                fingerprint,
                LinkFingerprint.Of(8, "episode", "2", "plex://episode/5d9c", "/tv/a.mkv"),
                LinkFingerprint.Of(7, "movie", "2", "plex://episode/5d9c", "/tv/a.mkv"),
                LinkFingerprint.Of(7, "episode", "3", "plex://episode/5d9c", "/tv/a.mkv"),
                LinkFingerprint.Of(7, "episode", "2", "plex://episode/5d9d", "/tv/a.mkv"),
                LinkFingerprint.Of(7, "episode", "2", "plex://episode/5d9c", "/tv/b.mkv"),
            }.Distinct().Count());
    }

    [Fact]
    public void ValuesAreTakenWhole_ANullIsNotEmpty_AndNothingSpillsIntoTheNextValue()
    {
        Assert.NotEqual(LinkFingerprint.Of(1, "movie", null, "g", null), LinkFingerprint.Of(1, "movie", string.Empty, "g", null));
        Assert.NotEqual(LinkFingerprint.Of(1, "movie", "ab", "c", null), LinkFingerprint.Of(1, "movie", "a", "bc", null));
        Assert.NotEqual(LinkFingerprint.Of(1, "movie", null, "g", null), LinkFingerprint.Of(1, "movie", null, null, "g"));
    }

    [Fact]
    public void ALongPath_IsHashedWhole()
    {
        var path = "/media/" + new string('x', 3_000);

        Assert.Equal(LinkFingerprint.Of(1, "movie", "1", "g", path + "a"), LinkFingerprint.Of(1, "movie", "1", "g", path + "a"));
        Assert.NotEqual(LinkFingerprint.Of(1, "movie", "1", "g", path + "a"), LinkFingerprint.Of(1, "movie", "1", "g", path + "b"));
    }
}
