using Marquee.Core.Flows;
using Marquee.Core.Providers;
using Marquee.Core.Sync;

namespace Marquee.Sync.Tests.Rules;

public sealed class PlannerRuleTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);
    private readonly SyncPlanner _planner = new(SyncRules.Default);

    [Fact]
    public void TargetAlreadyMatching_PlansNothing()
    {
        var state = new LedgerState { Watched = true, WatchedAt = T0, PlayCount = 1, Rating = 7, RatedAt = T0, ProgressMs = null };
        var target = new WatchState { PlayCount = 1, LastWatchedAt = T0, Rating = 7.2, RatedAt = T0 };

        Assert.Empty(_planner.Plan(Context(), [Item(state, target)]));
    }

    [Fact]
    public void AddOnly_NeverRemoves()
    {
        var state = new LedgerState { Watched = false, WatchedAt = T0.AddDays(1), RatedAt = T0.AddDays(1) };
        var target = new WatchState { PlayCount = 1, LastWatchedAt = T0, Rating = 7, RatedAt = T0 };

        var plan = _planner.Plan(Context() with { Mirror = false }, [Item(state, target)]);

        Assert.Equal(2, plan.Count);
        Assert.All(plan, w => Assert.Equal("add-only flow never removes", w.SkipReason));
    }

    [Fact]
    public void FirstRun_NeverRemoves()
    {
        var state = new LedgerState { Watched = false, WatchedAt = T0.AddDays(1) };

        var write = Assert.Single(_planner.Plan(Context() with { FirstRun = true }, [Item(state, new WatchState { PlayCount = 1, LastWatchedAt = T0 })]));

        Assert.Equal(WriteAction.MarkUnwatched, write.Action);
        Assert.NotNull(write.SkipReason);
    }

    [Fact]
    public void TargetWatchedAfterTheUnwatch_IsNotUnwatched()
    {
        var state = new LedgerState { Watched = false, WatchedAt = T0 };

        Assert.Empty(_planner.Plan(Context(), [Item(state, new WatchState { PlayCount = 1, LastWatchedAt = T0.AddDays(1) })]));
    }

    [Fact]
    public void WriteKeepsTheOriginalDate_ForTargetsThatCanTakeIt()
    {
        var state = new LedgerState { Watched = true, WatchedAt = T0, PlayCount = 1 };

        var write = Assert.Single(_planner.Plan(Context(), [Item(state, WatchState.Empty)]));

        Assert.Equal(T0, write.After.WatchedAt);
    }

    [Fact]
    public void IdempotencyKey_IsTheSameForTheSameChange_AndDiffersForANewOne()
    {
        var state = new LedgerState { Watched = true, WatchedAt = T0, PlayCount = 1 };
        var a = Assert.Single(_planner.Plan(Context(), [Item(state, WatchState.Empty)])).IdempotencyKey;
        var b = Assert.Single(_planner.Plan(Context(), [Item(state, WatchState.Empty)])).IdempotencyKey;
        var later = Assert.Single(_planner.Plan(Context(), [Item(state with { WatchedAt = T0.AddDays(1) }, WatchState.Empty)])).IdempotencyKey;

        Assert.Equal(a, b);
        Assert.NotEqual(a, later);
    }

    [Fact]
    public void Rewatch_FromTheTargetItself_IsNotSentBack()
    {
        var state = new LedgerState { Watched = true, WatchedAt = T0, PlayCount = 2, LastPlayAt = T0.AddDays(1), LastPlayConnectionId = 2 };

        Assert.Empty(_planner.Plan(Context(), [Item(state, new WatchState { PlayCount = 2, LastWatchedAt = T0.AddDays(1) })]));
    }

    [Fact]
    public void Progress_PastTheTargetsThreshold_IsNotWritten()
    {
        // 5,500 s of a 6,000 s copy is past 90 %: writing it would make the target record a play.
        var finishedThere = new LedgerState { ProgressMs = 5_500_000, ProgressAt = T0 };
        var resumable = new LedgerState { ProgressMs = 3_000_000, ProgressAt = T0 };

        Assert.Empty(_planner.Plan(Context(), [Item(finishedThere, WatchState.Empty)]));
        Assert.Equal(WriteAction.SetProgress, Assert.Single(_planner.Plan(Context(), [Item(resumable, WatchState.Empty)])).Action);
    }

    [Fact]
    public void Progress_NewerThanTheWatch_IsWrittenAfterTheWatch_EvenWhenTheTargetShowsItNow()
    {
        // The target shows the resume point, but the watch written first (a scrobble) clears it.
        var rewatching = new LedgerState { Watched = true, PlayCount = 1, WatchedAt = T0, WatchedConnectionId = 1, ProgressMs = 3_000_000, ProgressAt = T0.AddHours(1), ProgressConnectionId = 2 };
        var target = new WatchState { ProgressMs = 3_000_000, ProgressAt = T0.AddHours(1) };

        var plan = _planner.Plan(Context(), [Item(rewatching, target)]);

        Assert.Equal([WriteAction.MarkWatched, WriteAction.SetProgress], plan.Select(w => w.Action));
        Assert.Empty(_planner.Plan(Context(), [Item(rewatching, target with { PlayCount = 1, LastWatchedAt = T0 })]));
    }

    private static PlanContext Context() =>
        new(1, 1, [FlowFeature.Watched, FlowFeature.Ratings, FlowFeature.Progress], Mirror: true, FirstRun: false, ProfileId: 1, TargetConnectionId: 2, TargetConnectionName: "right", TargetAccountId: 5);

    private static PlanItem Item(LedgerState state, WatchState target) => new(10, "1001", "A movie", 6_000_000, state, target);
}
