using Marquee.Core.Sync;
using Marquee.Sync.Tests.Infrastructure;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>
/// Issue 13, finding 10: plex.tv stopped, two local Plex servers reached directly (URL and owner token) keep syncing:
/// the owner always, the other accounts with the server tokens cached while plex.tv was up; only accounts that need
/// plex.tv now are skipped, with the reason.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class PlexTvOutageScenarios
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task PlexTvUnreachable_SyncBetweenLocalServers_GoesOnWithCachedTokens()
    {
        await using var f = new PlexToPlexFixture();
        await f.StartAsync();
        var movies = Movies(f);
        var flow = await f.AddFlowAsync();
        var first = await f.SyncAsync(flow);
        Assert.Equal(RunStatus.Done, first.Run.Status);

        await f.StopPlexTvAsync();
        f.AdvanceClock(Hour);
        f.Source.Mark(f.Source.Owner, movies[0], true);
        f.Source.Mark(f.Source.HomeUser, movies[1], true);
        f.Source.Mark(f.Source.Friend, movies[2], true);
        var report = await f.SyncAsync(flow, new SyncOptions { Trigger = "test", Force = true });

        Assert.Equal(RunStatus.Done, report.Run.Status);
        Assert.Equal(1, f.Target.View(f.Target.Owner, On(f, movies[0])).ViewCount);
        Assert.Equal(1, f.Target.View(f.Target.HomeUser, On(f, movies[1])).ViewCount);
        Assert.Equal(1, f.Target.View(f.Target.Friend, On(f, movies[2])).ViewCount);
        Assert.Equal(0, f.Target.View(f.Target.Owner, On(f, movies[1])).ViewCount);
    }

    [Fact]
    public async Task PlexTvUnreachable_FromTheFirstRun_OwnerSyncs()
    {
        await using var f = new PlexToPlexFixture();
        await f.StartAsync();
        var movies = Movies(f);
        await f.StopPlexTvAsync();
        f.Source.Mark(f.Source.Owner, movies[0], true);
        var flow = await f.AddFlowAsync();

        var report = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, report.Run.Status);
        Assert.Equal(1, f.Target.View(f.Target.Owner, On(f, movies[0])).ViewCount);
    }

    private static IReadOnlyList<string> Movies(SyncScenarioFixture f)
    {
        var there = f.Target.Movies.Select(f.Target.Title).ToHashSet(StringComparer.Ordinal);
        return f.Source.Movies.Where(m => there.Contains(f.Source.Title(m))).ToList();
    }

    private static string On(SyncScenarioFixture f, string sourceKey) => f.Target.Movie(f.Source.Title(sourceKey));
}
