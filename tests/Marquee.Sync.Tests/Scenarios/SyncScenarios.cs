using Marquee.Core.Flows;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Marquee.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>
/// One scenario per rule of DESIGN.md section 4, run against two simulated servers over real HTTP through the real
/// providers, with a real SQLite store. A provider pair reuses every scenario by deriving from this class, and marks
/// a scenario its providers cannot do by overriding it with <c>[Fact(Skip = "reason")]</c>.
/// </summary>
[Trait("Category", "Scenario")]
public abstract class SyncScenarios<TFixture>
    where TFixture : SyncScenarioFixture, new()
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public virtual async Task TwoWay_DifferentHistories_Converge_WithoutDuplicatePlays()
    {
        await using var f = await StartAsync();
        var movies = Movies(f);
        f.Source.Mark(f.Source.Owner, movies[0], true);
        f.Source.Mark(f.Source.Owner, movies[1], true);
        f.Target.Mark(f.Target.Owner, On(f, movies[2]), true);
        f.Target.Mark(f.Target.Owner, On(f, movies[3]), true);
        f.Source.Mark(f.Source.Owner, movies[3], true);
        var flow = await f.AddFlowAsync(twoWay: true);

        var report = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, report.Run.Status);
        foreach (var movie in movies.Take(4))
        {
            Assert.Equal(1, f.Source.View(f.Source.Owner, movie).ViewCount);
            Assert.Equal(1, f.Target.View(f.Target.Owner, On(f, movie)).ViewCount);
        }

        Assert.Equal(0, f.Source.View(f.Source.Owner, movies[4]).ViewCount);
        Assert.Equal(3, report.Run.Written);
    }

    [Fact]
    public virtual async Task NeverWatched_DoesNotOverride_Watched()
    {
        await using var f = await StartAsync();
        var movie = Movies(f)[0];
        f.Target.Mark(f.Target.Owner, On(f, movie), true);
        var flow = await f.AddFlowAsync();

        var first = await f.SyncAsync(flow);
        f.AdvanceClock(Hour);
        var second = await f.SyncAsync(flow, new SyncOptions { Force = true });

        Assert.Equal(RunStatus.Done, second.Run.Status);
        Assert.Equal(1, f.Target.View(f.Target.Owner, On(f, movie)).ViewCount);
        Assert.Equal(0, first.Run.Written + second.Run.Written);
    }

    [Fact]
    public virtual async Task ProvenUnwatch_Propagates()
    {
        await using var f = await StartAsync();
        var movie = Movies(f)[0];
        f.Source.Mark(f.Source.Owner, movie, true);
        var flow = await f.AddFlowAsync();
        await f.SyncAsync(flow);
        Assert.Equal(1, f.Target.View(f.Target.Owner, On(f, movie)).ViewCount);

        f.AdvanceClock(Hour);
        f.Source.Mark(f.Source.Owner, movie, false);
        var report = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, report.Run.Status);
        Assert.Equal(0, f.Target.View(f.Target.Owner, On(f, movie)).ViewCount);
    }

    [Fact]
    public virtual async Task Rewatch_Counts_Once()
    {
        await using var f = await StartAsync();
        var (flow, movie, _) = await SyncARewatchAsync(f);
        f.AdvanceClock(Hour);
        var again = await f.SyncAsync(flow);

        Assert.Equal(2, f.Target.View(f.Target.Owner, On(f, movie)).ViewCount);
        Assert.Equal(0, again.Run.Written);
    }

    [Fact]
    public virtual async Task Rating_NewestWins_IncludingClearedRating()
    {
        await using var f = await StartAsync();
        var movie = Movies(f)[0];
        f.Source.Rate(f.Source.Owner, movie, 6);
        f.AdvanceClock(Hour);
        f.Target.Rate(f.Target.Owner, On(f, movie), 8);
        var flow = await f.AddFlowAsync(twoWay: true);

        await f.SyncAsync(flow);
        Assert.Equal(8, f.Source.View(f.Source.Owner, movie).Rating);
        Assert.Equal(8, f.Target.View(f.Target.Owner, On(f, movie)).Rating);

        f.AdvanceClock(Hour);
        f.Source.Rate(f.Source.Owner, movie, null);
        var cleared = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, cleared.Run.Status);
        Assert.Null(f.Target.View(f.Target.Owner, On(f, movie)).Rating);
    }

    [Fact]
    public virtual async Task Progress_PastThreshold_BecomesWatched_AndClearsProgress()
    {
        await using var f = await StartAsync();
        var movie = Movies(f)[0];
        f.Source.Play(f.Source.Owner, movie, 50);
        var flow = await f.AddFlowAsync();
        await f.SyncAsync(flow);
        var halfway = f.Target.View(f.Target.Owner, On(f, movie));
        Assert.True(halfway.OffsetMs > 0, "the resume point travels");
        Assert.Equal(0, halfway.ViewCount);

        f.AdvanceClock(Hour);
        f.Source.Play(f.Source.Owner, movie, 95);
        await f.SyncAsync(flow);

        var finished = f.Target.View(f.Target.Owner, On(f, movie));
        Assert.Equal(1, finished.ViewCount);
        Assert.Equal(0, finished.OffsetMs);
    }

    [Fact]
    public virtual async Task MultiEpisodeFile_MarksBothEpisodes()
    {
        await using var f = await StartAsync();
        var (show, season, first, second) = f.Source.MultiEpisodeFile ?? throw new InvalidOperationException("the library has no two-episode file");
        f.Source.Mark(f.Source.Owner, f.Source.Episode(show, season, first), true);
        f.Source.Mark(f.Source.Owner, f.Source.Episode(show, season, second), true);
        var flow = await f.AddFlowAsync();

        await f.SyncAsync(flow);

        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Episode(show, season, first)).ViewCount);
        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Episode(show, season, second)).ViewCount);
    }

    /// <summary>
    /// One episode of a two-episode file watched: a side that holds the file as one item (Jellyfin, Emby) cannot show
    /// one episode watched without the other, so it is not marked until both are; the run converges at once, a second
    /// run writes nothing, and the other episode is never marked watched anywhere.
    /// </summary>
    [Fact]
    public virtual async Task MultiEpisodeFile_OneEpisodeWatched_ConvergesInOneRun_AndNeverInventsTheOther()
    {
        await using var f = await StartAsync();
        var (show, season, first, second) = f.Source.MultiEpisodeFile ?? throw new InvalidOperationException("the library has no two-episode file");
        f.Source.Mark(f.Source.Owner, f.Source.Episode(show, season, first), true);
        var flow = await f.AddFlowAsync(twoWay: true, features: ["watched"]);

        var firstRun = await f.SyncAsync(flow);
        f.AdvanceClock(Hour);
        var secondRun = await f.SyncAsync(flow);
        f.AdvanceClock(Hour);
        var thirdRun = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, firstRun.Run.Status);
        Assert.Equal(1, f.Source.View(f.Source.Owner, f.Source.Episode(show, season, first)).ViewCount);
        Assert.Equal(0, f.Source.View(f.Source.Owner, f.Source.Episode(show, season, second)).ViewCount);
        Assert.Equal(0, f.Target.View(f.Target.Owner, f.Target.Episode(show, season, second)).ViewCount);
        Assert.Equal(0, secondRun.Run.Written);
        Assert.Equal(0, thirdRun.Run.Written);
    }

    [Fact]
    public virtual async Task Editions_AreOneItem_WrittenOnceToTheBaseVersion()
    {
        await using var f = await StartAsync();
        var title = f.Source.Title(Movies(f)[0]);
        var sourceEdition = f.Source.AddEdition(title);
        var targetEdition = f.Target.AddEdition(title);
        f.Source.Mark(f.Source.Owner, sourceEdition, true);
        var flow = await f.AddFlowAsync();

        var report = await f.SyncAsync(flow);

        Assert.Single(report.Plan, w => w.Feature == FlowFeature.Watched);
        Assert.Equal(f.Target.Movie(title), report.Plan.Single(w => w.Feature == FlowFeature.Watched).LocalKey);
        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Movie(title)).ViewCount);
        Assert.Equal(1, f.Target.View(f.Target.Owner, targetEdition).ViewCount);
    }

    [Fact]
    public virtual async Task LegacyAndModernAgents_Match()
    {
        await using var f = await StartAsync();
        var titles = f.Source.LegacyMovieTitles.Where(t => !f.Target.LegacyMovieTitles.Contains(t)).Take(2)
            .Concat(f.Target.LegacyMovieTitles.Where(t => !f.Source.LegacyMovieTitles.Contains(t)).Take(2))
            .Where(t => Movies(f).Select(f.Source.Title).Contains(t) && f.Target.Movies.Select(f.Target.Title).Contains(t))
            .ToList();
        Assert.NotEmpty(titles);
        foreach (var title in titles)
        {
            f.Source.Mark(f.Source.Owner, f.Source.Movie(title), true);
        }

        var flow = await f.AddFlowAsync();
        await f.SyncAsync(flow);

        foreach (var title in titles)
        {
            Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Movie(title)).ViewCount);
        }
    }

    [Fact]
    public virtual async Task HomeUser_And_Friend_SyncToTheirOwnAccounts()
    {
        await using var f = await StartAsync();
        var movies = Movies(f);
        f.Source.Mark(f.Source.HomeUser, movies[0], true);
        f.Source.Mark(f.Source.Friend, movies[1], true);
        var flow = await f.AddFlowAsync();

        var report = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, report.Run.Status);
        Assert.Equal(1, f.Target.View(f.Target.HomeUser, On(f, movies[0])).ViewCount);
        Assert.Equal(1, f.Target.View(f.Target.Friend, On(f, movies[1])).ViewCount);
        Assert.Equal(0, f.Target.View(f.Target.Owner, On(f, movies[0])).ViewCount);
        Assert.Equal(0, f.Target.View(f.Target.Friend, On(f, movies[0])).ViewCount);
        Assert.Equal(0, f.Target.View(f.Target.HomeUser, On(f, movies[1])).ViewCount);
    }

    [Fact]
    public virtual async Task Guard_HoldsAt26Removals_AndPassesWithForce()
    {
        await using var f = await StartAsync();
        var (flow, movies) = await SyncThenUnwatchAsync(f, 26);

        var held = await f.SyncAsync(flow);
        Assert.True(held.Run.Status == RunStatus.Held, $"{held.Run.Status}: {held.Run.Message}; {held.Plan.Count(w => w.IsRemoval)} removals");
        Assert.Contains("--force", held.Run.Message, StringComparison.Ordinal);
        Assert.Equal(0, held.Run.Written);
        Assert.All(movies, m => Assert.Equal(1, f.Target.View(f.Target.Owner, On(f, m)).ViewCount));

        var forced = await f.SyncAsync(flow, new SyncOptions { Force = true });
        Assert.Equal(RunStatus.Done, forced.Run.Status);
        Assert.Equal(26, forced.Run.Written);
        Assert.All(movies, m => Assert.Equal(0, f.Target.View(f.Target.Owner, On(f, m)).ViewCount));
    }

    [Fact]
    public virtual async Task Guard_Passes25Removals()
    {
        await using var f = await StartAsync();
        var (flow, _) = await SyncThenUnwatchAsync(f, 25);

        var report = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, report.Run.Status);
        Assert.Equal(25, report.Run.Written);
    }

    [Fact]
    public virtual async Task FirstRun_NeverRemoves()
    {
        await using var f = await StartAsync();
        var movie = Movies(f)[0];
        f.Source.Mark(f.Source.Owner, movie, true);
        var flow = await f.AddFlowAsync();
        var earlier = await f.AddFlowAsync(name: "earlier");
        await f.SyncAsync(earlier);
        f.AdvanceClock(Hour);
        f.Source.Mark(f.Source.Owner, movie, false);

        var first = await f.SyncAsync(flow);

        Assert.Contains(first.Plan, w => w.Action == WriteAction.MarkUnwatched && w.SkipReason is not null);
        Assert.Equal(1, f.Target.View(f.Target.Owner, On(f, movie)).ViewCount);
    }

    [Fact]
    public virtual async Task EmptyListing_IsAnError_AndRemovesNothing()
    {
        await using var f = await StartAsync();
        var movies = Movies(f).Take(5).ToList();
        foreach (var movie in movies)
        {
            f.Source.Mark(f.Source.Owner, movie, true);
        }

        var flow = await f.AddFlowAsync(profiles: ["owner"]);
        await f.SyncAsync(flow);
        var onTarget = movies.Select(m => On(f, m)).ToList();
        f.AdvanceClock(Hour);
        f.Source.RemoveEverything();

        var report = await f.SyncAsync(flow, new SyncOptions { Force = true });

        Assert.Equal(RunStatus.Failed, report.Run.Status);
        Assert.Contains("listed no items", report.Run.Message, StringComparison.Ordinal);
        Assert.Equal(0, report.Run.Written);
        Assert.All(onTarget, m => Assert.Equal(1, f.Target.View(f.Target.Owner, m).ViewCount));
    }

    [Fact]
    public virtual async Task KilledBetweenWrites_CompletesOnRerun_WithoutDuplicatePlays()
    {
        await using var f = await StartAsync();
        var movies = Movies(f).Take(20).ToList();
        foreach (var movie in movies)
        {
            f.Source.Mark(f.Source.Owner, movie, true);
        }

        var flow = await f.AddFlowAsync(features: ["watched"], profiles: ["owner"]);
        f.Target.SetWriteLatency(40);
        var onTarget = movies.Select(m => On(f, m)).ToList();
        using var kill = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!kill.IsCancellationRequested && onTarget.Count(m => f.Target.View(f.Target.Owner, m).ViewCount > 0) < 5)
            {
                await Task.Delay(5);
            }

            await kill.CancelAsync();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.SyncAsync(flow, null, kill.Token));
        await watcher;
        f.Target.SetWriteLatency(0);
        var partly = movies.Count(m => f.Target.View(f.Target.Owner, On(f, m)).ViewCount > 0);
        Assert.InRange(partly, 1, movies.Count - 1);

        var rerun = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, rerun.Run.Status);
        Assert.All(movies, m => Assert.Equal(1, f.Target.View(f.Target.Owner, On(f, m)).ViewCount));
        var runs = await f.WithAsync(s => s.GetRequiredService<IRunStore>().ListAsync(10, CancellationToken.None));
        Assert.Contains(runs, r => r.Status == RunStatus.Interrupted);
    }

    [Fact]
    public virtual async Task SecondRun_AfterACompleteOne_MakesZeroWrites()
    {
        await using var f = await StartAsync();
        var movies = Movies(f);
        f.Source.Mark(f.Source.Owner, movies[0], true);
        f.Source.Rate(f.Source.Owner, movies[1], 7.5);
        f.Source.Play(f.Source.Owner, movies[2], 40);
        f.Target.Mark(f.Target.Owner, On(f, movies[3]), true);
        f.Source.Mark(f.Source.HomeUser, movies[4], true);
        var flow = await f.AddFlowAsync(twoWay: true);
        var first = await f.SyncAsync(flow);
        Assert.True(first.Run.Written >= 5);

        f.AdvanceClock(Hour);
        f.Source.ResetRequests();
        f.Target.ResetRequests();
        var second = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, second.Run.Status);
        Assert.Equal(0, second.Run.Planned);
        Assert.Equal(0, second.Run.Written);
        Assert.DoesNotContain(f.Target.Requests.Keys.Concat(f.Source.Requests.Keys), k => k.Contains("scrobble", StringComparison.Ordinal) || k.Contains("/:/rate", StringComparison.Ordinal) || k.Contains("progress", StringComparison.Ordinal) || k.Contains("timeline", StringComparison.Ordinal));
    }

    [Fact]
    public virtual async Task ResumePoint_NewerThanAWatchElsewhere_IsKept_AndASecondRunMakesZeroWrites()
    {
        await using var f = await StartAsync();
        var movie = Movies(f)[0];
        f.Source.Mark(f.Source.Owner, movie, true);
        f.AdvanceClock(Hour);
        f.Target.Play(f.Target.Owner, On(f, movie), 40);
        var flow = await f.AddFlowAsync(twoWay: true);
        var first = await f.SyncAsync(flow);
        Assert.Equal(RunStatus.Done, first.Run.Status);

        f.AdvanceClock(Hour);
        var second = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, second.Run.Status);
        Assert.True(second.Run.Planned == 0, "a second run planned: " + string.Join("; ", second.Plan.Select(w => $"{w.ConnectionName} {w.Action} {w.Reason}")));
        var target = f.Target.View(f.Target.Owner, On(f, movie));

        // Watched (Jellyfin also counts the partial play in its PlayCount), with its own resume point still there.
        Assert.True(target.ViewCount >= 1, "the watch arrived");
        Assert.True(target.OffsetMs > 0, "the target's own resume point, newer than the watch, is kept");
        Assert.Equal(1, f.Source.View(f.Source.Owner, movie).ViewCount);
    }

    [Fact]
    public virtual async Task Undo_RestoresTheTargetExactly()
    {
        await using var f = await StartAsync();
        var movies = Movies(f).Take(6).ToList();
        f.Source.Mark(f.Source.Owner, movies[0], true);
        f.Source.Rate(f.Source.Owner, movies[1], 9);
        f.Source.Play(f.Source.Owner, movies[2], 30);
        f.Target.Rate(f.Target.Owner, On(f, movies[3]), 4);
        f.AdvanceClock(Hour);
        f.Source.Rate(f.Source.Owner, movies[3], 6);
        f.Target.Mark(f.Target.Owner, On(f, movies[4]), true);
        var before = movies.Select(m => f.Target.View(f.Target.Owner, On(f, m))).ToList();
        var flow = await f.AddFlowAsync();
        var run = await f.SyncAsync(flow);
        Assert.True(run.Run.Written >= 4);
        Assert.NotEqual(before, movies.Select(m => f.Target.View(f.Target.Owner, On(f, m))).ToList());

        var undo = await f.UndoAsync(run.Run.Id);

        Assert.Equal(RunStatus.Done, undo.Status);
        Assert.Equal(before, movies.Select(m => f.Target.View(f.Target.Owner, On(f, m))).ToList());
    }

    [Fact]
    public virtual async Task Undo_AfterTheUserWatchedAgain_LeavesTheItemWatched_AndSaysWhy()
    {
        await using var f = await StartAsync();
        var movies = Movies(f).Take(2).ToList();
        f.Source.Mark(f.Source.Owner, movies[0], true);
        f.Source.Mark(f.Source.Owner, movies[1], true);
        var flow = await f.AddFlowAsync(features: ["watched"], profiles: ["owner"]);
        var run = await f.SyncAsync(flow);
        Assert.Equal(2, run.Run.Written);
        f.AdvanceClock(Hour);
        f.Target.Play(f.Target.Owner, On(f, movies[0]), 100);
        var watchedAgain = f.Target.View(f.Target.Owner, On(f, movies[0]));
        Assert.True(watchedAgain.ViewCount >= 2, $"the target counted the second play: {watchedAgain}");

        var undo = await f.UndoAsync(run.Run.Id);

        Assert.Equal(RunStatus.Done, undo.Status);
        Assert.Equal(watchedAgain, f.Target.View(f.Target.Owner, On(f, movies[0])));
        Assert.Equal(0, f.Target.View(f.Target.Owner, On(f, movies[1])).ViewCount);
        Assert.Equal((1, 1), (undo.Written, undo.Skipped));
        Assert.Contains("1 write(s) not reverted: watched again after the run", undo.Message, StringComparison.Ordinal);
    }

    [Fact]
    public virtual async Task Undo_Twice_IsRefused_AndTheSecondMakesNoRequest()
    {
        await using var f = await StartAsync();
        var movie = Movies(f)[0];
        f.Source.Mark(f.Source.Owner, movie, true);
        var flow = await f.AddFlowAsync(features: ["watched"], profiles: ["owner"]);
        var run = await f.SyncAsync(flow);
        Assert.Equal(1, run.Run.Written);
        var first = await f.UndoAsync(run.Run.Id);
        Assert.Equal((RunStatus.Done, 1), (first.Status, first.Written));
        f.AdvanceClock(Hour);
        f.Target.Mark(f.Target.Owner, On(f, movie), true);
        var now = f.Target.View(f.Target.Owner, On(f, movie));
        f.Target.ResetRequests();

        var second = await Assert.ThrowsAsync<ConflictException>(() => f.UndoAsync(run.Run.Id));

        Assert.Contains($"run {run.Run.Id} was already undone by run {first.Id}", second.Message, StringComparison.Ordinal);
        Assert.Empty(f.Target.Requests);
        Assert.Equal(now, f.Target.View(f.Target.Owner, On(f, movie)));
        var runs = await f.WithAsync(s => s.GetRequiredService<IRunStore>().ListAsync(10, CancellationToken.None));
        Assert.Single(runs, r => r.Trigger == "undo");
    }

    [Fact]
    public virtual async Task Undo_JournalsAsBefore_TheValueItReadFromTheTarget()
    {
        await using var f = await StartAsync();
        var movie = Movies(f)[0];
        f.Source.Mark(f.Source.Owner, movie, true);
        var flow = await f.AddFlowAsync(features: ["watched"], profiles: ["owner"]);
        var run = await f.SyncAsync(flow);
        var written = Assert.Single(await f.WithAsync(s => s.GetRequiredService<IRunStore>().ListWritesAsync(run.Run.Id, CancellationToken.None)));
        Assert.Equal(0, WriteValue.Parse(written.Before)!.PlayCount);

        var undo = await f.UndoAsync(run.Run.Id);

        var reverted = Assert.Single(await f.WithAsync(s => s.GetRequiredService<IRunStore>().ListWritesAsync(undo.Id, CancellationToken.None)));
        var before = WriteValue.Parse(reverted.Before)!;
        Assert.Equal(WriteAction.MarkUnwatched, reverted.Action);
        Assert.Equal(1, before.PlayCount);
        Assert.NotNull(before.LastWatchedAt);
        Assert.Null(before.WatchedAt);
    }

    [Fact]
    public virtual async Task Undo_OfARewatch_ChangesNothing_AndSaysWhy()
    {
        await using var f = await StartAsync();
        var (_, movie, rewatch) = await SyncARewatchAsync(f);
        Assert.Equal(1, rewatch.Run.Written);

        var undo = await f.UndoAsync(rewatch.Run.Id);

        Assert.Equal(RunStatus.Done, undo.Status);
        Assert.Equal(0, undo.Written);
        Assert.Equal(1, undo.Skipped);
        Assert.Contains("1 write(s) not reverted: an added play cannot be taken back", undo.Message, StringComparison.Ordinal);
        Assert.Equal(2, f.Target.View(f.Target.Owner, On(f, movie)).ViewCount);
    }

    [Fact]
    public virtual async Task Since_LimitsReadsToTheWindow()
    {
        await using var f = await StartAsync();
        var movies = Movies(f);
        f.Source.Mark(f.Source.Owner, movies[0], true);
        var flow = await f.AddFlowAsync(profiles: ["owner"]);
        f.Source.ResetRequests();
        var full = await f.SyncAsync(flow);
        var fullReads = Listings(f.Source.Requests);

        f.AdvanceClock(TimeSpan.FromDays(2));
        f.Source.Mark(f.Source.Owner, movies[1], true);
        f.Source.ResetRequests();
        var windowed = await f.SyncAsync(flow, new SyncOptions { Since = f.Source.Clock.GetUtcNow() - TimeSpan.FromDays(1) });
        var windowReads = Listings(f.Source.Requests);

        Assert.Equal(RunStatus.Done, windowed.Run.Status);
        Assert.Equal(1, f.Target.View(f.Target.Owner, On(f, movies[1])).ViewCount);
        Assert.True(windowReads < fullReads, $"a windowed run read {windowReads} listing pages, a full one {fullReads}");
        Assert.Contains(windowed.Run.Requests.Keys, k => k.StartsWith("left ", StringComparison.Ordinal));
        Assert.Equal(RunStatus.Done, full.Run.Status);
    }

    [Fact]
    public virtual async Task Since_ChangesOnBothSides_ArriveAndAFullRunFindsNothingLeft()
    {
        await using var f = await StartAsync();
        var movies = Movies(f);
        // An episode next to the show's two-episode file: a plain one of a show both servers have.
        var (show, season, first, second) = f.Source.MultiEpisodeFile ?? throw new InvalidOperationException("the library has no two-episode file");
        var episode = first > 1 ? first - 1 : second + 1;
        var flow = await f.AddFlowAsync(twoWay: true, profiles: ["owner"]);
        Assert.Equal(RunStatus.Done, (await f.SyncAsync(flow)).Run.Status);
        f.AdvanceClock(Hour);
        var since = f.Source.Clock.GetUtcNow();
        f.AdvanceClock(TimeSpan.FromMinutes(1));
        f.Source.Mark(f.Source.Owner, f.Source.Episode(show, season, episode), true);
        f.Target.Mark(f.Target.Owner, On(f, movies[0]), true);

        // The incremental run matches what it listed against the stored items only, and finds each side's key for the other's changes.
        var incremental = await f.SyncAsync(flow, new SyncOptions { Since = since });
        f.AdvanceClock(Hour);
        var full = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, incremental.Run.Status);
        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Episode(show, season, episode)).ViewCount);
        Assert.Equal(1, f.Source.View(f.Source.Owner, movies[0]).ViewCount);
        Assert.Equal(RunStatus.Done, full.Run.Status);
        Assert.True(full.Run.Planned == 0, string.Join("; ", full.Plan.Where(w => w.SkipReason is null).Select(w => $"{w.ConnectionName} '{w.Title}' {w.Action}: {w.Reason}")));
    }

    /// <summary>Plain movies (no edition, not local, a unique title) on both servers, as source keys.</summary>
    protected static IReadOnlyList<string> Movies(SyncScenarioFixture f) => f.SharedMovies();

    /// <summary>
    /// <paramref name="count"/> movies watched on the source and synced by a watched-only owner flow guarded at 25
    /// removals, then unwatched on the source an hour later (the next run plans <paramref name="count"/> removals).
    /// </summary>
    private static async Task<(Flow Flow, List<string> Movies)> SyncThenUnwatchAsync(SyncScenarioFixture f, int count)
    {
        var movies = Movies(f).Take(count).ToList();
        Assert.Equal(count, movies.Count);
        foreach (var movie in movies)
        {
            f.Source.Mark(f.Source.Owner, movie, true);
        }

        var flow = await f.AddFlowAsync(features: ["watched"], guards: new FlowGuards { MaxRemovals = 25, MaxRemovalPercent = 100 }, profiles: ["owner"]);
        await f.SyncAsync(flow);
        f.AdvanceClock(Hour);
        foreach (var movie in movies)
        {
            f.Source.Mark(f.Source.Owner, movie, false);
        }

        return (flow, movies);
    }

    /// <summary>A movie watched on the source and synced, then played again on the source and synced: the second run's report.</summary>
    private static async Task<(Flow Flow, string Movie, SyncReport Rewatch)> SyncARewatchAsync(SyncScenarioFixture f)
    {
        var movie = Movies(f)[0];
        f.Source.Mark(f.Source.Owner, movie, true);
        var flow = await f.AddFlowAsync();
        await f.SyncAsync(flow);
        f.AdvanceClock(Hour);
        f.Source.Play(f.Source.Owner, movie, 100);
        Assert.Equal(2, f.Source.View(f.Source.Owner, movie).ViewCount);
        return (flow, movie, await f.SyncAsync(flow));
    }

    protected static string On(SyncScenarioFixture f, string sourceKey) => f.OnTarget(sourceKey);

    private static long Listings(IReadOnlyDictionary<string, long> requests) =>
        requests.Where(r => r.Key.Contains("/all", StringComparison.Ordinal) || r.Key.EndsWith("/Items", StringComparison.Ordinal)).Sum(r => r.Value);

    private static async Task<TFixture> StartAsync()
    {
        var fixture = new TFixture();
        await fixture.StartAsync();
        return fixture;
    }
}

[Trait("Category", "Scenario")]
public sealed class PlexToPlexScenarios : SyncScenarios<PlexToPlexFixture>
{
    /// <summary>
    /// A server that answers 200 to a scrobble it does not apply: the next run must not read the difference as a proven
    /// unwatch (in a two-way mirror that would unwatch the source). A write counts once a later read shows it; one that
    /// a read contradicts is sent again a bounded number of times, then reported as not taken.
    /// </summary>
    [Fact]
    public async Task TwoWayMirror_AgainstATargetThatAcknowledgesWithoutApplying_KeepsEveryWatch_AndNamesTheWritesNotTaken()
    {
        await using var f = new PlexToPlexFixture();
        await f.StartAsync();
        var movies = Movies(f).Take(10).ToList();
        foreach (var movie in movies)
        {
            f.Source.Mark(f.Source.Owner, movie, true);
        }

        var flow = await f.AddFlowAsync(twoWay: true, features: ["watched"], profiles: ["owner"]);
        var target = ((PlexScenarioServer)f.Target).Sim;

        // Every scrobble the target gets from now on is answered 200 and dropped.
        target.Control.SetFault("PUT /:/scrobble", new Marquee.Simulators.Infrastructure.FaultSpec { AcknowledgeWithoutApplying = 1 });
        var first = await f.SyncAsync(flow);
        Assert.Equal(10, first.Run.Written);
        Assert.All(movies, m => Assert.Equal(0, f.Target.View(f.Target.Owner, On(f, m)).ViewCount));

        var reports = new List<SyncReport>();
        for (var run = 0; run < 4; run++)
        {
            f.AdvanceClock(TimeSpan.FromHours(1));
            reports.Add(await f.SyncAsync(flow));
        }

        // The source keeps every watch: nothing was unwatched there.
        Assert.All(movies, m => Assert.Equal(1, f.Source.View(f.Source.Owner, m).ViewCount));
        Assert.Equal(0, f.Source.Requests.GetValueOrDefault("PUT /:/unscrobble"));

        // Sent again a bounded number of times, then reported as not taken, run after run, without sending more.
        var sent = reports.Sum(r => r.Run.Written);
        Assert.InRange(sent, 1, 10 * SyncRules.Default.NotTakenRetries);
        var last = reports[^1];
        Assert.Equal(0, last.Run.Written);
        Assert.Equal(10, last.Outcomes.Values.Count(o => o.StartsWith(WriteStatus.NotTaken, StringComparison.Ordinal)));
        Assert.Contains("not taken", last.Run.Message ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(RunStatus.DoneWithWarnings, last.Run.Status);

        // Once the server applies writes again, a forced run sends them and they count.
        target.Control.SetFault("PUT /:/scrobble", null);
        f.AdvanceClock(TimeSpan.FromHours(1));
        var healed = await f.SyncAsync(flow, new SyncOptions { Force = true });
        Assert.All(movies, m => Assert.Equal(1, f.Target.View(f.Target.Owner, On(f, m)).ViewCount));
        Assert.All(movies, m => Assert.Equal(1, f.Source.View(f.Source.Owner, m).ViewCount));
        Assert.Equal(RunStatus.Done, healed.Run.Status);
    }

    /// <summary>
    /// An incremental run does not list the target, so the items it writes are read from the target first (the journal's
    /// before value is what the target showed): 100 items per request, never one request per item. An item the target
    /// already shows watched (by hand, behind Marquee's back) is not scrobbled again: that would be a second play.
    /// </summary>
    [Fact]
    public async Task IncrementalRun_ReadsTheItemsItWrites_ABatchPerRequest_AndNeverPlaysTwiceWhatTheTargetShows()
    {
        await using var f = new PlexToPlexFixture();
        await f.StartAsync();
        var movies = Movies(f).Take(25).ToList();
        Assert.Equal(25, movies.Count);
        var flow = await f.AddFlowAsync(features: ["watched"], profiles: ["owner"]);
        Assert.Equal(RunStatus.Done, (await f.SyncAsync(flow)).Run.Status);

        // Watched on the target behind Marquee's back, before the window the incremental run reads.
        f.Target.Mark(f.Target.Owner, On(f, movies[0]), true);
        f.AdvanceClock(TimeSpan.FromHours(1));
        var since = f.Source.Clock.GetUtcNow();
        f.AdvanceClock(TimeSpan.FromMinutes(1));
        foreach (var movie in movies)
        {
            f.Source.Mark(f.Source.Owner, movie, true);
        }

        f.Target.ResetRequests();
        var incremental = await f.SyncAsync(flow, new SyncOptions { Since = since, Force = true });
        var reads = f.Target.Requests.GetValueOrDefault("GET /library/metadata/{id}");
        var writes = await f.WithAsync(sp => sp.GetRequiredService<IRunStore>().ListWritesAsync(incremental.Run.Id, CancellationToken.None));

        Assert.Equal(RunStatus.Done, incremental.Run.Status);
        Assert.All(movies, m => Assert.Equal(1, f.Target.View(f.Target.Owner, On(f, m)).ViewCount));
        Assert.True(reads <= 2, $"{reads} metadata reads for {movies.Count} items");
        Assert.Equal(24, incremental.Run.Written);
        Assert.DoesNotContain(writes, w => w.LocalKey == On(f, movies[0]));
        Assert.All(writes, w => Assert.Equal(0, WriteValue.Parse(w.Before)?.PlayCount ?? -1));
    }
}
