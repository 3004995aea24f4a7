using Marquee.Core.Items;

namespace Marquee.Core.Tests.Items;

public sealed class IdKeyTests
{
    [Theory]
    [InlineData("imdb", "tt0111161")]
    [InlineData("imdb", "tt1")]
    [InlineData("imdb", "tt123456789012345678")]
    [InlineData("tmdb", "603")]
    [InlineData("tmdb", "0")]
    [InlineData("tvdb", "371980")]
    [InlineData("anidb", "17617")]
    [InlineData("tvmaze", "82")]
    [InlineData("tmdb", "999999999999999999")]
    [InlineData("plex", "movie/5d7768ba96b655001fdc0b3e")]
    [InlineData("plex", "show/5d9c086c46115600200aa2fe")]
    [InlineData("plex", "season/602e67e61d3358002c4125e2")]
    [InlineData("plex", "episode/5d9c0f2e7d5a6f001f1c2d3b")]
    public void CommonForms_Pack_AndGiveTheirTextBack(string scheme, string value)
    {
        Assert.True(IdKey.TryPack(new ExternalId(scheme, value), out var key));
        Assert.Equal(new ExternalId(scheme, value), key.ToExternalId());
    }

    [Theory]
    [InlineData("plex://movie/5d7768ba96b655001fdc0b3e")]
    [InlineData("plex://episode/000000000000000000000000")]
    [InlineData("plex://show/ffffffffffffffffffffffff")]
    public void PlexGuidsOfTheCommonForm_Pack_AndGiveTheirTextBack(string rawId)
    {
        Assert.True(IdKey.TryPackPlexGuid(rawId, out var key));
        Assert.Equal(rawId, key.ToPlexGuid());
        Assert.Equal(new ExternalId(ExternalId.Plex, rawId["plex://".Length..]), key.ToExternalId());
    }

    [Theory]
    [InlineData("plex://movie/5D7768BA96B655001FDC0B3E")]
    [InlineData("PLEX://movie/5d7768ba96b655001fdc0b3e")]
    [InlineData("plex:/movie/5d7768ba96b655001fdc0b3e")]
    [InlineData("plex://artist/5d7768ba96b655001fdc0b3e")]
    [InlineData("plex://movie/5d7768ba96b655001fdc0b3e?lang=en")]
    [InlineData("com.plexapp.agents.imdb://tt0111161?lang=en")]
    [InlineData("local://7119")]
    [InlineData("")]
    public void OtherGuids_AreNotPacked(string rawId) => Assert.False(IdKey.TryPackPlexGuid(rawId, out _));

    [Fact]
    public void AKeyOfAnotherScheme_IsRefused_WhenAskedForAPlexGuid()
    {
        Assert.True(IdKey.TryPack(new ExternalId(ExternalId.Tmdb, "603"), out var key));
        Assert.Throws<InvalidOperationException>(() => key.ToPlexGuid());
    }

    [Fact]
    public void AKeyNotPackedFromAnId_IsRefused_WhenAskedForItsId() =>
        Assert.Throws<InvalidOperationException>(() => new IdKey(0, 42).ToExternalId());

    [Theory]
    [InlineData("tmdb", "0603")]
    [InlineData("tmdb", "")]
    [InlineData("tmdb", "60a")]
    [InlineData("tmdb", "-603")]
    [InlineData("tmdb", "1234567890123456789")]
    [InlineData("tvdb", "٣")]
    [InlineData("imdb", "TT0111161")]
    [InlineData("imdb", "tt")]
    [InlineData("imdb", "0111161")]
    [InlineData("imdb", "tt0111161x")]
    [InlineData("imdb", "tt1234567890123456789")]
    [InlineData("plex", "movie/5D7768BA96B655001FDC0B3E")]
    [InlineData("plex", "movie/5d7768ba96b655001fdc0b3")]
    [InlineData("plex", "movie/5d7768ba96b655001fdc0b3e0")]
    [InlineData("plex", "artist/5d7768ba96b655001fdc0b3e")]
    [InlineData("plex", "/5d7768ba96b655001fdc0b3e")]
    [InlineData("plex", "movie/5d7768ba96b655001fdc0b3g")]
    [InlineData("shoko", "episode/12")]
    [InlineData("anidb-episode", "17617/3")]
    [InlineData("TMDB", "603")]
    public void OtherForms_AreNotPacked(string scheme, string value) =>
        Assert.False(IdKey.TryPack(new ExternalId(scheme, value), out _));

    [Fact]
    public void PackedIds_AreEqual_ExactlyWhenTheirTextsAre()
    {
        // Texts that a careless packing would confuse: the same number with and without leading zeros, an IMDb id's digit
        // count, the same digits under another scheme, the same hex under another Plex type, hex that differs in one place.
        var values = new[] { "0", "1", "7", "10", "01", "001", "603", "0603", "999999999999999999", "100000000000000000" };
        var ids = new List<ExternalId>();
        foreach (var scheme in new[] { ExternalId.Tmdb, ExternalId.Tvdb, ExternalId.AniDb, ExternalId.TvMaze })
        {
            ids.AddRange(values.Select(v => new ExternalId(scheme, v)));
        }

        ids.AddRange(values.Select(v => new ExternalId(ExternalId.Imdb, "tt" + v)));
        ids.AddRange(new[] { "tt0111161", "tt111161", "tt00111161", "tt0000000" }.Select(v => new ExternalId(ExternalId.Imdb, v)));
        foreach (var type in new[] { "movie", "show", "season", "episode" })
        {
            ids.AddRange(new[] { "5d7768ba96b655001fdc0b3e", "5d7768ba96b655001fdc0b3f", "6d7768ba96b655001fdc0b3e", "000000000000000000000000", "ffffffffffffffffffffffff", "00000000ffffffffffffffff", "ffffffff0000000000000000" }
                .Select(h => new ExternalId(ExternalId.Plex, $"{type}/{h}")));
        }

        var packed = ids.Where(i => IdKey.TryPack(i, out _)).Distinct().ToList();
        Assert.True(packed.Count > 60, $"only {packed.Count} of the samples packed");
        foreach (var a in packed)
        {
            IdKey.TryPack(a, out var keyA);
            Assert.Equal(a, keyA.ToExternalId());
            foreach (var b in packed)
            {
                IdKey.TryPack(b, out var keyB);
                Assert.True(keyA == keyB == (a == b), $"{a} and {b}: keys {(keyA == keyB ? "equal" : "differ")}");
            }
        }
    }
}
