using Marquee.Core.Sync;
using Marquee.Sync.Tests.Infrastructure;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>
/// A full run reads both servers at once, but matches their items in one order whatever the timing: the source's turn
/// first. Where ids overlap across items, the order decides the outcome (DESIGN.md 4.8: ids that point at two different
/// items leave the item unresolved), so a run must not depend on which server answered first.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class MatchOrderScenarios
{
    [Theory]
    [InlineData("source")]
    [InlineData("target")]
    public async Task OverlappingIds_MatchTheSameWay_WhicheverServerAnswersFirst(string slow)
    {
        await using var f = new PlexToPlexFixture();
        await f.StartAsync();
        var source = (PlexScenarioServer)f.Source;
        var target = (PlexScenarioServer)f.Target;

        // The source lists two movies, one by a tmdb id and one by an imdb id; the target lists one movie with both ids.
        // Matched source first: two items, and the target's movie names both, so it is unresolved. Matched target first,
        // the target's movie would make one item of the two source movies.
        var a = Movie(source, "Order Test A", "plex://movie/0rde7000000000000000000a", "tmdb://990001");
        var c = Movie(source, "Order Test C", "plex://movie/0rde7000000000000000000c", "imdb://tt9900009");
        var b = Movie(target, "Order Test B", "plex://movie/0rde7000000000000000000b", "tmdb://990001", "imdb://tt9900009");
        (slow == "source" ? source : target).Sim.Control.SetLatency(150);
        var flow = await f.AddFlowAsync(profiles: [source.Owner]);

        var report = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, report.Run.Status);
        var unresolved = Assert.Single(report.Unresolved, u => u.LocalKey == b);
        Assert.Equal(UnresolvedReason.ConflictingIds, unresolved.Reason);
        Assert.DoesNotContain(report.Unresolved, u => u.LocalKey == a || u.LocalKey == c);
    }

    private static string Movie(PlexScenarioServer server, string title, string guid, params string[] ids)
    {
        var section = server.Sim.State.Sections.First(s => s.Title == "Movies").Id;
        return server.Sim.Control.AddMovie(section, title, 2001, guid, externalGuids: ids).RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
