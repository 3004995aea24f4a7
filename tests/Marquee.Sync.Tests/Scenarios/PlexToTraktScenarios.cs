using Marquee.Sync.Tests.Infrastructure;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>
/// The sync scenario suite on Plex → Trakt (watched and ratings, which Trakt takes with their original dates). A Trakt
/// connection is one Trakt account and Trakt has no editions; those scenarios are not applicable. Resume points reach
/// Trakt as a percentage dated "now", covered by <see cref="TraktProgressScenarios"/>. <see cref="TraktScenarios"/> covers
/// what is Trakt's own.
/// </summary>
public sealed class PlexToTraktScenarios : SyncScenarios<PlexToTraktFixture>
{
    [Fact(Skip = "Not applicable: a Trakt connection is one Trakt account (the one that signed in); each Plex user adds a Trakt connection of their own.")]
    public override Task HomeUser_And_Friend_SyncToTheirOwnAccounts() => base.HomeUser_And_Friend_SyncToTheirOwnAccounts();

    [Fact(Skip = "Not applicable: Trakt has no movie editions.")]
    public override Task Editions_AreOneItem_WrittenOnceToTheBaseVersion() => base.Editions_AreOneItem_WrittenOnceToTheBaseVersion();

    [Fact(Skip = "Not applicable: these flows carry watched and ratings; Trakt keeps a resume point as a percentage dated at the time of the call, covered by TraktProgressScenarios.")]
    public override Task ResumePoint_NewerThanAWatchElsewhere_IsKept_AndASecondRunMakesZeroWrites() => base.ResumePoint_NewerThanAWatchElsewhere_IsKept_AndASecondRunMakesZeroWrites();

    [Fact(Skip = "Not applicable: these flows carry watched and ratings (resume points on Trakt: TraktProgressScenarios); the watch at the end is covered by TraktScenarios.")]
    public override Task Progress_PastThreshold_BecomesWatched_AndClearsProgress() => base.Progress_PastThreshold_BecomesWatched_AndClearsProgress();

    [Fact(Skip = "Not applicable: written on a resume point and a Home user; TraktScenarios.Rerun_MakesZeroWrites_EvenWithSecondsInTheDates covers the rule on Trakt.")]
    public override Task SecondRun_AfterACompleteOne_MakesZeroWrites() => base.SecondRun_AfterACompleteOne_MakesZeroWrites();

    [Fact(Skip = "Not applicable: the scenario counts a resume point among its four writes; undo of watches and ratings on Trakt is covered by Undo_JournalsAsBefore and Undo_Twice.")]
    public override Task Undo_RestoresTheTargetExactly() => base.Undo_RestoresTheTargetExactly();

    [Fact(Skip = "Not applicable: Trakt takes the scenario's 20 watches in one POST, so there is no 'between writes' to stop in; a stopped batched run is covered by TraktScenarios.")]
    public override Task KilledBetweenWrites_CompletesOnRerun_WithoutDuplicatePlays() => base.KilledBetweenWrites_CompletesOnRerun_WithoutDuplicatePlays();
}
