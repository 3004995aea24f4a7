using Marquee.Core.Items;
using Marquee.Providers.Plex;
using Marquee.Providers.Plex.Models;

namespace Marquee.Providers.Tests.Plex;

/// <summary>Every guid scheme of PLEX-API.md 4.6 and every guid in the recorded examples.</summary>
public sealed class PlexGuidParserTests
{
    /// <summary>guid, expected own ids ("scheme://value" joined by spaces), expected show ids, season, episode, local.</summary>
    [Theory]
    // Modern agents: the plex:// id is the item's own id (Guid[] adds imdb/tmdb/tvdb).
    [InlineData("plex://movie/5d7768ba96b655001fdc0b3e", "plex://movie/5d7768ba96b655001fdc0b3e", "", null, null, false)]
    [InlineData("plex://show/5eb6b5ffac1f29003f4a737b", "plex://show/5eb6b5ffac1f29003f4a737b", "", null, null, false)]
    [InlineData("plex://season/602e67d31d3358002c411c4e", "plex://season/602e67d31d3358002c411c4e", "", null, null, false)]
    [InlineData("plex://episode/5ef0c6b7a2e3f40041c1d001", "plex://episode/5ef0c6b7a2e3f40041c1d001", "", null, null, false)]
    [InlineData("plex://movie/5d776826880197001ec90a41", "plex://movie/5d776826880197001ec90a41", "", null, null, false)]
    // Legacy IMDb: strip the scheme and ?lang.
    [InlineData("com.plexapp.agents.imdb://tt0062622?lang=en", "imdb://tt0062622", "", null, null, false)]
    // Legacy TMDB: movie, show, and an episode (show id / season / episode).
    [InlineData("com.plexapp.agents.themoviedb://62?lang=en", "tmdb://62", "", null, null, false)]
    [InlineData("com.plexapp.agents.themoviedb://95396?lang=en", "tmdb://95396", "", null, null, false)]
    [InlineData("com.plexapp.agents.themoviedb://95396/1/2?lang=en", "", "tmdb://95396", 1, 2, false)]
    // Legacy TheTVDB: show, season, and the episode guid that names the show, not the episode.
    [InlineData("com.plexapp.agents.thetvdb://371980?lang=en", "tvdb://371980", "", null, null, false)]
    [InlineData("com.plexapp.agents.thetvdb://371980/1?lang=en", "", "tvdb://371980", 1, null, false)]
    [InlineData("com.plexapp.agents.thetvdb://371980/1/1?lang=en", "", "tvdb://371980", 1, 1, false)]
    // HAMA: anidb and the tvdb/tmdb/imdb/tsdb prefixes, with and without a mode digit.
    [InlineData("com.plexapp.agents.hama://anidb-17617?lang=en", "anidb://17617", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://anidb-17617/1/3?lang=en", "anidb-episode://17617/3", "anidb://17617", 1, 3, false)]
    [InlineData("com.plexapp.agents.hama://anidb-17617/0/2?lang=en", "anidb-episode://17617/S2", "anidb://17617", 0, 2, false)]
    [InlineData("com.plexapp.agents.hama://anidb-17617/0/101?lang=en", "anidb-episode://17617/C1", "anidb://17617", 0, 101, false)]
    [InlineData("com.plexapp.agents.hama://anidb-17617/0/302?lang=en", "anidb-episode://17617/P2", "anidb://17617", 0, 302, false)]
    [InlineData("com.plexapp.agents.hama://anidb-17617/0/200?lang=en", "", "anidb://17617", 0, 200, false)]
    // Shoko Relay (custom provider): the episode guid is the Shoko episode; a split part names its episode.
    [InlineData("tv.plex.agents.custom.shoko://episode/e4207", "shoko://episode/4207", "", null, null, false)]
    [InlineData("tv.plex.agents.custom.shoko://episode/e4207p2", "shoko://episode/4207", "", null, null, false)]
    [InlineData("tv.plex.agents.custom.shoko.movie://movie/m88", "shoko://episode/88", "", null, null, false)]
    [InlineData("tv.plex.agents.custom.shoko://show/312", "shoko://series/312", "", null, null, false)]
    [InlineData("tv.plex.agents.custom.shoko://season/312s1", "", "", null, null, false)]
    [InlineData("tv.plex.agents.custom.shoko://episode/eX", "", "", null, null, false)]
    // Legacy Shoko agents: the series with Plex coordinates (negative seasons for credits, trailers, parodies, others).
    [InlineData("com.plexapp.agents.shokorelay://312/1/1?lang=en", "", "shoko://series/312", 1, 1, false)]
    [InlineData("com.plexapp.agents.shoko://312/-1/2?lang=en", "", "shoko://series/312", -1, 2, false)]
    [InlineData("com.plexapp.agents.shokorelay://312?lang=en", "shoko://series/312", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://tvdb-371980/1/2?lang=en", "", "tvdb://371980", 1, 2, false)]
    [InlineData("com.plexapp.agents.hama://tvdb-371980?lang=en", "tvdb://371980", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://tvdb2-371980?lang=en", "tvdb://371980", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://tvdb3-371980/2/5?lang=en", "", "tvdb://371980", 2, 5, false)]
    [InlineData("com.plexapp.agents.hama://tmdb-95396?lang=en", "tmdb://95396", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://tsdb-95396?lang=en", "tmdb://95396", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://imdb-tt0062622?lang=en", "imdb://tt0062622", "", null, null, false)]
    // HAMA's prefix in another case, and what its pattern refuses: two mode digits, no id, an id with a dash or other characters, an unknown source.
    [InlineData("com.plexapp.agents.hama://AniDB-17617?lang=en", "anidb://17617", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://TVDB2-371980/1/2?lang=en", "", "tvdb://371980", 1, 2, false)]
    [InlineData("com.plexapp.agents.hama://anidb22-17617?lang=en", "", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://anidb-?lang=en", "", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://-17617?lang=en", "", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://anidb-176-17?lang=en", "", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://anidb-17 617?lang=en", "", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://anidb-1x7?lang=en", "", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://kitsu-17617?lang=en", "", "", null, null, false)]
    [InlineData("com.plexapp.agents.hama://anidbanidbanidb-17617?lang=en", "", "", null, null, false)]
    // A legacy path's parts as a split at slashes gives them: empty parts are no numbers.
    [InlineData("com.plexapp.agents.thetvdb://371980//4?lang=en", "tvdb://371980", "", null, null, false)]
    [InlineData("com.plexapp.agents.thetvdb://371980/2//?lang=en", "", "tvdb://371980", 2, null, false)]
    [InlineData("com.plexapp.agents.thetvdb://371980/2/3/9?lang=en", "", "tvdb://371980", 2, 3, false)]
    [InlineData("com.plexapp.agents.shoko://42/-2/5?lang=en", "", "shoko://series/42", -2, 5, false)]
    // XBMC NFO: imdb or numeric (tmdb); the TV flavour carries a tvdb id.
    [InlineData("com.plexapp.agents.xbmcnfo://tt0133093?lang=xn", "imdb://tt0133093", "", null, null, false)]
    [InlineData("com.plexapp.agents.xbmcnfo://603?lang=xn", "tmdb://603", "", null, null, false)]
    [InlineData("com.plexapp.agents.xbmcnfotv://371980?lang=xn", "tvdb://371980", "", null, null, false)]
    // NFO agents: agent-specific, nothing canonical.
    [InlineData("tv.plex.agents.nfo.movie://some-local-id", "", "", null, null, false)]
    // None / personal media: not matchable.
    [InlineData("local://4003", "", "", null, null, true)]
    [InlineData("com.plexapp.agents.none://4003?lang=xn", "", "", null, null, true)]
    [InlineData("tv.plex.agents.none://4003", "", "", null, null, true)]
    // Guid[] entries.
    [InlineData("imdb://tt11280740", "imdb://tt11280740", "", null, null, false)]
    [InlineData("tmdb://95396", "tmdb://95396", "", null, null, false)]
    [InlineData("tvdb://8823401", "tvdb://8823401", "", null, null, false)]
    // Garbage stays harmless.
    [InlineData("", "", "", null, null, false)]
    [InlineData("not a guid", "", "", null, null, false)]
    [InlineData("com.plexapp.agents.imdb://nonsense?lang=en", "", "", null, null, false)]
    public void Parse_EveryScheme_GivesCanonicalIds(string value, string ids, string showIds, int? season, int? episode, bool local)
    {
        var parsed = PlexGuidParser.Parse(value);

        Assert.Equal(Split(ids), parsed.Ids.Select(i => i.ToString()).ToArray());
        Assert.Equal(Split(showIds), parsed.ShowIds.Select(i => i.ToString()).ToArray());
        Assert.Equal(season, parsed.Season);
        Assert.Equal(episode, parsed.Episode);
        Assert.Equal(local, parsed.IsLocal);
    }

    [Fact]
    public void ForItem_ModernGuidWithGuidList_CombinesAndDropsDuplicates()
    {
        var parsed = PlexGuidParser.ForItem(
            "plex://movie/5d7768ba96b655001fdc0b3e",
            [new PlexTag { Id = "imdb://tt0000001" }, new PlexTag { Id = "tmdb://101" }, new PlexTag { Id = "imdb://tt0000001" }, new PlexTag { Id = "weird://1" }]);

        Assert.Equal(
            [new ExternalId("plex", "movie/5d7768ba96b655001fdc0b3e"), new ExternalId("imdb", "tt0000001"), new ExternalId("tmdb", "101")],
            parsed.Ids);
    }

    /// <summary>
    /// Combining a primary guid with ids already read from <c>Guid[]</c> gives what the primary guid says, its ids first,
    /// then each other id not among them: for a primary of its own id (plex://, a modern agent, in any case), a legacy
    /// agent's, a legacy episode's, a local one and none.
    /// </summary>
    [Theory]
    [InlineData("plex://movie/5d7768ba96b655001fdc0b3e")]
    [InlineData("IMDB://tt0000001")]
    [InlineData("tmdb://101?lang=en")]
    [InlineData("com.plexapp.agents.imdb://tt0000001?lang=en")]
    [InlineData("com.plexapp.agents.thetvdb://371980/1/4?lang=en")]
    [InlineData("local://17")]
    [InlineData("weird://1")]
    [InlineData(null)]
    public void ForItem_WithIdsRead_IsThePrimaryAnswerThenTheOtherIds(string? primaryGuid)
    {
        ExternalId[][] lists =
        [
            [],
            [new("imdb", "tt0000001")],
            [new("imdb", "tt0000001"), new("tmdb", "101"), new("tvdb", "7")],
            [new("plex", "movie/5d7768ba96b655001fdc0b3e"), new("tvdb", "7")],
        ];
        var primary = PlexGuidParser.Parse(primaryGuid);
        foreach (var external in lists)
        {
            var combined = PlexGuidParser.ForItem(primaryGuid, external);

            Assert.Equal(primary.Ids.Concat(external.Where(id => !primary.Ids.Contains(id))), combined.Ids);
            Assert.Equal(primary.ShowIds, combined.ShowIds);
            Assert.Equal((primary.Season, primary.Episode, primary.IsLocal), (combined.Season, combined.Episode, combined.IsLocal));
        }
    }

    /// <summary>Every guid of every recorded example parses without error, and every non-local one yields an id.</summary>
    [Fact]
    public void Parse_EveryGuidInTheRecordedExamples_YieldsIds()
    {
        var guids = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Plex", "TestData", "examples"), "*.json"))
        {
            var text = File.ReadAllText(file);
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, "\"(?:guid|id|grandparentGuid|parentGuid)\":\\s*\"([a-z.]+://[^\"]+)\""))
            {
                guids.Add(m.Groups[1].Value);
            }
        }

        Assert.True(guids.Count > 40, $"only {guids.Count} guids found");
        foreach (var value in guids)
        {
            var parsed = PlexGuidParser.Parse(value);
            Assert.True(parsed.IsLocal || parsed.Ids.Count + parsed.ShowIds.Count > 0, $"{value} gave no id");
        }
    }

    private static string[] Split(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
