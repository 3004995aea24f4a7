using Marquee.Sync.Tests.Infrastructure;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>
/// The sync scenario suite on Plex → Shoko (5.x). Shoko holds anime series only, and the suite's scenarios are written on
/// movies (and Plex ratings, editions, legacy movie agents), so those are not applicable here; the two-episode file runs.
/// The rules themselves are covered on anime episodes, on both Shoko lines, by <see cref="ShokoScenarios"/>.
/// </summary>
public sealed class PlexToShokoScenarios : SyncScenarios<PlexToShokoFixture>
{
    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task TwoWay_DifferentHistories_Converge_WithoutDuplicatePlays() => base.TwoWay_DifferentHistories_Converge_WithoutDuplicatePlays();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task NeverWatched_DoesNotOverride_Watched() => base.NeverWatched_DoesNotOverride_Watched();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task ProvenUnwatch_Propagates() => base.ProvenUnwatch_Propagates();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task Rewatch_Counts_Once() => base.Rewatch_Counts_Once();

    [Fact(Skip = "Not applicable: Shoko has no per-user rating on 5.x (votes are server-wide and go to AniDB), and the scenario is written on movies.")]
    public override Task Rating_NewestWins_IncludingClearedRating() => base.Rating_NewestWins_IncludingClearedRating();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task Progress_PastThreshold_BecomesWatched_AndClearsProgress() => base.Progress_PastThreshold_BecomesWatched_AndClearsProgress();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task MultiEpisodeFile_OneEpisodeWatched_ConvergesInOneRun_AndNeverInventsTheOther() => base.MultiEpisodeFile_OneEpisodeWatched_ConvergesInOneRun_AndNeverInventsTheOther();

    [Fact(Skip = "Not applicable: Shoko has no movie editions.")]
    public override Task Editions_AreOneItem_WrittenOnceToTheBaseVersion() => base.Editions_AreOneItem_WrittenOnceToTheBaseVersion();

    [Fact(Skip = "Not applicable: the scenario is about legacy movie agents; the Shoko agents' and HAMA's legacy guids are covered by ShokoScenarios.")]
    public override Task LegacyAndModernAgents_Match() => base.LegacyAndModernAgents_Match();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task HomeUser_And_Friend_SyncToTheirOwnAccounts() => base.HomeUser_And_Friend_SyncToTheirOwnAccounts();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task Guard_HoldsAt26Removals_AndPassesWithForce() => base.Guard_HoldsAt26Removals_AndPassesWithForce();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task Guard_Passes25Removals() => base.Guard_Passes25Removals();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task FirstRun_NeverRemoves() => base.FirstRun_NeverRemoves();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task EmptyListing_IsAnError_AndRemovesNothing() => base.EmptyListing_IsAnError_AndRemovesNothing();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task KilledBetweenWrites_CompletesOnRerun_WithoutDuplicatePlays() => base.KilledBetweenWrites_CompletesOnRerun_WithoutDuplicatePlays();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task SecondRun_AfterACompleteOne_MakesZeroWrites() => base.SecondRun_AfterACompleteOne_MakesZeroWrites();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task ResumePoint_NewerThanAWatchElsewhere_IsKept_AndASecondRunMakesZeroWrites() => base.ResumePoint_NewerThanAWatchElsewhere_IsKept_AndASecondRunMakesZeroWrites();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task Undo_RestoresTheTargetExactly() => base.Undo_RestoresTheTargetExactly();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task Undo_AfterTheUserWatchedAgain_LeavesTheItemWatched_AndSaysWhy() => base.Undo_AfterTheUserWatchedAgain_LeavesTheItemWatched_AndSaysWhy();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task Undo_Twice_IsRefused_AndTheSecondMakesNoRequest() => base.Undo_Twice_IsRefused_AndTheSecondMakesNoRequest();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task Undo_JournalsAsBefore_TheValueItReadFromTheTarget() => base.Undo_JournalsAsBefore_TheValueItReadFromTheTarget();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task Undo_OfARewatch_ChangesNothing_AndSaysWhy() => base.Undo_OfARewatch_ChangesNothing_AndSaysWhy();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task Since_LimitsReadsToTheWindow() => base.Since_LimitsReadsToTheWindow();

    [Fact(Skip = "Not applicable: Shoko holds anime series only and this scenario is written on movies; ShokoScenarios covers the rule on episodes.")]
    public override Task Since_ChangesOnBothSides_ArriveAndAFullRunFindsNothingLeft() => base.Since_ChangesOnBothSides_ArriveAndAFullRunFindsNothingLeft();
}
