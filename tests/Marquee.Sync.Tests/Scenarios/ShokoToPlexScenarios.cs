using Marquee.Core.Sync;
using Marquee.Simulators.Shoko;
using Marquee.Sync.Tests.Infrastructure;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>
/// Shoko → Plex and Plex ⇄ Shoko through real HTTP, for people who also play from Shoko's clients: a watch in Shoko
/// reaches every Plex episode it covers, an unwatch only with proof, and a two-way run carries each side's watches to
/// the other without inventing any.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class ShokoToPlexScenarios
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(ShokoServerVersion.V5)]
    [InlineData(ShokoServerVersion.V6)]
    public async Task WatchedInShoko_IsWatchedInPlex_AndARerunWritesNothing(ShokoServerVersion version)
    {
        await using var f = await StartAsync(version, fromShoko: true);
        var episode = f.CatalogEpisode(3, AnimeEpisodeType.Episode, 6);
        var other = f.CatalogEpisode(3, AnimeEpisodeType.Episode, 7);
        f.Shoko.Mark(f.Shoko.Owner, ShokoScenarioServer.Key(episode), true);
        f.AdvanceClock(Hour);
        var flow = await f.AddFlowAsync(profiles: [f.Plex.Owner]);

        var report = await f.SyncAsync(flow);
        var rerun = await f.SyncAsync(flow);

        Assert.True(report.Run.Status == RunStatus.Done, ShokoScenarios.Describe(report));
        Assert.Equal(1, report.Run.Written);
        Assert.Equal(1, f.Plex.View(f.Plex.Owner, f.PlexKey(episode)).ViewCount);
        Assert.Equal(0, f.Plex.View(f.Plex.Owner, f.PlexKey(other)).ViewCount);
        Assert.True(rerun.Run.Written == 0, ShokoScenarios.Describe(rerun));
    }

    [Theory]
    [InlineData(ShokoServerVersion.V5)]
    [InlineData(ShokoServerVersion.V6)]
    public async Task TwoEpisodeFilePlayedInShoko_BothPlexEpisodesWatched_Once(ShokoServerVersion version)
    {
        await using var f = await StartAsync(version, fromShoko: true);
        var file = f.Catalog.Files.First(x => x.Episodes.Count == 2);
        f.Shoko.Sim.Control.Play(f.Shoko.Owner, file.Id, file.DurationMs * TimeSpan.TicksPerMillisecond);
        var episodes = file.Episodes.Select(x => f.Shoko.Sim.Control.Episode(x.EpisodeId)).ToList();
        Assert.All(episodes, e => Assert.NotNull(f.Shoko.Sim.Control.View(f.Shoko.Owner, e.Id).Watched));
        f.AdvanceClock(Hour);
        var flow = await f.AddFlowAsync(profiles: [f.Plex.Owner]);

        var report = await f.SyncAsync(flow);
        var rerun = await f.SyncAsync(flow);

        Assert.True(report.Run.Status == RunStatus.Done, ShokoScenarios.Describe(report));
        Assert.All(episodes, e => Assert.Equal(1, f.Plex.View(f.Plex.Owner, f.PlexKey(e)).ViewCount));
        Assert.Equal(0, rerun.Run.Written);
    }

    [Fact]
    public async Task SpecialWatchedInShoko_IsWatchedInPlexSeasonZero()
    {
        await using var f = await StartAsync(ShokoServerVersion.V6, fromShoko: true);
        var special = f.Catalog.Episodes.First(e => e.Type == AnimeEpisodeType.Special);
        f.Shoko.Mark(f.Shoko.Owner, ShokoScenarioServer.Key(special), true);
        f.AdvanceClock(Hour);

        var report = await f.SyncAsync(await f.AddFlowAsync(profiles: [f.Plex.Owner]));

        Assert.True(report.Run.Status == RunStatus.Done, ShokoScenarios.Describe(report));
        Assert.Equal(0, f.PlexEpisode(special).Parent!.Index);
        Assert.Equal(1, f.Plex.View(f.Plex.Owner, f.PlexKey(special)).ViewCount);
    }

    [Theory]
    [InlineData(ShokoServerVersion.V5)]
    [InlineData(ShokoServerVersion.V6)]
    public async Task UnwatchInShoko_AfterAWatch_UnwatchesInPlex_AndAWatchOnlyInPlexStays(ShokoServerVersion version)
    {
        await using var f = await StartAsync(version, fromShoko: true);
        var episode = f.CatalogEpisode(3, AnimeEpisodeType.Episode, 6);
        var onlyInPlex = f.CatalogEpisode(3, AnimeEpisodeType.Episode, 7);
        f.Plex.Mark(f.Plex.Owner, f.PlexKey(onlyInPlex), true);
        f.Shoko.Mark(f.Shoko.Owner, ShokoScenarioServer.Key(episode), true);
        var flow = await f.AddFlowAsync(profiles: [f.Plex.Owner]);
        await f.SyncAsync(flow);
        Assert.Equal(1, f.Plex.View(f.Plex.Owner, f.PlexKey(episode)).ViewCount);

        f.AdvanceClock(Hour);
        f.Shoko.Mark(f.Shoko.Owner, ShokoScenarioServer.Key(episode), false);
        var report = await f.SyncAsync(flow);

        Assert.True(report.Run.Status == RunStatus.Done, ShokoScenarios.Describe(report));
        Assert.Equal(0, f.Plex.View(f.Plex.Owner, f.PlexKey(episode)).ViewCount);
        Assert.Equal(1, f.Plex.View(f.Plex.Owner, f.PlexKey(onlyInPlex)).ViewCount);
    }

    [Theory]
    [InlineData(ShokoServerVersion.V5)]
    [InlineData(ShokoServerVersion.V6)]
    public async Task TwoWay_EachSidesWatchReachesTheOther_InOneRun_NothingInvented_RerunWritesNothing(ShokoServerVersion version)
    {
        await using var f = await StartAsync(version, fromShoko: false);
        var inPlex = f.CatalogEpisode(3, AnimeEpisodeType.Episode, 6);
        var inShoko = f.CatalogEpisode(3, AnimeEpisodeType.Episode, 7);
        var nowhere = f.CatalogEpisode(3, AnimeEpisodeType.Episode, 8);
        f.Plex.Mark(f.Plex.Owner, f.PlexKey(inPlex), true);
        f.Shoko.Mark(f.Shoko.Owner, ShokoScenarioServer.Key(inShoko), true);
        f.AdvanceClock(Hour);
        var flow = await f.AddFlowAsync(twoWay: true, profiles: [f.Plex.Owner]);

        var report = await f.SyncAsync(flow);
        var rerun = await f.SyncAsync(flow);

        Assert.True(report.Run.Status == RunStatus.Done, ShokoScenarios.Describe(report));
        Assert.NotNull(f.Shoko.Sim.Control.View(f.Shoko.Owner, inPlex.Id).Watched);
        Assert.Equal(1, f.Plex.View(f.Plex.Owner, f.PlexKey(inShoko)).ViewCount);
        Assert.Null(f.Shoko.Sim.Control.View(f.Shoko.Owner, nowhere.Id).Watched);
        Assert.Equal(0, f.Plex.View(f.Plex.Owner, f.PlexKey(nowhere)).ViewCount);
        Assert.True(rerun.Run.Written == 0, ShokoScenarios.Describe(rerun));

        // The first run never removes: an episode watched on one side only stays watched after both runs.
        Assert.Equal(1, f.Plex.View(f.Plex.Owner, f.PlexKey(inPlex)).ViewCount);
        Assert.NotNull(f.Shoko.Sim.Control.View(f.Shoko.Owner, inShoko.Id).Watched);
    }

    [Fact]
    public async Task ShokosPlexUsernames_PairTheAccounts_BeforeAShokoUserWhoseNameMerelyAgrees()
    {
        // Shoko users named otherwise than on Plex: "mika" says she is the Plex home user; another user only shares the name.
        await using var f = new PlexToShokoFixture(ShokoServerVersion.V6, shokoUsers: plex => ["anime-admin", plex.HomeUser, "mika"]);
        await f.StartAsync();
        var users = f.Shoko.Sim.State.Users;
        users[0].PlexUsernames = f.Plex.Owner;
        users[1].PlexUsernames = string.Empty;
        users[2].PlexUsernames = $"someone-else, {f.Plex.HomeUser.ToUpperInvariant()} ";
        var episode = f.CatalogEpisode(3, AnimeEpisodeType.Episode, 6);
        f.Plex.Mark(f.Plex.HomeUser, f.PlexKey(episode), true);
        f.AdvanceClock(Hour);

        var report = await f.SyncAsync(await f.AddFlowAsync());

        Assert.True(report.Run.Status is RunStatus.Done or RunStatus.DoneWithWarnings, ShokoScenarios.Describe(report));
        Assert.NotNull(f.Shoko.Sim.Control.View("mika", episode.Id).Watched);
        Assert.Null(f.Shoko.Sim.Control.View(f.Plex.HomeUser, episode.Id).Watched);
        Assert.Null(f.Shoko.Sim.Control.View("anime-admin", episode.Id).Watched);
    }

    private static async Task<PlexToShokoFixture> StartAsync(ShokoServerVersion version, bool fromShoko)
    {
        var fixture = new PlexToShokoFixture(version, fromShoko);
        await fixture.StartAsync();
        return fixture;
    }
}
