using Marquee.Core.Providers;
using Marquee.Core.Sync;

namespace Marquee.Core.Tests.Sync;

public sealed class EditionFoldTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    [Fact]
    public void Copies_AWatchOfEitherCounts_WithTheMostPlaysAndTheLatestPlay()
    {
        var lead = new WatchState { PlayCount = 0, Rating = 7, RatedAt = T0, ProgressMs = 60_000, ProgressAt = T0 };
        var other = new WatchState { PlayCount = 2, LastWatchedAt = T0.AddDays(1), Rating = 3, RatedAt = T0.AddDays(2) };

        var state = EditionFold.Copies(lead, other);

        Assert.Equal(2, state.PlayCount);
        Assert.Equal(T0.AddDays(1), state.LastWatchedAt);
        Assert.Equal((7.0, T0), (state.Rating!.Value, state.RatedAt!.Value));
        Assert.Equal(60_000, state.ProgressMs);
    }

    [Fact]
    public void Copies_TakeTheOthersRatingAndPosition_OnlyWhenTheLeadHasNone()
    {
        var state = EditionFold.Copies(WatchState.Empty, new WatchState { Rating = 3, RatedAt = T0, ProgressMs = 5_000, ProgressAt = T0 });

        Assert.Equal((3.0, T0, 5_000L), (state.Rating!.Value, state.RatedAt!.Value, state.ProgressMs!.Value));
        Assert.False(state.Watched);
    }

    [Fact]
    public void Movie_AWatchedEdition_MakesTheBaseWatched_ButKeepsItsRating()
    {
        var movie = new LedgerState { Rating = 8, RatedAt = T0, RatingConnectionId = 1 };
        var cut = new LedgerState { Watched = true, WatchedAt = T0.AddHours(1), WatchedConnectionId = 2, PlayCount = 1, LastPlayAt = T0.AddHours(1), LastPlayConnectionId = 2, Rating = 2, RatedAt = T0.AddHours(2) };

        var state = EditionFold.Movie(movie, [cut]);

        Assert.True(state.Watched);
        Assert.Equal((T0.AddHours(1), 2L, 1), (state.WatchedAt!.Value, state.WatchedConnectionId!.Value, state.PlayCount));
        Assert.Equal((T0.AddHours(1), 2L), (state.LastPlayAt!.Value, state.LastPlayConnectionId!.Value));
        Assert.Equal(8, state.Rating);
    }

    [Fact]
    public void Movie_AWatchOfAnyEditionOutweighsAnUnwatchOfTheBase_AndTheLatestWatchWins()
    {
        var unwatched = new LedgerState { Watched = false, WatchedAt = T0.AddDays(3), WatchedConnectionId = 1 };
        var early = new LedgerState { Watched = true, WatchedAt = T0, WatchedConnectionId = 2, PlayCount = 1 };
        var late = new LedgerState { Watched = true, WatchedAt = T0.AddDays(1), WatchedConnectionId = 3, PlayCount = 1 };

        var state = EditionFold.Movie(unwatched, [early, late]);

        Assert.True(state.Watched);
        Assert.Equal((T0.AddDays(1), 3L), (state.WatchedAt!.Value, state.WatchedConnectionId!.Value));
    }

    [Fact]
    public void Movie_AnEditionsProvenUnwatch_StandsWhenNothingIsWatched_AndANeverWatchedEditionChangesNothing()
    {
        var cut = new LedgerState { Watched = false, WatchedAt = T0.AddDays(1), WatchedConnectionId = 2 };

        Assert.Equal(T0.AddDays(1), EditionFold.Movie(null, [cut]).WatchedAt);
        Assert.Equal(LedgerState.Empty, EditionFold.Movie(LedgerState.Empty, [LedgerState.Empty]));
        var watched = new LedgerState { Watched = true, WatchedAt = T0, PlayCount = 1 };
        Assert.Equal(watched, EditionFold.Movie(watched, [cut]));
    }
}
