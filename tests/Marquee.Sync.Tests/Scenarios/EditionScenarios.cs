using Marquee.Core.Flows;
using Marquee.Core.Sync;
using Marquee.Sync.Tests.Infrastructure;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>
/// Editions and copies of a movie between two Plex servers. Plex keeps user state per account and guid: an edition with
/// its base's guid is watched when the base is, while an edition or copy with a guid of its own (matched by another
/// agent, or a base left on a legacy agent) keeps a state of its own. A watch of any of them counts; the same edition on
/// both sides is matched edition to edition; an edition the other side lacks is written to its base version there; the
/// flow's policy can count every edition as the base, or leave editions out.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class EditionScenarios
{
    private const string Cut = "Director's Cut";

    [Fact]
    public async Task SameEditionOnBothSides_IsMatchedEditionToEdition()
    {
        await using var f = await StartAsync();
        var title = f.Source.Title(f.Source.Movies[0]);
        var sourceCut = Plex(f.Source).AddOwnCopy(title, Cut, "plex://movie/a1c0ffee00000000000000a1");
        var targetCut = Plex(f.Target).AddOwnCopy(title, Cut, "plex://movie/a1c0ffee00000000000000a1");
        f.Source.Mark(f.Source.Owner, sourceCut, true);
        var flow = await f.AddFlowAsync(features: ["watched"]);

        var first = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, first.Run.Status);
        var write = Assert.Single(first.Plan, w => w.SkipReason is null);
        Assert.Equal(targetCut, write.LocalKey);
        Assert.Equal(1, f.Target.View(f.Target.Owner, targetCut).ViewCount);
        Assert.Equal(0, f.Target.View(f.Target.Owner, f.Target.Movie(title)).ViewCount);
        Assert.Equal(0, f.Source.View(f.Source.Owner, f.Source.Movie(title)).ViewCount);
        f.AdvanceClock(TimeSpan.FromHours(1));
        Assert.Equal(0, (await f.SyncAsync(flow)).Run.Written);
    }

    [Fact]
    public async Task EditionOnlyOnTheSource_IsWrittenToTheBaseVersion_Once()
    {
        await using var f = await StartAsync();
        var title = f.Source.Title(f.Source.Movies[1]);
        var sourceCut = Plex(f.Source).AddOwnCopy(title, Cut, "plex://movie/a1c0ffee00000000000000b2");
        f.Source.Mark(f.Source.Owner, sourceCut, true);
        var flow = await f.AddFlowAsync(features: ["watched"]);

        var first = await f.SyncAsync(flow);

        var write = Assert.Single(first.Plan, w => w.SkipReason is null);
        Assert.Equal(f.Target.Movie(title), write.LocalKey);
        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Movie(title)).ViewCount);
        Assert.Equal(0, f.Source.View(f.Source.Owner, f.Source.Movie(title)).ViewCount);
        f.AdvanceClock(TimeSpan.FromHours(1));
        Assert.Equal(0, (await f.SyncAsync(flow)).Run.Written);
    }

    /// <summary>The base left on a legacy agent has a guid (and a state) of its own; only the cut was watched.</summary>
    [Fact]
    public async Task DirectorsCutWatchedAlone_WhoseBaseHasALegacyGuid_ReachesTheTarget()
    {
        await using var f = await StartAsync();
        var title = f.Source.LegacyMovieTitles.First(t => !f.Target.LegacyMovieTitles.Contains(t) && f.Target.Movies.Select(f.Target.Title).Contains(t));
        var sourceCut = Plex(f.Source).AddOwnCopy(title, Cut, "plex://movie/a1c0ffee00000000000000c3");
        var targetCut = f.Target.AddEdition(title);
        f.Source.Mark(f.Source.Owner, sourceCut, true);
        var flow = await f.AddFlowAsync(features: ["watched"]);

        var first = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, first.Run.Status);
        Assert.Single(first.Plan, w => w.SkipReason is null);
        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Movie(title)).ViewCount);
        Assert.Equal(1, f.Target.View(f.Target.Owner, targetCut).ViewCount);
        Assert.Equal(0, f.Source.View(f.Source.Owner, f.Source.Movie(title)).ViewCount);
        f.AdvanceClock(TimeSpan.FromHours(1));
        Assert.Equal(0, (await f.SyncAsync(flow)).Run.Written);
    }

    [Fact]
    public async Task EditionOnlyOnTheSource_WatchedAfterTheFirstRun_ReachesTheBaseVersionInAnIncrementalRun()
    {
        await using var f = await StartAsync();
        var title = f.Source.Title(f.Source.Movies[8]);
        var sourceCut = Plex(f.Source).AddOwnCopy(title, Cut, "plex://movie/a1c0ffee00000000000000b8");
        var flow = await f.AddFlowAsync(features: ["watched"]);
        Assert.Equal(RunStatus.Done, (await f.SyncAsync(flow)).Run.Status);

        f.AdvanceClock(TimeSpan.FromHours(1));
        var since = f.Source.Clock.GetUtcNow();
        f.AdvanceClock(TimeSpan.FromMinutes(1));
        f.Source.Mark(f.Source.Owner, sourceCut, true);
        var incremental = await f.SyncAsync(flow, new SyncOptions { Since = since, Trigger = "test" });

        var write = Assert.Single(incremental.Plan, w => w.SkipReason is null);
        Assert.Equal(f.Target.Movie(title), write.LocalKey);
        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Movie(title)).ViewCount);
        f.AdvanceClock(TimeSpan.FromHours(1));
        Assert.Equal(0, (await f.SyncAsync(flow)).Run.Written);
    }

    [Fact]
    public async Task ACopyMatchedByAnotherAgent_WatchedAlone_Counts()
    {
        await using var f = await StartAsync();
        var title = f.Source.Title(f.Source.Movies[2]);
        var copy = Plex(f.Source).AddOwnCopy(title, null, "com.plexapp.agents.none://a1c0ffee-d4");
        f.Source.Mark(f.Source.Owner, copy, true);
        var flow = await f.AddFlowAsync(features: ["watched"]);

        await f.SyncAsync(flow);

        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Movie(title)).ViewCount);
        Assert.Equal(0, f.Source.View(f.Source.Owner, f.Source.Movie(title)).ViewCount);
        f.AdvanceClock(TimeSpan.FromHours(1));
        Assert.Equal(0, (await f.SyncAsync(flow)).Run.Written);
    }

    [Fact]
    public async Task PolicySkip_LeavesEditionsOut_AndSyncsTheBase()
    {
        await using var f = await StartAsync();
        var titles = new[] { f.Source.Title(f.Source.Movies[3]), f.Source.Title(f.Source.Movies[4]), f.Source.Title(f.Source.Movies[7]) };
        var cuts = titles.Select((t, i) => Plex(f.Source).AddOwnCopy(t, Cut, $"plex://movie/a1c0ffee00000000000000e{i}")).ToList();
        var targetCut = Plex(f.Target).AddOwnCopy(titles[0], Cut, "plex://movie/a1c0ffee00000000000000e0");

        // The third movie is on the source only as its cut.
        Assert.True(Plex(f.Source).Sim.Control.Remove(int.Parse(f.Source.Movie(titles[2]), System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var cut in cuts)
        {
            f.Source.Mark(f.Source.Owner, cut, true);
        }

        f.Source.Mark(f.Source.Owner, f.Source.Movie(titles[1]), true);
        var flow = await f.AddFlowAsync(features: ["watched"], editions: EditionPolicy.Skip);

        var first = await f.SyncAsync(flow);

        var write = Assert.Single(first.Plan, w => w.SkipReason is null);
        Assert.Equal(f.Target.Movie(titles[1]), write.LocalKey);
        Assert.Equal(0, f.Target.View(f.Target.Owner, targetCut).ViewCount);
        Assert.Equal(0, f.Target.View(f.Target.Owner, f.Target.Movie(titles[0])).ViewCount);
        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Movie(titles[1])).ViewCount);
        Assert.Equal(0, f.Target.View(f.Target.Owner, f.Target.Movie(titles[2])).ViewCount);
    }

    [Fact]
    public async Task PolicyBase_WritesAWatchOfAnyEditionToTheBaseVersion()
    {
        await using var f = await StartAsync();
        var title = f.Source.Title(f.Source.Movies[5]);
        var sourceCut = Plex(f.Source).AddOwnCopy(title, Cut, "plex://movie/a1c0ffee00000000000000f5");
        var targetCut = Plex(f.Target).AddOwnCopy(title, Cut, "plex://movie/a1c0ffee00000000000000f5");
        f.Source.Mark(f.Source.Owner, sourceCut, true);
        var flow = await f.AddFlowAsync(features: ["watched"], editions: EditionPolicy.Base);

        await f.SyncAsync(flow);

        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Movie(title)).ViewCount);
        Assert.Equal(0, f.Target.View(f.Target.Owner, targetCut).ViewCount);
        f.AdvanceClock(TimeSpan.FromHours(1));
        Assert.Equal(0, (await f.SyncAsync(flow)).Run.Written);
    }

    /// <summary>
    /// Two-way, the base version standing in for a cut the other side lacks never sends that watch back to the base on
    /// the side that has the cut; an incremental run agrees with the full one; an unwatch of the base proven on the
    /// other side is not undone by the cut's watch, and is not written back either.
    /// </summary>
    [Fact]
    public async Task TwoWay_TheBaseStandingInForACut_NeverInventsAWatchOfTheOtherBase()
    {
        await using var f = await StartAsync();
        var title = f.Source.Title(f.Source.Movies[6]);
        var sourceCut = Plex(f.Source).AddOwnCopy(title, Cut, "plex://movie/a1c0ffee0000000000000017");
        f.Source.Mark(f.Source.Owner, sourceCut, true);
        var flow = await f.AddFlowAsync(twoWay: true, features: ["watched"]);

        await f.SyncAsync(flow);
        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Movie(title)).ViewCount);

        for (var run = 0; run < 2; run++)
        {
            f.AdvanceClock(TimeSpan.FromHours(1));
            var since = f.Source.Clock.GetUtcNow();
            f.AdvanceClock(TimeSpan.FromMinutes(1));
            var again = run == 0 ? await f.SyncAsync(flow) : await f.SyncAsync(flow, new SyncOptions { Since = since, Trigger = "test" });
            Assert.Equal(0, again.Run.Written);
        }

        Assert.Equal(0, f.Source.View(f.Source.Owner, f.Source.Movie(title)).ViewCount);
        Assert.Equal(1, f.Source.View(f.Source.Owner, sourceCut).ViewCount);
        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Movie(title)).ViewCount);
    }

    private static PlexScenarioServer Plex(IScenarioServer server) => (PlexScenarioServer)server;

    private static async Task<PlexToPlexFixture> StartAsync()
    {
        var fixture = new PlexToPlexFixture();
        await fixture.StartAsync();
        return fixture;
    }
}
