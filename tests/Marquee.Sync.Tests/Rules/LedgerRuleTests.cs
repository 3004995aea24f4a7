using Marquee.Core.Flows;
using Marquee.Core.Providers;
using Marquee.Core.Sync;

namespace Marquee.Sync.Tests.Rules;

/// <summary>The pure rules of DESIGN.md section 4: observing changes, folding events into state, normalising, guarding.</summary>
public sealed class LedgerRuleTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);
    private static readonly SyncRules Rules = SyncRules.Default;

    [Fact]
    public void FirstImport_WritesOneEventPerFeature_WithItsLastDate()
    {
        var events = Ledger.Observe(null, new WatchState { PlayCount = 3, LastWatchedAt = T0, Rating = 7, RatedAt = T0.AddDays(1) }, 6_000_000, T0.AddDays(9), Rules);

        Assert.Equal(2, events.Count);
        Assert.Contains(events, e => e.Feature == EventFeature.Watched && e.OccurredAt == T0 && e.Value == "3");
        Assert.Contains(events, e => e.Feature == EventFeature.Rating && e.OccurredAt == T0.AddDays(1));
    }

    [Fact]
    public void LaterObservation_WithoutChange_AppendsNothing()
    {
        var now = new WatchState { PlayCount = 1, LastWatchedAt = T0, Rating = 7, RatedAt = T0, ProgressMs = 120_000 };

        Assert.Empty(Ledger.Observe(Ledger.Baseline(now, T0), now, 6_000_000, T0.AddDays(1), Rules));
    }

    /// <summary>
    /// A run stores a new baseline only when the read differs from the old one but for its time; the question is answered
    /// without making the new baseline, and must give what comparing the two records gives, value by value.
    /// </summary>
    [Fact]
    public void SameBaseline_IsWhatComparingTheNewBaselineGives_ForEveryValueThatDiffers()
    {
        var reads = new[]
        {
            WatchState.Empty,
            new WatchState { PlayCount = 1, LastWatchedAt = T0 },
            new WatchState { PlayCount = 2, LastWatchedAt = T0 },
            new WatchState { PlayCount = 1, LastWatchedAt = T0.AddTicks(1) },
            new WatchState { PlayCount = 1, LastWatchedAt = T0.ToOffset(TimeSpan.FromHours(2)) },
            new WatchState { PlayCount = 1 },
            new WatchState { Rating = 7, RatedAt = T0 },
            new WatchState { Rating = 7.1, RatedAt = T0 },
            new WatchState { Rating = 7.3, RatedAt = T0 },
            new WatchState { Rating = double.NaN, RatedAt = T0 },
            new WatchState { Rating = 7 },
            new WatchState { ProgressMs = 120_000, ProgressAt = T0 },
            new WatchState { ProgressMs = 120_001, ProgressAt = T0 },
            new WatchState { ProgressMs = 0 },
        };
        var compared = 0;
        foreach (var old in reads)
        {
            var stored = Ledger.Baseline(old, T0);
            foreach (var baseline in new[] { stored, stored with { Confirmed = Ledger.Baseline(WatchState.Empty, T0) } })
            {
                foreach (var now in reads)
                {
                    var expected = baseline with { ObservedAt = T0.AddDays(1) } == Ledger.Baseline(now, T0.AddDays(1));
                    Assert.True(expected == Ledger.SameBaseline(baseline, now), $"{old} then {now} (confirmed: {baseline.Confirmed is not null}): expected {expected}");
                    compared += expected ? 1 : 0;
                }
            }
        }

        // Each read is the same as itself and as the reads that differ from it only where a baseline does not look.
        Assert.True(compared >= reads.Length, $"only {compared} pairs were the same");
    }

    [Fact]
    public void AWriteNoReadHasShown_IsNoChangeWhenItDidNotTake_AndAnEchoWhenItDid()
    {
        var read = new WatchState { PlayCount = 0, Rating = 6, RatedAt = T0 };
        var written = read with { PlayCount = 1, LastWatchedAt = T0.AddHours(1), Rating = 8, RatedAt = T0.AddHours(1) };
        var baseline = Ledger.Baseline(written, T0.AddHours(1)) with { Confirmed = Ledger.Baseline(read, T0) };

        // Neither write applied: the item shows what the last read showed, which is no change (no unwatch, no rating).
        Assert.Empty(Ledger.Observe(Ledger.Against(baseline, read, Rules), read, 6_000_000, T0.AddHours(2), Rules));

        // Both applied: Marquee's own writes coming back (echo), no event.
        Assert.Empty(Ledger.Observe(Ledger.Against(baseline, written, Rules), written, 6_000_000, T0.AddHours(2), Rules));

        // Only the watch applied: still nothing (the rating did not take, it was not changed by anyone).
        var partial = written with { Rating = 6, RatedAt = T0 };
        Assert.Empty(Ledger.Observe(Ledger.Against(baseline, partial, Rules), partial, 6_000_000, T0.AddHours(2), Rules));

        // Someone rated it 3 since: a real change, seen as one.
        var rated = read with { Rating = 3, RatedAt = T0.AddHours(2) };
        var events = Ledger.Observe(Ledger.Against(baseline, rated, Rules), rated, 6_000_000, T0.AddHours(3), Rules);
        Assert.Equal(EventFeature.Rating, Assert.Single(events).Feature);

        // Without the kept read, the same item would read as a proven unwatch: what the store must never lose.
        Assert.Contains(Ledger.Observe(baseline with { Confirmed = null }, read, 6_000_000, T0.AddHours(2), Rules), e => e.Feature == EventFeature.Unwatched);
    }

    [Fact]
    public void AResumePointWritten_ButNotShown_IsNoChange()
    {
        var read = new WatchState { ProgressMs = 60_000 };
        var baseline = Ledger.Baseline(read with { ProgressMs = 1_200_000 }, T0) with { Confirmed = Ledger.Baseline(read, T0) };

        Assert.Empty(Ledger.Observe(Ledger.Against(baseline, read, Rules), read, 6_000_000, T0.AddHours(1), Rules));
        Assert.Null(Ledger.Against(baseline, read, Rules)!.Confirmed);
    }

    [Fact]
    public void NeverWatched_IsNoUnwatch()
    {
        Assert.Empty(Ledger.Observe(null, WatchState.Empty, 6_000_000, T0, Rules));
        Assert.Empty(Ledger.Observe(Ledger.Baseline(WatchState.Empty, T0), WatchState.Empty, 6_000_000, T0.AddDays(1), Rules));
    }

    [Fact]
    public void WatchedBaseline_ThenUnwatched_IsAProvenUnwatch()
    {
        var baseline = Ledger.Baseline(new WatchState { PlayCount = 1, LastWatchedAt = T0 }, T0);

        var events = Ledger.Observe(baseline, WatchState.Empty, 6_000_000, T0.AddDays(1), Rules);

        Assert.Equal(EventFeature.Unwatched, Assert.Single(events).Feature);
    }

    [Fact]
    public void MorePlays_AfterAWatch_IsARewatch()
    {
        var baseline = Ledger.Baseline(new WatchState { PlayCount = 1, LastWatchedAt = T0 }, T0);

        var events = Ledger.Observe(baseline, new WatchState { PlayCount = 2, LastWatchedAt = T0.AddDays(2) }, 6_000_000, T0.AddDays(3), Rules);

        var play = Assert.Single(events);
        Assert.Equal(EventFeature.Play, play.Feature);
        Assert.Equal(T0.AddDays(2), play.OccurredAt);
    }

    [Fact]
    public void ProgressUnderTheMinimum_IsIgnored()
    {
        Assert.Empty(Ledger.Observe(null, new WatchState { ProgressMs = 59_000, ProgressAt = T0 }, 6_000_000, T0, Rules));
        Assert.Equal(EventFeature.Progress, Assert.Single(Ledger.Observe(null, new WatchState { ProgressMs = 60_000, ProgressAt = T0 }, 6_000_000, T0, Rules)).Feature);
    }

    [Fact]
    public void ProgressPastTheThreshold_IsAWatch()
    {
        var events = Ledger.Observe(null, new WatchState { ProgressMs = 5_500_000, ProgressAt = T0 }, 6_000_000, T0, Rules);

        Assert.Equal(EventFeature.Watched, Assert.Single(events).Feature);
    }

    [Fact]
    public void ClearedRating_IsAnEvent()
    {
        var baseline = Ledger.Baseline(new WatchState { Rating = 8, RatedAt = T0 }, T0);

        var events = Ledger.Observe(baseline, WatchState.Empty, 6_000_000, T0.AddDays(1), Rules);

        var cleared = Assert.Single(events);
        Assert.Equal(EventFeature.Rating, cleared.Feature);
        Assert.Null(cleared.Value);
    }

    [Fact]
    public void NewestWins_AndAnOlderEventChangesNothing()
    {
        var state = Ledger.Apply(LedgerState.Empty, Event(EventFeature.Rating, "6", T0.AddHours(2), connection: 2), preferredConnectionId: 1);
        state = Ledger.Apply(state, Event(EventFeature.Rating, "9", T0, connection: 1), preferredConnectionId: 1);

        Assert.Equal(6, state.Rating);
        Assert.Equal(2, state.RatingConnectionId);
    }

    [Fact]
    public void Tie_GoesToTheFlowSource()
    {
        var state = Ledger.Apply(LedgerState.Empty, Event(EventFeature.Rating, "6", T0, connection: 2), preferredConnectionId: 1);
        state = Ledger.Apply(state, Event(EventFeature.Rating, "9", T0, connection: 1), preferredConnectionId: 1);
        var reversed = Ledger.Apply(LedgerState.Empty, Event(EventFeature.Rating, "9", T0, connection: 1), preferredConnectionId: 1);
        reversed = Ledger.Apply(reversed, Event(EventFeature.Rating, "6", T0, connection: 2), preferredConnectionId: 1);

        Assert.Equal(9, state.Rating);
        Assert.Equal(9, reversed.Rating);
    }

    [Fact]
    public void Watch_ClearsAnOlderResumePoint_AndKeepsTheOriginalDate()
    {
        var state = Ledger.Apply(LedgerState.Empty, Event(EventFeature.Progress, "120000", T0, connection: 1), 1);
        state = Ledger.Apply(state, Event(EventFeature.Watched, "1", T0.AddHours(1), connection: 1), 1);

        Assert.True(state.Watched);
        Assert.Null(state.ProgressMs);
        Assert.Equal(T0.AddHours(1), state.WatchedAt);
    }

    [Fact]
    public void ProvenUnwatch_NewerThanTheWatch_Unwatches_OlderDoesNot()
    {
        var watched = Ledger.Apply(LedgerState.Empty, Event(EventFeature.Watched, "1", T0.AddHours(1), connection: 1), 1);

        Assert.False(Ledger.Apply(watched, Event(EventFeature.Unwatched, null, T0.AddHours(2), connection: 2), 1).Watched);
        Assert.True(Ledger.Apply(watched, Event(EventFeature.Unwatched, null, T0, connection: 2), 1).Watched);
    }

    /// <summary>
    /// Folding an event changes the fields its feature wins and nothing else, and always keeps the highest event id: a
    /// watch counts its plays (a play adds, a watch takes the larger count), moves the last play only for a play that
    /// wins it, and clears a resume point only when the watch is as new as it or newer.
    /// </summary>
    [Fact]
    public void Apply_ChangesOnlyWhatTheEventWins_AndKeepsTheHighestEventId()
    {
        var progress = Ledger.Apply(LedgerState.Empty, Event(EventFeature.Progress, "120000", T0.AddHours(2), connection: 1, id: 5), 1);
        var olderWatch = Ledger.Apply(progress, Event(EventFeature.Watched, "1", T0.AddHours(1), connection: 2, id: 3), 1);
        Assert.Equal(
            progress with { Watched = true, WatchedAt = T0.AddHours(1), WatchedConnectionId = 2, PlayCount = 1 },
            olderWatch);
        Assert.Equal(5, olderWatch.LastEventId);

        var sameTime = Ledger.Apply(progress, Event(EventFeature.Watched, "1", T0.AddHours(2), connection: 2, id: 6), 1);
        Assert.Equal(
            progress with { Watched = true, WatchedAt = T0.AddHours(2), WatchedConnectionId = 2, PlayCount = 1, ProgressMs = null, ProgressAt = T0.AddHours(2), ProgressConnectionId = 2, LastEventId = 6 },
            sameTime);

        var plays = Ledger.Apply(LedgerState.Empty, Event(EventFeature.Play, "2", T0, connection: 1, id: 1), 1);
        plays = Ledger.Apply(plays, Event(EventFeature.Play, "1", T0.AddHours(1), connection: 2, id: 2), 1);
        var olderPlay = Ledger.Apply(plays, Event(EventFeature.Play, "1", T0.AddHours(-1), connection: 1, id: 3), 1);
        Assert.Equal((3, T0.AddHours(1), 2L, T0.AddHours(1)), (plays.PlayCount, plays.LastPlayAt, plays.LastPlayConnectionId, plays.WatchedAt));
        Assert.Equal(plays with { PlayCount = 4, LastEventId = 3 }, olderPlay);

        var watches = Ledger.Apply(LedgerState.Empty, Event(EventFeature.Watched, "3", T0, connection: 1, id: 1), 1);
        watches = Ledger.Apply(watches, Event(EventFeature.Watched, "2", T0.AddHours(1), connection: 1, id: 2), 1);
        Assert.Equal((3, (DateTimeOffset?)null, T0.AddHours(1)), (watches.PlayCount, watches.LastPlayAt, watches.WatchedAt));

        var losing = Ledger.Apply(watches, Event(EventFeature.Unwatched, null, T0, connection: 2, id: 9), 1);
        Assert.Equal(watches with { LastEventId = 9 }, losing);
        var cleared = Ledger.Apply(Ledger.Apply(watches, Event(EventFeature.Rating, "7", T0, connection: 1, id: 3), 1), Event(EventFeature.Rating, null, T0.AddHours(1), connection: 2, id: 4), 1);
        Assert.Equal(watches with { Rating = null, RatedAt = T0.AddHours(1), RatingConnectionId = 2, LastEventId = 4 }, cleared);
    }

    [Theory]
    [InlineData(7.3, 7.5)]
    [InlineData(7.2, 7.0)]
    [InlineData(7.25, 7.5)]
    [InlineData(11, 10)]
    [InlineData(-1, 0)]
    [InlineData(0, 0)]
    public void Ratings_AreNormalisedToHalfSteps(double given, double expected) =>
        Assert.Equal(expected, SyncRules.NormalizeRating(given));

    [Theory]
    [InlineData(25, 1000, false)]
    [InlineData(26, 1000, true)]
    [InlineData(10, 100, false)]
    [InlineData(11, 100, true)]
    [InlineData(0, 0, false)]
    public void Guard_HoldsOverTheCountOrTheShareOfTheTarget(int removals, int targetSize, bool holds) =>
        Assert.Equal(holds, RunSteps.Holds(new FlowGuards(), removals, targetSize));

    private static LedgerEvent Event(string feature, string? value, DateTimeOffset at, long connection, long id = 0) =>
        new(id, 1, 1, feature, value, at, at, connection, connection, EventOrigin.Scan, null);
}
