using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Simulators.Shoko;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>The optional "Anime (Shoko)" library: the Shoko simulator's catalog as the Shoko agents and HAMA show it in Plex.</summary>
public sealed class ShokoAnimeLibraryTests
{
    [Fact]
    public void Option_AddsOneLibrary_AndLeavesTheOthersAsTheyWere()
    {
        var plain = new PlexState(new PlexSimulatorOptions { Movies = 50, Shows = 8 }, new Marquee.Simulators.Infrastructure.SimClock());
        var anime = new PlexState(new PlexSimulatorOptions { Movies = 50, Shows = 8, ShokoAnime = true }, new Marquee.Simulators.Infrastructure.SimClock());

        Assert.Equal(plain.Sections.Count + 1, anime.Sections.Count);
        foreach (var section in plain.Sections)
        {
            var a = Enumerable.Range(1, 4).SelectMany(t => plain.ItemsOfType(section.Id, (ItemType)t)).Select(i => (i.RatingKey, i.PrimaryGuid, i.Title));
            var b = Enumerable.Range(1, 4).SelectMany(t => anime.ItemsOfType(section.Id, (ItemType)t)).Select(i => (i.RatingKey, i.PrimaryGuid, i.Title));
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void Library_MatchesTheCatalog_ByRelayLegacyAndHamaGuids_WithTmdbSeasonsAndSharedParts()
    {
        var state = new PlexState(new PlexSimulatorOptions { Movies = 0, Shows = 0, ShokoAnime = true, Seed = 11 }, new Marquee.Simulators.Infrastructure.SimClock());
        var catalog = AnimeCatalog.Generate(11);
        var episodes = state.ItemsOfType(5, ItemType.Episode);
        var series0 = catalog.Series[0];

        // Regular episode 23 of series 0 sits in TMDB season 3 as episode 3, with Shoko Relay's episode guid.
        var e23 = catalog.Episodes.First(e => e.SeriesId == series0.Id && e.Type == AnimeEpisodeType.Episode && e.Number == 23);
        var plex23 = Assert.Single(episodes, i => i.PrimaryGuid == $"tv.plex.agents.custom.shoko://episode/e{e23.Id}");
        Assert.Equal((3, 3), (plex23.Parent!.Index, plex23.Index));
        Assert.Contains($"tmdb://{e23.TmdbEpisodeId}", plex23.ExternalGuids);

        // Episodes 2 and 3 share one media part in every series.
        var shared = episodes.GroupBy(i => i.PartId).Where(g => g.Count() == 2).ToList();
        Assert.Equal(catalog.Series.Count, shared.Count);

        // The legacy agent and HAMA name series and coordinates, not episodes.
        Assert.Contains(episodes, i => i.PrimaryGuid == $"com.plexapp.agents.shokorelay://{catalog.Series[1].Id}/1/1?lang=en");
        Assert.Contains(episodes, i => i.PrimaryGuid == $"com.plexapp.agents.hama://anidb-{catalog.Series[2].AniDbId}/0/101?lang=en");

        // What has no file is not in Plex; one show is unmatched.
        Assert.Equal(catalog.Episodes.Count(e => catalog.Files.Any(f => f.Episodes.Any(x => x.EpisodeId == e.Id))) + 1, episodes.Count);
        Assert.Contains(episodes, i => i.PrimaryGuid.StartsWith("local://", StringComparison.Ordinal));
        Assert.All(episodes, i => Assert.Equal(0, state.State(state.Owner, i).ViewCount));
    }
}
