using Marquee.Core.Sync;
using Marquee.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>The scenario suite from Plex to Jellyfin; scenarios Jellyfin cannot do are skipped with the reason.</summary>
[Trait("Category", "Scenario")]
public sealed class PlexToJellyfinScenarios : SyncScenarios<PlexToJellyfinFixture>
{
    [Fact(Skip = "Not applicable: Jellyfin's UpdateUserItemDataDto leaves a null Rating unchanged, so no API call can clear a rating.")]
    public override Task Rating_NewestWins_IncludingClearedRating() => base.Rating_NewestWins_IncludingClearedRating();

    [Fact(Skip = "Not applicable: Jellyfin groups the versions of a movie into one item, so there is no edition to write to.")]
    public override Task Editions_AreOneItem_WrittenOnceToTheBaseVersion() => base.Editions_AreOneItem_WrittenOnceToTheBaseVersion();

    [Fact(Skip = "Not applicable: undoing a new rating must clear it, which the Jellyfin API cannot do.")]
    public override Task Undo_RestoresTheTargetExactly() => base.Undo_RestoresTheTargetExactly();

    [Fact]
    public async Task PlexWatchDate_ArrivesOnJellyfinAsDatePlayed_NotNow()
    {
        await using var f = new PlexToJellyfinFixture();
        await f.StartAsync();
        var movie = Movies(f)[0];
        var watchedAt = f.Source.Clock.GetUtcNow();
        f.Source.Mark(f.Source.Owner, movie, true);
        f.AdvanceClock(TimeSpan.FromDays(3));
        var flow = await f.AddFlowAsync(features: ["watched"]);

        await f.SyncAsync(flow);

        var jellyfin = ((JellyfinScenarioServer)f.Target).Sim.Control;
        var data = jellyfin.Data(f.Target.Owner, On(f, movie));
        Assert.True(data.Played);
        Assert.Equal(watchedAt, data.LastPlayedDate);
        Assert.NotEqual(jellyfin.Now, data.LastPlayedDate);
    }

    /// <summary>
    /// Both episodes of a two-episode file watched on Plex: the one Jellyfin item is marked played once, and the write
    /// reads nothing more than a run with nothing to write (the listing already showed the item's state).
    /// </summary>
    [Fact]
    public async Task MultiEpisodeFile_IsMarkedOnce_WithoutReadingTheItemOrItsSeriesAgain()
    {
        await using var f = new PlexToJellyfinFixture();
        await f.StartAsync();
        var (show, season, first, second) = f.Source.MultiEpisodeFile ?? throw new InvalidOperationException("the library has no two-episode file");
        var flow = await f.AddFlowAsync(features: ["watched"], profiles: ["owner"]);
        await f.SyncAsync(flow);
        f.AdvanceClock(TimeSpan.FromHours(1));
        f.Target.ResetRequests();
        Assert.Equal(0, (await f.SyncAsync(flow)).Run.Written);
        var idle = Reads(f.Target.Requests);

        f.AdvanceClock(TimeSpan.FromHours(1));
        f.Source.Mark(f.Source.Owner, f.Source.Episode(show, season, first), true);
        f.Source.Mark(f.Source.Owner, f.Source.Episode(show, season, second), true);
        f.Target.ResetRequests();
        var run = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, run.Run.Status);
        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Episode(show, season, first)).ViewCount);
        Assert.Equal(1, f.Target.Requests.Where(r => r.Key.StartsWith("POST ", StringComparison.Ordinal) && r.Key.Contains("Played", StringComparison.Ordinal)).Sum(r => r.Value));
        Assert.Equal(idle, Reads(f.Target.Requests));

        static long Reads(IReadOnlyDictionary<string, long> requests) => requests.Where(r => r.Key.StartsWith("GET ", StringComparison.Ordinal)).Sum(r => r.Value);
    }

    /// <summary>A live event for one episode of a two-episode file cannot say the other agrees: the Jellyfin item is left to a full run.</summary>
    [Fact]
    public async Task MultiEpisodeFile_LiveEventForOneEpisode_LeavesTheJellyfinItem()
    {
        await using var f = new PlexToJellyfinFixture();
        await f.StartAsync();
        var (show, season, first, _) = f.Source.MultiEpisodeFile ?? throw new InvalidOperationException("the library has no two-episode file");
        var flow = await f.AddFlowAsync(twoWay: true, features: ["watched"], profiles: ["owner"]);
        Assert.Equal(RunStatus.Done, (await f.SyncAsync(flow)).Run.Status);
        f.AdvanceClock(TimeSpan.FromHours(1));
        var episode = f.Source.Episode(show, season, first);
        f.Source.Mark(f.Source.Owner, episode, true);

        var live = await f.WithAsync(sp => sp.GetRequiredService<TargetedSync>().RunAsync(flow, new TargetedItem(flow.SourceConnectionId, TargetedItem.OwnerAccount, episode, "webhook"), CancellationToken.None));

        Assert.Equal(TargetedOutcome.Propagated, live.Outcome);
        Assert.Contains(live.Report!.Plan, w => w.SkipReason == SyncExecutor.SharedPartReason);
        Assert.Equal(0, live.Report.Run.Written);
        Assert.Equal(0, f.Target.View(f.Target.Owner, f.Target.Episode(show, season, first)).ViewCount);
    }
    /// <summary>
    /// One episode of a two-episode file watched on Plex between full runs: an incremental run does not list the Jellyfin
    /// item, so it cannot tell whether every episode of it agrees, and leaves it (marking it would show the other episode
    /// watched, and bring that back to Plex); the full run marks it once both are watched.
    /// </summary>
    [Fact]
    public async Task MultiEpisodeFile_OneEpisodeWatched_IncrementalRunsLeaveTheItem_AFullRunMarksItOnceBothAre()
    {
        await using var f = new PlexToJellyfinFixture();
        await f.StartAsync();
        var (show, season, first, second) = f.Source.MultiEpisodeFile ?? throw new InvalidOperationException("the library has no two-episode file");
        var flow = await f.AddFlowAsync(twoWay: true, features: ["watched"], profiles: ["owner"]);
        Assert.Equal(RunStatus.Done, (await f.SyncAsync(flow)).Run.Status);

        f.AdvanceClock(TimeSpan.FromHours(1));
        var since = f.Source.Clock.GetUtcNow();
        f.AdvanceClock(TimeSpan.FromMinutes(1));
        f.Source.Mark(f.Source.Owner, f.Source.Episode(show, season, first), true);
        var incremental = await f.SyncAsync(flow, new SyncOptions { Since = since, Trigger = "test" });
        f.AdvanceClock(TimeSpan.FromMinutes(15));
        var again = await f.SyncAsync(flow, new SyncOptions { Since = since, Trigger = "test" });

        Assert.Equal(0, incremental.Run.Written + again.Run.Written);
        Assert.Contains(incremental.Outcomes.Values, o => o.Contains(SyncExecutor.SharedPartReason, StringComparison.Ordinal));
        Assert.Equal(0, f.Target.View(f.Target.Owner, f.Target.Episode(show, season, first)).ViewCount);
        Assert.Equal(0, f.Source.View(f.Source.Owner, f.Source.Episode(show, season, second)).ViewCount);

        f.Source.Mark(f.Source.Owner, f.Source.Episode(show, season, second), true);
        f.AdvanceClock(TimeSpan.FromHours(1));
        var full = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, full.Run.Status);
        Assert.Equal(1, f.Target.View(f.Target.Owner, f.Target.Episode(show, season, first)).ViewCount);
    }
}

/// <summary>The scenario suite from Jellyfin to Emby (watched only: Emby 4.x takes no ratings or resume points).</summary>
[Trait("Category", "Scenario")]
public sealed class JellyfinToEmbyScenarios : SyncScenarios<JellyfinToEmbyFixture>
{
    [Fact(Skip = "Not applicable: both sides hold a two-episode file as one item, so neither can show one of its episodes watched alone.")]
    public override Task MultiEpisodeFile_OneEpisodeWatched_ConvergesInOneRun_AndNeverInventsTheOther() => base.MultiEpisodeFile_OneEpisodeWatched_ConvergesInOneRun_AndNeverInventsTheOther();

    [Fact(Skip = "Not applicable: Emby 4.x describes no API to set a numeric rating (only Likes).")]
    public override Task Rating_NewestWins_IncludingClearedRating() => base.Rating_NewestWins_IncludingClearedRating();

    [Fact(Skip = "Not applicable: Emby 4.x describes no API to set a resume point; playback reports would count a play dated now.")]
    public override Task Progress_PastThreshold_BecomesWatched_AndClearsProgress() => base.Progress_PastThreshold_BecomesWatched_AndClearsProgress();

    [Fact(Skip = "Not applicable: Jellyfin and Emby group the versions of a movie into one item, so there is no edition to write to.")]
    public override Task Editions_AreOneItem_WrittenOnceToTheBaseVersion() => base.Editions_AreOneItem_WrittenOnceToTheBaseVersion();

    [Fact(Skip = "Not applicable: marking an item played on Emby resets its resume point, and Emby 4.x describes no API to set it back.")]
    public override Task ResumePoint_NewerThanAWatchElsewhere_IsKept_AndASecondRunMakesZeroWrites() => base.ResumePoint_NewerThanAWatchElsewhere_IsKept_AndASecondRunMakesZeroWrites();

    [Fact(Skip = "Not applicable: Jellyfin and Emby have no legacy metadata agents; every id comes from ProviderIds.")]
    public override Task LegacyAndModernAgents_Match() => base.LegacyAndModernAgents_Match();

    [Fact(Skip = "Not applicable: the scenario counts rating and resume-point writes, which Emby cannot take.")]
    public override Task SecondRun_AfterACompleteOne_MakesZeroWrites() => base.SecondRun_AfterACompleteOne_MakesZeroWrites();

    [Fact(Skip = "Not applicable: the scenario undoes rating and resume-point writes, which Emby cannot take.")]
    public override Task Undo_RestoresTheTargetExactly() => base.Undo_RestoresTheTargetExactly();

    /// <summary>
    /// An incremental run does not list the target, so it plans from the last observation; the journal's before value
    /// is read from the target all the same, and undo gives back the watch date Emby had, not the time Marquee wrote.
    /// </summary>
    [Fact]
    public async Task IncrementalRun_JournalsTheTargetsValueAsRead_SoUndoGivesBackItsWatchDate()
    {
        await using var f = new JellyfinToEmbyFixture();
        await f.StartAsync();
        var movie = Movies(f)[0];
        var watchedAt = f.Source.Clock.GetUtcNow();
        f.Source.Mark(f.Source.Owner, movie, true);
        f.AdvanceClock(TimeSpan.FromHours(1));
        var flow = await f.AddFlowAsync(features: ["watched"], profiles: ["owner"]);
        await f.SyncAsync(flow);
        var emby = ((JellyfinScenarioServer)f.Target).Sim.Control;
        Assert.Equal(watchedAt, emby.Data(f.Target.Owner, On(f, movie)).LastPlayedDate);
        f.AdvanceClock(TimeSpan.FromHours(1));
        var since = f.Source.Clock.GetUtcNow();
        f.AdvanceClock(TimeSpan.FromMinutes(1));
        f.Source.Mark(f.Source.Owner, movie, false);
        var incremental = await f.SyncAsync(flow, new SyncOptions { Since = since, Force = true });
        Assert.True(incremental.Run.Written == 1, $"{incremental.Run.Status} {incremental.Run.Message}: " + string.Join("; ", incremental.Plan.Select(w => $"{w.ConnectionName} {w.Action} {w.Reason} {w.SkipReason}")));
        Assert.False(emby.Data(f.Target.Owner, On(f, movie)).Played);

        var undo = await f.UndoAsync(incremental.Run.Id);

        Assert.Equal((RunStatus.Done, 1), (undo.Status, undo.Written));
        var data = emby.Data(f.Target.Owner, On(f, movie));
        Assert.True(data.Played);
        Assert.Equal(watchedAt, data.LastPlayedDate);
    }
}
