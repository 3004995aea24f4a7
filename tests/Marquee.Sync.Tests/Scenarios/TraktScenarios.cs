using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Marquee.Providers.Trakt;
using Marquee.Simulators.Trakt;
using Marquee.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>What is Trakt's own on Plex → Trakt: minute-precision dates, original dates, episodes inside their shows, batches at the write window, 2026 paging.</summary>
[Trait("Category", "Scenario")]
public sealed class TraktScenarios
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Rerun_MakesZeroWrites_EvenWithSecondsInTheDates_AndKeepsTheOriginalDates()
    {
        await using var f = await StartAsync<PlexToTraktFixture>();
        var movies = f.Source.Movies.Take(3).ToList();
        var show = f.Trakt.Sim.State.Catalog.Shows.First();
        var episode = f.Plex.Episode(show.Title!, 1, 2);
        Assert.NotEqual(0, f.Plex.Clock.GetUtcNow().Second);
        foreach (var key in movies.Append(episode))
        {
            f.Source.Mark(f.Source.Owner, key, true);
        }

        var watchedAt = f.Plex.Clock.GetUtcNow();
        f.Source.Rate(f.Source.Owner, movies[0], 7);
        f.AdvanceClock(Hour);
        var flow = await f.AddFlowAsync();

        var first = await f.SyncAsync(flow);
        f.AdvanceClock(Hour);
        f.Target.ResetRequests();
        var second = await f.SyncAsync(flow, new SyncOptions { Force = true });

        Assert.Equal(RunStatus.Done, first.Run.Status);
        Assert.Equal(5, first.Run.Written);
        var minute = new DateTimeOffset(watchedAt.Year, watchedAt.Month, watchedAt.Day, watchedAt.Hour, watchedAt.Minute, 0, TimeSpan.Zero);
        foreach (var key in movies)
        {
            Assert.Equal([minute], f.Trakt.Plays(f.Trakt.Owner, f.Target.Movie(f.Source.Title(key))));
        }

        // The episode went inside its show and season: no other episode of the show was marked.
        var onTrakt = f.Trakt.Episode(show.Title!, 1, 2);
        Assert.Equal([minute], f.Trakt.Plays(f.Trakt.Owner, onTrakt));
        Assert.All(show.Episodes.Where(e => !(e.SeasonNumber == 1 && e.Number == 2)), e => Assert.Empty(f.Trakt.Plays(f.Trakt.Owner, TraktScenarioServer.Key(e))));
        Assert.Equal(7, f.Trakt.View(f.Trakt.Owner, f.Target.Movie(f.Source.Title(movies[0]))).Rating);
        Assert.Equal(RunStatus.Done, second.Run.Status);
        Assert.True(second.Run.Planned == 0, string.Join("; ", second.Plan.Where(w => w.SkipReason is null).Select(w => $"{w.LocalKey} {w.Action}: {w.Reason}")));
        Assert.DoesNotContain(f.Target.Requests.Keys, k => k.StartsWith("POST", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EditionWatched_WhoseBaseHasALegacyAgent_IsNotPlannedAgain_WhenTraktListsTheMovie()
    {
        // The base version is matched by a legacy agent (its imdb id only), the edition by the Plex agent (tmdb and imdb):
        // Trakt lists the movie once, under its tmdb id, as the base's item; the edition's watch goes to that movie.
        await using var f = await StartAsync<PlexToTraktFixture>();
        var title = f.Plex.LegacyMovieTitles[0];
        var edition = f.Plex.AddOwnCopy(title, "Director's Cut", "plex://movie/5d00000000000000000000e1");
        f.Source.Mark(f.Source.Owner, edition, true);
        f.Target.Mark(f.Target.Owner, f.Target.Movie(title), true);
        f.AdvanceClock(Hour);
        var flow = await f.AddFlowAsync(features: ["watched"]);

        var first = await f.SyncAsync(flow);
        f.AdvanceClock(Hour);
        f.Target.ResetRequests();
        var second = await f.SyncAsync(flow, new SyncOptions { Force = true });

        Assert.Equal(RunStatus.Done, first.Run.Status);
        Assert.True(first.Run.Planned == 0, string.Join("; ", first.Plan.Where(w => w.SkipReason is null).Select(w => $"{w.LocalKey} {w.Action}: {w.Reason}")));
        Assert.True(second.Run.Planned == 0, string.Join("; ", second.Plan.Where(w => w.SkipReason is null).Select(w => $"{w.LocalKey} {w.Action}: {w.Reason}")));
        Assert.Single(f.Trakt.Plays(f.Trakt.Owner, f.Target.Movie(title)));
        Assert.DoesNotContain(f.Target.Requests.Keys, k => k.StartsWith("POST", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlayAlreadyOnTraktAtTheSameMinute_IsNotAddedAgain()
    {
        await using var f = await StartAsync<PlexToTraktFixture>();
        var movie = f.Source.Movies[0];
        f.Source.Mark(f.Source.Owner, movie, true);
        var flow = await f.AddFlowAsync();
        await f.SyncAsync(flow);

        // Another play on Plex: the ledger's rewatch date is later than Trakt's (seconds cut); one play more, once.
        f.AdvanceClock(Hour);
        f.Source.Play(f.Source.Owner, movie, 100);
        var rewatch = await f.SyncAsync(flow);
        f.AdvanceClock(Hour);
        var again = await f.SyncAsync(flow, new SyncOptions { Force = true });

        Assert.Equal(1, rewatch.Run.Written);
        Assert.Equal(0, again.Run.Written);
        Assert.Equal(2, f.Trakt.Plays(f.Trakt.Owner, f.Target.Movie(f.Source.Title(movie))).Count);
    }

    [Fact]
    public async Task TenThousandPlays_GoInBatchesOf100_AtTheWriteWindow_WithNo429LeftUnhonoured()
    {
        await using var f = await StartAsync<LargePlexToTraktFixture>();
        foreach (var movie in f.Source.Movies)
        {
            f.Source.Mark(f.Source.Owner, movie, true);
        }

        var count = f.Source.Movies.Count;
        var flow = await f.AddFlowAsync(features: ["watched"]);
        f.Target.ResetRequests();

        var first = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, first.Run.Status);
        Assert.Equal(count, first.Run.Written);
        var requests = f.Target.Requests;
        Assert.Equal((count + 99) / 100, requests["POST /sync/history"]);
        Assert.Equal(requests.Where(r => r.Key.StartsWith("POST", StringComparison.Ordinal)).Sum(r => r.Value), requests["POST /sync/history"]);

        // The reads are the listing pages: settings, watched movies and shows, ratings, and the history around the dates written
        // (no playback listing: the flow carries no progress).
        Assert.All(requests.Where(r => r.Key.StartsWith("GET", StringComparison.Ordinal)), r => Assert.Contains(r.Key, new[] { "GET /users/settings", "GET /sync/watched/{type}", "GET /sync/ratings", "GET /sync/history" }));
        var limits = f.Trakt.Sim.Control.Limits.Counts;
        Assert.Equal(0, limits.GetValueOrDefault(TraktLimits.Post)?.Unhonoured ?? 0);
        Assert.Equal(0, limits.GetValueOrDefault(TraktLimits.Get)?.Unhonoured ?? 0);
        Assert.Equal(count, f.Trakt.Sim.Control.Dump(f.Trakt.Owner).Plays.Count);

        f.AdvanceClock(Hour);
        f.Target.ResetRequests();
        var rerun = await f.SyncAsync(flow, new SyncOptions { Force = true });

        Assert.True(rerun.Run.Written == 0, string.Join("; ", rerun.Plan.Where(w => w.SkipReason is null).Select(w => $"{w.LocalKey} '{w.Title}' {w.Action}: {w.Reason} before {w.Before.ToJson()}")));
        Assert.DoesNotContain(f.Target.Requests.Keys, k => k.StartsWith("POST", StringComparison.Ordinal));

        // The watched movies come 250 a page (and the shows in one).
        var watched = f.Trakt.Sim.Control.Dump(f.Trakt.Owner).Plays.Select(p => p.Trakt).Distinct().Count();
        Assert.Equal(((watched + 249) / 250) + 1, f.Target.Requests["GET /sync/watched/{type}"]);
    }

    [Fact]
    public async Task ThreeThousandWatchedMovies_AreReadCompletely_PageByPage()
    {
        await using var f = await StartAsync<LargePlexToTraktFixture>();
        var sim = f.Trakt.Sim;
        foreach (var media in sim.State.Catalog.Movies.Take(3000))
        {
            sim.Control.Play(f.Trakt.Owner, media, sim.State.Now.AddDays(-1));
        }

        sim.Control.ResetCounts();
        var items = await f.WithAsync(async services =>
        {
            var side = await services.GetRequiredService<ProviderFactory>().CreateAsync(2, CancellationToken.None);
            var account = (await side.Directory.ListAccountsAsync(CancellationToken.None))[0];
            var read = new List<SourceItemState>();
            await foreach (var item in side.Source.ReadAsync(account, WatchStateQuery.Full, CancellationToken.None))
            {
                read.Add(item);
            }

            return read;
        });

        Assert.Equal(3000, items.Count(i => i.State.Watched && i.Item.LocalKey.StartsWith("movie:", StringComparison.Ordinal)));
        Assert.Equal(3000, items.Select(i => i.Item.LocalKey).Distinct().Count());
        Assert.Equal(12 + 1, sim.Control.RequestCounts["GET /sync/watched/{type}"]);
        Assert.IsType<TraktProvider>(await f.WithAsync(async s => (await s.GetRequiredService<ProviderFactory>().CreateAsync(2, CancellationToken.None)).Provider));
    }

    private static async Task<T> StartAsync<T>()
        where T : SyncScenarioFixture, new()
    {
        var fixture = new T();
        await fixture.StartAsync();
        return fixture;
    }
}
