using System.Globalization;
using Marquee.Core.Flows;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Marquee.Simulators.Plex.Model;
using Marquee.Simulators.Trakt;
using Marquee.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>
/// Watchlists between Plex (the owner's Discover watchlist) and Trakt, real HTTP against both simulators: adds both ways,
/// removals only with proof (on both lists at the last run, now gone from one), never on a first run, never on a failed or
/// empty read, and a rerun that writes nothing.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class WatchlistScenarios
{
    private static readonly FlowGuards Loose = new() { MaxRemovals = 100, MaxRemovalPercent = 100 };

    [Fact]
    public async Task AddOnPlex_ReachesTrakt_AndAddOnTrakt_ReachesPlex_ThenARerunWritesNothing()
    {
        await using var f = await StartAsync<PlexToTraktFixture>();
        var movies = OnlineMovies(f).Take(3).ToList();
        var show = OnlineShow(f);
        PlexList(f, movies[0], true);
        PlexList(f, show, true);
        TraktList(f, TraktMovie(f, movies[1]), true);
        var flow = await f.AddFlowAsync(twoWay: true, features: ["watchlist"]);

        var first = await f.SyncAsync(flow);
        f.AdvanceClock(TimeSpan.FromHours(1));
        f.Source.ResetRequests();
        f.Target.ResetRequests();
        var second = await f.SyncAsync(flow);

        Assert.True(first.Run.Status == RunStatus.Done, first.Run.Message);
        Assert.Equal(3, first.Run.Written);
        Assert.Equal(TraktTitles(f, TraktMovie(f, movies[0]), TraktMovie(f, movies[1]), TraktShow(f, show)), TraktWatchlist(f));
        Assert.Equal(new[] { Hex(movies[0]), Hex(movies[1]), Hex(show) }.Order(StringComparer.Ordinal), PlexWatchlist(f).Order(StringComparer.Ordinal));
        Assert.Equal(RunStatus.Done, second.Run.Status);
        Assert.Equal(0, second.Run.Planned);
        Assert.DoesNotContain(f.Target.Requests.Keys, k => k.StartsWith("POST", StringComparison.Ordinal));
        Assert.DoesNotContain(f.Source.Requests.Keys, k => k.Contains("Watchlist", StringComparison.Ordinal) && k.StartsWith("PUT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FirstRun_NeverRemoves_AndALaterRemovalNeedsProof()
    {
        await using var f = await StartAsync<PlexToTraktFixture>();
        var movies = OnlineMovies(f).Take(4).ToList();

        // Before the first run: A on both, B only on Plex, C only on Trakt. Nothing was agreed yet: nothing is removed.
        PlexList(f, movies[0], true);
        PlexList(f, movies[1], true);
        TraktList(f, TraktMovie(f, movies[0]), true);
        TraktList(f, TraktMovie(f, movies[2]), true);
        var flow = await f.AddFlowAsync(twoWay: true, features: ["watchlist"], guards: Loose);
        var first = await f.SyncAsync(flow);

        Assert.DoesNotContain(first.Plan, w => w.Action == WriteAction.WatchlistRemove);
        Assert.Equal(3, TraktWatchlist(f).Count);
        Assert.Equal(3, PlexWatchlist(f).Count);

        // A leaves Plex (proof: both held it); D arrives on Trakt only (no proof of anything: it is added, not removed).
        PlexList(f, movies[0], false);
        TraktList(f, TraktMovie(f, movies[3]), true);
        f.AdvanceClock(TimeSpan.FromHours(1));
        var second = await f.SyncAsync(flow);

        Assert.True(second.Run.Status == RunStatus.Done, second.Run.Message);
        var removal = Assert.Single(second.Plan, w => w.Action == WriteAction.WatchlistRemove);
        Assert.Equal("right", removal.ConnectionName);
        Assert.DoesNotContain(TraktMovie(f, movies[0]).Trakt, TraktWatchlist(f));
        Assert.Contains(Hex(movies[3]), PlexWatchlist(f));
        Assert.Equal(3, TraktWatchlist(f).Count);

        var third = await f.SyncAsync(flow);
        Assert.Equal(0, third.Run.Planned);
    }

    [Fact]
    public async Task AddOnlyFlow_RemovesNothing_AndOneWayFlow_RemovesOnlyWhatLeftTheSource()
    {
        await using var f = await StartAsync<PlexToTraktFixture>();
        var movies = OnlineMovies(f).Take(2).ToList();
        PlexList(f, movies[0], true);
        PlexList(f, movies[1], true);
        var addOnly = await f.AddFlowAsync(features: ["watchlist"], mode: FlowMode.AddOnly, guards: Loose, name: "add-only");
        await f.SyncAsync(addOnly);
        PlexList(f, movies[0], false);
        var kept = await f.SyncAsync(addOnly);

        Assert.DoesNotContain(kept.Plan, w => w.Action == WriteAction.WatchlistRemove);
        Assert.Equal(2, TraktWatchlist(f).Count);

        // One-way mirror: a title that left the target comes back (the target follows the source); one that left the source goes.
        var mirror = await f.AddFlowAsync(features: ["watchlist"], guards: Loose, name: "mirror");
        await f.SyncAsync(mirror);
        TraktList(f, TraktMovie(f, movies[1]), false);
        PlexList(f, movies[0], true);
        await f.SyncAsync(mirror);
        Assert.Equal(TraktTitles(f, TraktMovie(f, movies[0]), TraktMovie(f, movies[1])), TraktWatchlist(f));
        PlexList(f, movies[1], false);
        var removed = await f.SyncAsync(mirror);

        Assert.Single(removed.Plan, w => w.Action == WriteAction.WatchlistRemove);
        Assert.Equal(TraktTitles(f, TraktMovie(f, movies[0])), TraktWatchlist(f));
    }

    [Fact]
    public async Task AFailingSide_OrAnEmptyList_RemovesNothing()
    {
        await using var f = await StartAsync<PlexToTraktFixture>();
        var movies = OnlineMovies(f).Take(3).ToList();
        foreach (var movie in movies)
        {
            PlexList(f, movie, true);
        }

        var flow = await f.AddFlowAsync(twoWay: true, features: ["watchlist"], guards: Loose);
        await f.SyncAsync(flow);
        Assert.Equal(3, TraktWatchlist(f).Count);

        // Trakt's watchlist cannot be read: nothing is written to either side, and the run says why.
        PlexList(f, movies[0], false);
        f.Trakt.Sim.Control.SetStatusFault("GET /sync/watchlist", new TraktStatusFault(500, Times: 20));
        var failed = await f.SyncAsync(flow);
        f.Trakt.Sim.Control.ClearStatusFaults();

        Assert.Equal(RunStatus.DoneWithWarnings, failed.Run.Status);
        Assert.Contains("watchlists of", failed.Run.Message, StringComparison.Ordinal);
        Assert.Empty(failed.Plan);
        Assert.Equal(3, TraktWatchlist(f).Count);

        // Plex answers an empty watchlist where three titles were agreed: an error, never three removals.
        PlexList(f, movies[1], false);
        PlexList(f, movies[2], false);
        var empty = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.DoneWithWarnings, empty.Run.Status);
        Assert.Contains("empty watchlist", empty.Run.Message, StringComparison.Ordinal);
        Assert.Empty(empty.Plan);
        Assert.Equal(3, TraktWatchlist(f).Count);
    }

    [Fact]
    public async Task BadEntries_AreListedUnresolved_AndNeitherWrittenNorRemoved()
    {
        await using var f = await StartAsync<PlexToTraktFixture>();
        var movie = OnlineMovies(f).First();
        PlexList(f, movie, true);

        // A season on Trakt's watchlist has no place on Plex's; an online key Plex does not know has no ids.
        var season = f.Trakt.Sim.State.Catalog.Shows.First().Children.First();
        f.Trakt.Sim.Control.Watchlist(f.Trakt.Owner, season, true);
        f.Plex.Sim.State.Watchlist(f.Plex.Sim.State.Owner, "0123456789abcdef01234567", true);
        var flow = await f.AddFlowAsync(twoWay: true, features: ["watchlist"], guards: Loose);

        var run = await f.SyncAsync(flow);

        Assert.True(run.Run.Status == RunStatus.Done, run.Run.Message);
        Assert.Equal(1, run.Run.Written);
        Assert.Equal(2, run.Unresolved.Count);
        Assert.Contains(run.Unresolved, u => u.Reason == "not a movie or show");
        Assert.Contains(run.Unresolved, u => u.Reason == UnresolvedReason.NoIds);
        Assert.Equal(2, TraktWatchlist(f).Count);
        Assert.Equal(2, PlexWatchlist(f).Count);
    }

    [Fact]
    public async Task WatchedTitle_LeavesBothWatchlists_WhenTheFlowSaysSo_AndStaysOtherwise()
    {
        await using var f = await StartAsync<PlexToTraktFixture>();
        var movies = OnlineMovies(f).Take(2).ToList();
        PlexList(f, movies[0], true);
        PlexList(f, movies[1], true);
        var flow = await f.AddFlowAsync(twoWay: true, features: ["watched", "watchlist"], guards: Loose);
        flow = await f.WithAsync(s => s.GetRequiredService<FlowService>().UpdateAsync(flow.Name, new FlowInput { Filters = flow.Filters with { WatchedLeavesWatchlist = true } }, CancellationToken.None));
        await f.SyncAsync(flow);
        Assert.Equal(2, TraktWatchlist(f).Count);

        // Watched on Plex: the play goes to Trakt and the title leaves both watchlists; the other stays.
        f.AdvanceClock(TimeSpan.FromHours(1));
        f.Plex.Mark(f.Plex.Owner, movies[0].RatingKey.ToString(CultureInfo.InvariantCulture), true);
        var run = await f.SyncAsync(flow);
        var rerun = await f.SyncAsync(flow);

        Assert.True(run.Run.Status == RunStatus.Done, run.Run.Message);
        Assert.Equal(TraktTitles(f, TraktMovie(f, movies[1])), TraktWatchlist(f));
        Assert.Equal([Hex(movies[1])], PlexWatchlist(f));
        Assert.Single(f.Trakt.Plays(f.Trakt.Owner, f.Trakt.Movie(movies[0].Title)));
        Assert.Equal(0, rerun.Run.Planned);

        // Without the setting a watched title is a title like any other: put on Plex's watchlist again, it goes to Trakt too.
        PlexList(f, movies[0], true);
        flow = await f.WithAsync(s => s.GetRequiredService<FlowService>().UpdateAsync(flow.Name, new FlowInput { Filters = flow.Filters with { WatchedLeavesWatchlist = false } }, CancellationToken.None));
        await f.SyncAsync(flow);
        Assert.Contains(Hex(movies[0]), PlexWatchlist(f));
        Assert.Contains(TraktMovie(f, movies[0]).Trakt, TraktWatchlist(f));
    }

    [Fact]
    public async Task UndoneAdd_LeavesTrakt_AndTheNextMirrorRunRemovesNothingFromPlex()
    {
        await using var f = await StartAsync<PlexToTraktFixture>();
        var movies = OnlineMovies(f).Take(2).ToList();
        PlexList(f, movies[0], true);
        TraktList(f, TraktMovie(f, movies[0]), true);
        var flow = await f.AddFlowAsync(twoWay: true, features: ["watchlist"], guards: Loose);
        await f.SyncAsync(flow);
        PlexList(f, movies[1], true);
        var added = await f.SyncAsync(flow);
        Assert.Equal(TraktTitles(f, TraktMovie(f, movies[0]), TraktMovie(f, movies[1])), TraktWatchlist(f));

        var undo = await f.UndoAsync(added.Run.Id);

        Assert.True(undo.Status == RunStatus.Done, undo.Message);
        Assert.Equal(1, undo.Written);
        Assert.Equal(TraktTitles(f, TraktMovie(f, movies[0])), TraktWatchlist(f));

        // The undone add is no proof that the title left Trakt: Plex keeps it, and the flow plans the same add again.
        f.AdvanceClock(TimeSpan.FromHours(1));
        var next = await f.SyncAsync(flow);

        Assert.True(next.Run.Status == RunStatus.Done, next.Run.Message);
        var again = Assert.Single(next.Plan);
        Assert.Equal((WriteAction.WatchlistAdd, "right"), (again.Action, again.ConnectionName));
        Assert.Equal(new[] { Hex(movies[0]), Hex(movies[1]) }.Order(StringComparer.Ordinal), PlexWatchlist(f).Order(StringComparer.Ordinal));
        Assert.Equal(TraktTitles(f, TraktMovie(f, movies[0]), TraktMovie(f, movies[1])), TraktWatchlist(f));
    }

    [Fact]
    public async Task UndoneRemoval_PutsTheTitleBackOnTrakt_AndIsJournaledInBothRuns()
    {
        await using var f = await StartAsync<PlexToTraktFixture>();
        var movies = OnlineMovies(f).Take(2).ToList();
        foreach (var movie in movies)
        {
            PlexList(f, movie, true);
            TraktList(f, TraktMovie(f, movie), true);
        }

        var flow = await f.AddFlowAsync(twoWay: true, features: ["watchlist"], guards: Loose);
        await f.SyncAsync(flow);
        PlexList(f, movies[0], false);
        var removed = await f.SyncAsync(flow);
        Assert.Equal(TraktTitles(f, TraktMovie(f, movies[1])), TraktWatchlist(f));

        var undo = await f.UndoAsync(removed.Run.Id);

        Assert.True(undo.Status == RunStatus.Done, undo.Message);
        Assert.Equal(1, undo.Written);
        Assert.Equal(TraktTitles(f, TraktMovie(f, movies[0]), TraktMovie(f, movies[1])), TraktWatchlist(f));
        var journal = await f.WithAsync(async services =>
        {
            var runs = services.GetRequiredService<IRunStore>();
            return (await runs.ListWritesAsync(removed.Run.Id, CancellationToken.None)).Concat(await runs.ListWritesAsync(undo.Id, CancellationToken.None)).ToList();
        });
        Assert.Equal([(WriteAction.WatchlistRemove, true, false), (WriteAction.WatchlistAdd, false, true)], journal.Select(w => (w.Action, WatchlistJournal.Parse(w.Before)!.Listed, WatchlistJournal.Parse(w.After)!.Listed)));
        Assert.All(journal, w => Assert.Equal((FlowFeature.Watchlist, WriteStatus.Written), (w.Feature, w.Status)));

        // The proof is back in the baseline as before the run: Plex still lacks the title, so the flow plans the same removal again.
        var next = await f.SyncAsync(flow);
        var again = Assert.Single(next.Plan);
        Assert.Equal((WriteAction.WatchlistRemove, "right"), (again.Action, again.ConnectionName));
    }

    [Fact]
    public async Task ThreeThousandTitleWatchlist_IsReadCompletely_PageByPage()
    {
        await using var f = await StartAsync<LargePlexToTraktFixture>();
        var sim = f.Trakt.Sim;
        sim.State.WatchlistLimit = 5000;
        foreach (var media in sim.State.Catalog.Movies.Take(3000))
        {
            sim.Control.Watchlist(f.Trakt.Owner, media, true);
        }

        sim.Control.ResetCounts();
        var entries = await f.WithAsync(async services =>
        {
            var side = await services.GetRequiredService<ProviderFactory>().CreateAsync(2, CancellationToken.None);
            var account = (await side.Directory.ListAccountsAsync(CancellationToken.None))[0];
            return await ((IWatchlist)side.Provider).ReadWatchlistAsync(account, CancellationToken.None);
        });

        Assert.Equal(3000, entries.Count);
        Assert.Equal(3000, entries.Select(e => e.Key).Distinct().Count());
        Assert.All(entries, e => Assert.StartsWith("movie:", e.Key, StringComparison.Ordinal));
        Assert.Equal(12, sim.Control.RequestCounts["GET /sync/watchlist"]);
    }

    private static List<PlexItem> OnlineMovies(PlexToTraktFixture f) =>
        [.. f.Plex.Movies.Select(k => f.Plex.Sim.Control.Item(int.Parse(k, CultureInfo.InvariantCulture))).Where(i => i.PrimaryGuid.StartsWith("plex://movie/", StringComparison.Ordinal))];

    private static PlexItem OnlineShow(PlexToTraktFixture f) =>
        f.Plex.Sim.Control.Item(int.Parse(f.Plex.Episode(f.Trakt.Sim.State.Catalog.Shows.First().Title!, 1, 1), CultureInfo.InvariantCulture)).Show!;

    private static string Hex(PlexItem item) => item.PrimaryGuid[(item.PrimaryGuid.LastIndexOf('/') + 1)..];

    private static void PlexList(PlexToTraktFixture f, PlexItem item, bool add) => f.Plex.Sim.State.Watchlist(f.Plex.Sim.State.Owner, Hex(item), add);

    private static List<string> PlexWatchlist(PlexToTraktFixture f) => [.. f.Plex.Sim.State.WatchlistOf(f.Plex.Sim.State.Owner).Select(w => w.Key)];

    private static TraktMedia TraktMovie(PlexToTraktFixture f, PlexItem movie) => f.Trakt.Media(f.Trakt.Movie(movie.Title));

    private static TraktMedia TraktShow(PlexToTraktFixture f, PlexItem show) => f.Trakt.Sim.State.Catalog.Shows.First(s => s.Title == show.Title);

    private static void TraktList(PlexToTraktFixture f, TraktMedia media, bool add) => f.Trakt.Sim.Control.Watchlist(f.Trakt.Owner, media, add);

    private static List<long> TraktWatchlist(PlexToTraktFixture f) => [.. f.Trakt.Sim.Control.Dump(f.Trakt.Owner).Watchlist.Select(w => w.Trakt).Order()];

    private static List<long> TraktTitles(PlexToTraktFixture f, params TraktMedia[] media) => [.. media.Select(m => m.Trakt).Order()];

    private static async Task<T> StartAsync<T>()
        where T : SyncScenarioFixture, new()
    {
        var fixture = new T();
        await fixture.StartAsync();
        return fixture;
    }
}
