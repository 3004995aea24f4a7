using Marquee.Core.Sync;
using Marquee.Simulators.Shoko;
using Marquee.Sync.Tests.Infrastructure;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>
/// Plex → Shoko through real HTTP, on both Shoko server lines: the Plex simulator's "Anime (Shoko)" library (Shoko
/// Relay, legacy Shoko agent and HAMA guids) against the Shoko simulator of the same seed.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class ShokoScenarios
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(ShokoServerVersion.V5)]
    [InlineData(ShokoServerVersion.V6)]
    public async Task TwoEpisodeFile_WatchedInPlex_BothEpisodesWatchedInShoko_WithThePlexDate_FileWrittenOnce(ShokoServerVersion version)
    {
        await using var f = await StartAsync(version);
        var file = f.Catalog.Files.First(x => x.Episodes.Count == 2);
        var episodes = file.Episodes.Select(x => f.Shoko.Sim.Control.Episode(x.EpisodeId)).ToList();
        var watchedAt = f.Plex.Clock.GetUtcNow();
        foreach (var episode in episodes)
        {
            f.Plex.Mark(f.Plex.Owner, f.PlexKey(episode), true);
        }

        f.AdvanceClock(Hour);
        var report = await f.SyncAsync(await f.AddFlowAsync(profiles: [f.Plex.Owner]));

        Assert.True(report.Run.Status == RunStatus.Done, Describe(report));
        foreach (var episode in episodes)
        {
            Assert.Equal(watchedAt, f.Shoko.Sim.Control.View(f.Shoko.Owner, episode.Id).Watched);
        }

        var record = f.Shoko.Sim.State.FileRecord(f.Shoko.Sim.Control.User(f.Shoko.Owner), file);
        Assert.Equal(1, record!.WatchedCount);
    }

    [Theory]
    [InlineData(ShokoServerVersion.V5)]
    [InlineData(ShokoServerVersion.V6)]
    public async Task SpecialCreditsTrailerParodyAndOther_WatchedInPlex_AreWatchedInShoko_ByRelayAndHamaGuids(ShokoServerVersion version)
    {
        await using var f = await StartAsync(version);
        var wanted = new[]
        {
            f.CatalogEpisode(0, AnimeEpisodeType.Special, 1),
            f.CatalogEpisode(0, AnimeEpisodeType.Credits, 1),
            f.CatalogEpisode(0, AnimeEpisodeType.Trailer, 1),
            f.CatalogEpisode(0, AnimeEpisodeType.Parody, 1),
            f.CatalogEpisode(0, AnimeEpisodeType.Other, 1),
            f.CatalogEpisode(2, AnimeEpisodeType.Special, 1),
            f.CatalogEpisode(2, AnimeEpisodeType.Credits, 1),
        };
        foreach (var episode in wanted)
        {
            f.Plex.Mark(f.Plex.Owner, f.PlexKey(episode), true);
        }

        var report = await f.SyncAsync(await f.AddFlowAsync(profiles: [f.Plex.Owner]));

        Assert.True(report.Run.Status == RunStatus.Done, Describe(report));
        Assert.All(wanted, e => Assert.True(f.Shoko.Sim.Control.View(f.Shoko.Owner, e.Id).Watched is not null, $"{e.Type} {e.Number} of series {e.SeriesId} not watched: " + Describe(report)));
        Assert.Equal(wanted.Length, f.Shoko.Sim.Control.Dump(f.Shoko.Owner).Count);
    }

    [Fact]
    public async Task EpisodeInTmdbSeason3_ArrivesOnTheRightAniDbEpisode_AndNothingElse()
    {
        await using var f = await StartAsync(ShokoServerVersion.V5);
        var episode = f.CatalogEpisode(0, AnimeEpisodeType.Episode, 23);
        var plex = f.PlexEpisode(episode);
        Assert.Equal((3, 3), (plex.Parent!.Index, plex.Index));
        f.Plex.Mark(f.Plex.Owner, f.PlexKey(episode), true);

        await f.SyncAsync(await f.AddFlowAsync(profiles: [f.Plex.Owner]));

        Assert.Equal([episode.Id], f.Shoko.Sim.Control.Dump(f.Shoko.Owner).Keys);
    }

    [Fact]
    public async Task LegacyAgentWithoutTmdbLink_MatchesByTypeSeason_HamaByAniDbNumber()
    {
        await using var f = await StartAsync(ShokoServerVersion.V5);
        var legacy = f.CatalogEpisode(4, AnimeEpisodeType.Episode, 5);
        var hama = f.CatalogEpisode(2, AnimeEpisodeType.Episode, 7);
        Assert.Equal(PlexAnimeAgent.LegacyShoko, f.Catalog.Series[4].PlexAgent);
        f.Plex.Mark(f.Plex.Owner, f.PlexKey(legacy), true);
        f.Plex.Mark(f.Plex.Owner, f.PlexKey(hama), true);

        await f.SyncAsync(await f.AddFlowAsync(profiles: [f.Plex.Owner]));

        Assert.Equal([hama.Id, legacy.Id], f.Shoko.Sim.Control.Dump(f.Shoko.Owner).Keys.Order());
    }

    [Fact]
    public async Task UnmatchedPlexItem_IsUnresolved_WithTheReason()
    {
        await using var f = await StartAsync(ShokoServerVersion.V5);

        var report = await f.SyncAsync(await f.AddFlowAsync(profiles: [f.Plex.Owner]));

        var unresolved = Assert.Single(report.Unresolved, u => u.Title == "Episode 1");
        Assert.Equal(UnresolvedReason.NoIds, unresolved.Reason);
        Assert.Contains("local://", unresolved.Detail, StringComparison.Ordinal);
        Assert.Empty(f.Shoko.Sim.Control.Dump(f.Shoko.Owner));
    }

    [Theory]
    [InlineData(ShokoServerVersion.V5)]
    [InlineData(ShokoServerVersion.V6)]
    public async Task MarkByHandInPlex_ArrivesWithTheNextIncrementalRun_ThatReadsOnlyItsWindow_AndARerunWritesNothing(ShokoServerVersion version)
    {
        await using var f = await StartAsync(version);
        var flow = await f.AddFlowAsync(profiles: [f.Plex.Owner]);
        f.Plex.ResetRequests();
        var full = await f.SyncAsync(flow);
        var fullReads = PlexReads(f);
        Assert.Equal(0, full.Run.Written);

        f.AdvanceClock(TimeSpan.FromDays(3));
        var episode = f.CatalogEpisode(0, AnimeEpisodeType.Episode, 14);
        f.Plex.Mark(f.Plex.Owner, f.PlexKey(episode), true);
        f.AdvanceClock(Hour);
        f.Plex.ResetRequests();
        f.Shoko.ResetRequests();
        var incremental = await f.SyncAsync(flow, new SyncOptions { Trigger = "test", Since = f.Plex.Clock.GetUtcNow() - TimeSpan.FromDays(1) });

        Assert.True(incremental.Run.Written == 1, Describe(incremental));
        Assert.NotNull(f.Shoko.Sim.Control.View(f.Shoko.Owner, episode.Id).Watched);
        Assert.True(PlexReads(f) < fullReads, $"the window read {PlexReads(f)} Plex requests, the full run {fullReads}");
        Assert.Equal(0, f.Shoko.Requests.GetValueOrDefault("GET /api/v3/Series"));

        f.AdvanceClock(Hour);
        var rerun = await f.SyncAsync(flow, new SyncOptions { Trigger = "test", Since = f.Plex.Clock.GetUtcNow() - TimeSpan.FromDays(1) });
        var again = await f.SyncAsync(flow);
        Assert.Equal((0, 0), (rerun.Run.Written, again.Run.Written));
    }

    [Theory]
    [InlineData(ShokoServerVersion.V5)]
    [InlineData(ShokoServerVersion.V6)]
    public async Task UnwatchInPlex_AfterAWatch_UnwatchesInShoko_AndNeverWatchedThereStaysWatchedHere(ShokoServerVersion version)
    {
        await using var f = await StartAsync(version);
        var episode = f.CatalogEpisode(3, AnimeEpisodeType.Episode, 6);
        var onlyInShoko = f.CatalogEpisode(3, AnimeEpisodeType.Episode, 7);
        f.Shoko.Mark(f.Shoko.Owner, ShokoScenarioServer.Key(onlyInShoko), true);
        f.Plex.Mark(f.Plex.Owner, f.PlexKey(episode), true);
        var flow = await f.AddFlowAsync(profiles: [f.Plex.Owner]);
        await f.SyncAsync(flow);
        Assert.NotNull(f.Shoko.Sim.Control.View(f.Shoko.Owner, episode.Id).Watched);

        f.AdvanceClock(Hour);
        f.Plex.Mark(f.Plex.Owner, f.PlexKey(episode), false);
        var report = await f.SyncAsync(flow);

        Assert.True(report.Run.Status == RunStatus.Done, Describe(report));
        Assert.Null(f.Shoko.Sim.Control.View(f.Shoko.Owner, episode.Id).Watched);
        Assert.NotNull(f.Shoko.Sim.Control.View(f.Shoko.Owner, onlyInShoko.Id).Watched);
    }

    [Fact]
    public async Task ResumePoint_InPlex_ReachesTheShokoFile()
    {
        await using var f = await StartAsync(ShokoServerVersion.V5);
        var episode = f.CatalogEpisode(0, AnimeEpisodeType.Episode, 9);
        f.Plex.Play(f.Plex.Owner, f.PlexKey(episode), 50);

        var report = await f.SyncAsync(await f.AddFlowAsync(profiles: [f.Plex.Owner]));

        Assert.True(report.Run.Status == RunStatus.Done, Describe(report));
        var view = f.Shoko.View(f.Shoko.Owner, ShokoScenarioServer.Key(episode));
        Assert.Equal(0, view.ViewCount);
        Assert.InRange(view.OffsetMs, (episode.DurationMs / 2) - 2000, (episode.DurationMs / 2) + 2000);
    }

    [Theory]
    [InlineData("error500")]
    [InlineData("malformedJson")]
    public async Task ShokoFailing_FailsTheRun_WithAnErrorNamingTheConnection_AndMarksNothingTwice(string fault)
    {
        await using var f = await StartAsync(ShokoServerVersion.V5);
        var episode = f.CatalogEpisode(1, AnimeEpisodeType.Episode, 4);
        f.Plex.Mark(f.Plex.Owner, f.PlexKey(episode), true);
        var flow = await f.AddFlowAsync(profiles: [f.Plex.Owner]);
        f.Shoko.Sim.Control.Harness.SetFault("GET /api/v3/Series/{seriesID}/Episode", fault == "error500" ? new() { Error500 = 1 } : new() { MalformedJson = 1 });

        var failed = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Failed, failed.Run.Status);
        Assert.Contains("Shoko server 'right'", failed.Run.Message, StringComparison.Ordinal);
        Assert.Contains(fault == "error500" ? "500" : "not the expected JSON", failed.Run.Message, StringComparison.Ordinal);
        Assert.Null(f.Shoko.Sim.Control.View(f.Shoko.Owner, episode.Id).Watched);

        f.Shoko.Sim.Control.Harness.ClearFaults();
        var healed = await f.SyncAsync(flow);
        var again = await f.SyncAsync(flow);
        Assert.True(healed.Run.Written == 1, Describe(healed));
        Assert.Equal(0, again.Run.Written);
        var file = f.Shoko.Sim.State.FilesOf(episode)[0].File;
        Assert.Equal(1, f.Shoko.Sim.State.FileRecord(f.Shoko.Sim.Control.User(f.Shoko.Owner), file)!.WatchedCount);
    }

    internal static async Task<PlexToShokoFixture> StartAsync(ShokoServerVersion version)
    {
        var fixture = new PlexToShokoFixture(version);
        await fixture.StartAsync();
        return fixture;
    }

    private static long PlexReads(PlexToShokoFixture f) => f.Plex.Requests.Where(p => p.Key.StartsWith("GET ", StringComparison.Ordinal)).Sum(p => p.Value);

    internal static string Describe(SyncReport report) =>
        $"{report.Run.Status} {report.Run.Message}: " + string.Join("; ", report.Plan.Select(w => $"{w.ConnectionName} '{w.Title}' {w.Action} {w.Reason} {w.SkipReason}"))
        + " | unresolved: " + string.Join("; ", report.Unresolved.Select(u => $"{u.Title}: {u.Reason} {u.Detail}"));
}
