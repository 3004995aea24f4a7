using Marquee.Sync.Tests.Infrastructure;

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
}

/// <summary>The scenario suite from Jellyfin to Emby (watched only: Emby 4.x takes no ratings or resume points).</summary>
[Trait("Category", "Scenario")]
public sealed class JellyfinToEmbyScenarios : SyncScenarios<JellyfinToEmbyFixture>
{
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
}
