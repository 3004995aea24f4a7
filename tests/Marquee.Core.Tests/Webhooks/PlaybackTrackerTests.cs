using Marquee.Core.Webhooks;

namespace Marquee.Core.Tests.Webhooks;

public sealed class PlaybackTrackerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    [Theory]
    [InlineData("movie", 89, false)]
    [InlineData("movie", 90, true)]
    [InlineData("episode", 79, false)]
    [InlineData("episode", 80, true)]
    public void FinishedThreshold_IsPerMediaType(string type, int percent, bool finished)
    {
        var options = new LiveOptions { MovieFinishedPercent = 90, EpisodeFinishedPercent = 80 };

        Assert.Equal(finished, PlaybackTracker.IsFinished(options, type, percent * 1000, 100_000));
    }

    [Fact]
    public void Poll_StartThenThresholdThenStop_PlayWatchedAndNoProgressAfterFinishing()
    {
        var tracker = new PlaybackTracker("plex", "srv", new LiveOptions());

        var start = tracker.Observe([Session(10_000, "playing")], Now);
        var watched = tracker.Observe([Session(95_000, "playing")], Now.AddSeconds(10));
        var again = tracker.Observe([Session(97_000, "playing")], Now.AddSeconds(20));
        var gone = tracker.Observe([], Now.AddSeconds(30));

        Assert.Equal([LiveEventKind.Play], start.Select(e => e.Kind));
        Assert.Equal([LiveEventKind.Watched], watched.Select(e => e.Kind));
        Assert.Empty(again);
        Assert.Empty(gone);
        Assert.All(start.Concat(watched), e => Assert.Equal(LiveEventOrigin.Poll, e.Origin));
    }

    [Fact]
    public void Poll_SessionVanishesMidway_IsProgressAtTheLastPosition()
    {
        var tracker = new PlaybackTracker("plex", "srv", new LiveOptions());
        tracker.Observe([Session(40_000, "playing")], Now);

        var gone = tracker.Observe([], Now.AddSeconds(10));

        var e = Assert.Single(gone);
        Assert.Equal(LiveEventKind.Progress, e.Kind);
        Assert.Equal("40000", e.Value);
    }

    [Fact]
    public void Stream_PausedAndStopped_KnownSession_GiveProgress_UnknownAsksForAPoll()
    {
        var tracker = new PlaybackTracker("plex", "srv", new LiveOptions());

        Assert.Null(tracker.OnPlaying("7", "1001", 5000, "playing", Now));
        tracker.Observe([Session(5_000, "playing")], Now);
        var paused = tracker.OnPlaying("7", "1001", 30_000, "paused", Now.AddSeconds(5));
        var finished = tracker.OnPlaying("7", "1001", 92_000, "playing", Now.AddSeconds(9));
        var stopped = tracker.OnPlaying("7", "1001", 93_000, "stopped", Now.AddSeconds(10));

        Assert.Equal(LiveEventKind.Progress, Assert.Single(paused!).Kind);
        Assert.Equal(LiveEventKind.Watched, Assert.Single(finished!).Kind);
        Assert.Empty(stopped!);
        Assert.Empty(tracker.Sessions);
    }

    private static SessionSnapshot Session(long position, string state) =>
        new("7", "1", "owner", "1001", "plex://movie/1", "movie", 100_000, position, state);
}
