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

        var start = tracker.Observe([Session(10_000, "playing")], Now, Now);
        var watched = tracker.Observe([Session(95_000, "playing")], Now.AddSeconds(10), Now.AddSeconds(10));
        var again = tracker.Observe([Session(97_000, "playing")], Now.AddSeconds(20), Now.AddSeconds(20));
        var gone = tracker.Observe([], Now.AddSeconds(30), Now.AddSeconds(30));

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
        tracker.Observe([Session(40_000, "playing")], Now, Now);

        var gone = tracker.Observe([], Now.AddSeconds(10), Now.AddSeconds(10));

        var e = Assert.Single(gone);
        Assert.Equal(LiveEventKind.Progress, e.Kind);
        Assert.Equal("40000", e.Value);
    }

    [Fact]
    public void Stream_PausedAndStopped_KnownSession_GiveProgress_UnknownAsksForAPoll()
    {
        var tracker = new PlaybackTracker("plex", "srv", new LiveOptions());

        Assert.Null(tracker.OnPlaying("7", "1001", 5000, "playing", Now));
        tracker.Observe([Session(5_000, "playing")], Now, Now);
        var paused = tracker.OnPlaying("7", "1001", 30_000, "paused", Now.AddSeconds(5));
        var finished = tracker.OnPlaying("7", "1001", 92_000, "playing", Now.AddSeconds(9));
        var stopped = tracker.OnPlaying("7", "1001", 93_000, "stopped", Now.AddSeconds(10));

        Assert.Equal(LiveEventKind.Progress, Assert.Single(paused!).Kind);
        Assert.Equal(LiveEventKind.Watched, Assert.Single(finished!).Kind);
        Assert.Empty(stopped!);
        Assert.Empty(tracker.Sessions);
    }

    [Fact]
    public void ReportingActivity_PauseResumeAndStop_AreEachTheirOwnKind_BesideTheResumePoints()
    {
        var tracker = new PlaybackTracker("plex", "srv", new LiveOptions()) { ReportsActivity = true };
        var snapshot = Session(5_000, "playing") with { Title = "Pilot", ShowTitle = "The Show", Season = 2, Episode = 5, Year = 2019, Player = "TV", Platform = "Roku", Rating = 7 };

        var start = tracker.Observe([snapshot], Now, Now);
        var paused = tracker.OnPlaying("7", "1001", 30_000, "paused", Now.AddSeconds(5))!;
        var buffering = tracker.OnPlaying("7", "1001", 30_000, "buffering", Now.AddSeconds(6))!;
        var resumed = tracker.OnPlaying("7", "1001", 31_000, "playing", Now.AddSeconds(7))!;
        var stopped = tracker.OnPlaying("7", "1001", 50_000, "stopped", Now.AddSeconds(9))!;

        Assert.Equal([(LiveEventKind.Play, LiveEventType.Play)], start.Select(e => (e.Kind, e.EventType)));
        Assert.Equal([(LiveEventKind.Progress, LiveEventType.Pause), (LiveEventType.Pause, LiveEventType.Pause)], paused.Select(e => (e.Kind, e.EventType)));
        Assert.Empty(buffering);
        Assert.Equal([(LiveEventType.Resume, LiveEventType.Resume)], resumed.Select(e => (e.Kind, e.EventType)));
        Assert.Equal([(LiveEventKind.Progress, LiveEventType.Stop), (LiveEventType.Stop, LiveEventType.Stop)], stopped.Select(e => (e.Kind, e.EventType)));
        Assert.All(start.Concat(paused).Concat(resumed).Concat(stopped), e =>
        {
            Assert.Equal(("Pilot", "The Show", 2, 5, 2019), (e.Title, e.ShowTitle, e.Season, e.Episode, e.Year));
            Assert.Equal(("TV", "Roku", "7", 7.0, 100_000L), (e.Player, e.Platform, e.SessionKey, e.Rating, e.DurationMs));
        });
        Assert.Equal([5_000L, 30_000L, 30_000L, 31_000L, 50_000L, 50_000L], start.Concat(paused).Concat(resumed).Concat(stopped).Select(e => e.PositionMs!.Value));
        Assert.Equal("30000", paused[0].Value);
        Assert.NotEqual(paused[1].IdentityKey, stopped[1].IdentityKey);
    }

    [Fact]
    public void ReportingActivity_StopAfterTheWatch_IsAStop_WithoutAResumePoint()
    {
        var tracker = new PlaybackTracker("plex", "srv", new LiveOptions()) { ReportsActivity = true };
        tracker.Observe([Session(10_000, "playing")], Now, Now);
        tracker.Observe([Session(95_000, "playing")], Now.AddSeconds(10), Now.AddSeconds(10));

        var gone = tracker.Observe([], Now.AddSeconds(20), Now.AddSeconds(20));

        var stop = Assert.Single(gone);
        Assert.Equal(LiveEventType.Stop, stop.Kind);
        Assert.Equal(95_000, stop.PositionMs);
    }

    [Fact]
    public void APollAskedBeforeTheStreamEndedASession_NeitherStartsItAgainNorStopsItAtAnOlderPosition()
    {
        var tracker = new PlaybackTracker("plex", "srv", new LiveOptions()) { ReportsActivity = true };
        tracker.Observe([Session(30_000, "playing")], Now, Now);
        var stopped = tracker.OnPlaying("7", "1001", 40_000, "stopped", Now.AddSeconds(5))!;

        // Asked at +4 s, answered after the stream's stop: it still shows the playback at 35 s.
        var stale = tracker.Observe([Session(35_000, "playing")], Now.AddSeconds(4), Now.AddSeconds(6));
        var next = tracker.Observe([], Now.AddSeconds(10), Now.AddSeconds(11));

        Assert.Equal([LiveEventKind.Progress, LiveEventType.Stop], stopped.Select(e => e.Kind));
        Assert.All(stopped, e => Assert.Equal(40_000, e.PositionMs));
        Assert.Empty(stale);
        Assert.Empty(next);
        Assert.Empty(tracker.Sessions);
    }

    [Fact]
    public void APollAskedBeforeTheStreamsLastWord_KeepsTheStreamsPositionAndState_UntilANewerPoll()
    {
        var tracker = new PlaybackTracker("plex", "srv", new LiveOptions()) { ReportsActivity = true };
        tracker.Observe([Session(30_000, "playing")], Now, Now);
        Assert.Empty(tracker.OnPlaying("7", "1001", 35_000, "playing", Now.AddSeconds(5))!);

        // Asked before the stream's message: one shows an older pause, one misses the session (the stream's stop is on its way).
        var olderPause = tracker.Observe([Session(32_000, "paused")], Now.AddSeconds(4), Now.AddSeconds(6));
        var missing = tracker.Observe([], Now.AddSeconds(4.5), Now.AddSeconds(7));
        var stopped = tracker.OnPlaying("7", "1001", 40_000, "stopped", Now.AddSeconds(8))!;

        Assert.Empty(olderPause);
        Assert.Empty(missing);
        Assert.Equal([LiveEventKind.Progress, LiveEventType.Stop], stopped.Select(e => e.Kind));
        Assert.All(stopped, e => Assert.Equal(40_000, e.PositionMs));
    }

    [Fact]
    public void APollAskedAfterTheStreamsLastWord_IsNewer_AndCounts()
    {
        var tracker = new PlaybackTracker("plex", "srv", new LiveOptions()) { ReportsActivity = true };
        tracker.Observe([Session(30_000, "playing")], Now, Now);
        tracker.OnPlaying("7", "1001", 35_000, "playing", Now.AddSeconds(5));

        var paused = tracker.Observe([Session(50_000, "paused")], Now.AddSeconds(6), Now.AddSeconds(7));
        var gone = tracker.Observe([], Now.AddSeconds(20), Now.AddSeconds(21));

        Assert.Equal([LiveEventKind.Progress, LiveEventType.Pause], paused.Select(e => e.Kind));
        Assert.All(paused, e => Assert.Equal(50_000, e.PositionMs));
        Assert.Equal([LiveEventKind.Progress, LiveEventType.Stop], gone.Select(e => e.Kind));
    }

    private static SessionSnapshot Session(long position, string state) =>
        new("7", "1", "owner", "1001", "plex://movie/1", "movie", 100_000, position, state);
}
