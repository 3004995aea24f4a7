using Marquee.Core.Flows;
using Marquee.Core.Sync;
using Marquee.Simulators.Plex.Model;
using Marquee.Simulators.Trakt;
using Marquee.Sync.Tests.Infrastructure;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>Resume points between Plex and Trakt: read from <c>/sync/playback</c> as a share of Plex's length, written as <c>/scrobble/pause</c>.</summary>
[Trait("Category", "Scenario")]
public sealed class TraktProgressScenarios
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly string[] Progress = ["watched", "progress"];

    [Fact]
    public async Task PlexResumePoint_ReachesTraktAtItsShare_AndARerunWritesNothing_ThoughTraktDatesItNow()
    {
        await using var f = await StartAsync();
        var movie = f.Source.Movies[0];
        var duration = Duration(f, movie);
        f.Plex.Sim.Control.Play(f.Plex.Owner, int.Parse(movie, System.Globalization.CultureInfo.InvariantCulture), (duration * 403 / 1000) + 7_777, stop: true);
        var offset = f.Source.View(f.Source.Owner, movie).OffsetMs;
        f.AdvanceClock(Hour);

        // A flow asking for progress with Trakt on one side is taken (it used to be refused).
        var flow = await f.AddFlowAsync(twoWay: true, features: Progress);
        var first = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, first.Run.Status);
        var media = f.Trakt.Media(f.Target.Movie(f.Source.Title(movie)));
        var playback = Assert.Single(f.Trakt.Sim.Control.Dump(f.Trakt.Owner).Playback);
        Assert.Equal(media.Trakt, playback.Trakt);
        Assert.Equal(offset * 100.0 / duration, playback.Progress, 2);
        Assert.Equal(1, f.Target.Requests.GetValueOrDefault("POST /scrobble/{action}"));

        // Trakt lists the pause dated now, later than Plex's: the baseline written with it holds, nothing goes back or again.
        var rerun = await RerunQuietlyAsync(f, flow, movie, offset);
        Assert.Equal(0, rerun.Run.Written);
    }

    [Fact]
    public async Task TraktPlayback_ReachesPlex_AsAViewOffsetOfItsShareOfPlexsLength()
    {
        await using var f = await StartAsync();
        var movie = f.Source.Movies[1];
        var duration = Duration(f, movie);
        f.Trakt.Sim.Control.Pause(f.Trakt.Owner, f.Trakt.Media(f.Target.Movie(f.Source.Title(movie))), 30);
        f.AdvanceClock(Hour);
        var flow = await f.AddFlowAsync(twoWay: true, features: Progress);
        f.Target.ResetRequests();

        var first = await f.SyncAsync(flow);
        var playbackReads = f.Target.Requests.GetValueOrDefault("GET /sync/playback");
        f.AdvanceClock(Hour);
        var rerun = await f.SyncAsync(flow, new SyncOptions { Force = true });

        Assert.Equal(RunStatus.Done, first.Run.Status);
        Assert.Equal(1, playbackReads);
        Assert.Equal(1, first.Run.Written);
        Assert.InRange(f.Source.View(f.Source.Owner, movie).OffsetMs, (duration * 30 / 100) - 1000, (duration * 30 / 100) + 1000);
        Assert.Equal(0, f.Source.View(f.Source.Owner, movie).ViewCount);
        Assert.Equal(0, rerun.Run.Written);
    }

    [Fact]
    public async Task ALongFilmsResumePoint_WhichTheShareDoesNotHoldToTheSecond_LeavesTheRerunQuiet_ByTheBaseline()
    {
        await using var f = await StartAsync();
        var movie = f.Source.Movies[3];
        var item = f.Plex.Sim.Control.Item(int.Parse(movie, System.Globalization.CultureInfo.InvariantCulture));

        // A ten-hour cut: a hundredth of a percent is 3.6 s of it, so the share Trakt keeps lands up to 1.8 s off the position.
        item.Duration = 36_000_000;
        f.Plex.Sim.Control.Play(f.Plex.Owner, item.RatingKey, 14_815_750, stop: true);
        var offset = f.Source.View(f.Source.Owner, movie).OffsetMs;
        var share = Math.Round(offset * 100.0 / item.Duration, 2);
        var readBack = (long)Math.Round(share * item.Duration / 100);
        Assert.True(Math.Abs(readBack - offset) > new SyncRules().ProgressToleranceMs, $"the share {share} % reads back as {readBack} ms for {offset} ms, within the tolerance");
        f.AdvanceClock(Hour);
        var flow = await f.AddFlowAsync(twoWay: true, features: Progress);

        var first = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, first.Run.Status);
        Assert.Equal(share, Assert.Single(f.Trakt.Sim.Control.Dump(f.Trakt.Owner).Playback).Progress, 2);

        // Trakt now lists the share, dated later than Plex's pause: its position is the one written (the baseline), not a new
        // one 1.8 s away that would go back to Plex and round-trip again on every run.
        await RerunQuietlyAsync(f, flow, movie, offset);
        await RerunQuietlyAsync(f, flow, movie, offset);
    }

    [Fact]
    public async Task AFlowWithoutProgress_NeverReadsTraktsPlaybackListing()
    {
        await using var f = await StartAsync();
        var movie = f.Source.Movies[4];
        f.Trakt.Sim.Control.Pause(f.Trakt.Owner, f.Trakt.Media(f.Target.Movie(f.Source.Title(f.Source.Movies[5]))), 30);
        f.Plex.Sim.Control.Play(f.Plex.Owner, int.Parse(movie, System.Globalization.CultureInfo.InvariantCulture), Duration(f, movie) / 3, stop: true);
        f.Source.Mark(f.Source.Owner, f.Source.Movies[6], true);
        f.AdvanceClock(Hour);
        var flow = await f.AddFlowAsync(twoWay: true, features: ["watched", "ratings"]);
        f.Target.ResetRequests();

        var first = await f.SyncAsync(flow);
        f.AdvanceClock(Hour);
        var rerun = await f.SyncAsync(flow, new SyncOptions { Force = true });

        Assert.Equal(RunStatus.Done, first.Run.Status);
        Assert.Equal(RunStatus.Done, rerun.Run.Status);
        Assert.Equal(1, first.Run.Written);
        Assert.True(f.Target.Requests.GetValueOrDefault("GET /sync/watched/{type}") >= 4, string.Join(", ", f.Target.Requests.Select(r => $"{r.Key} {r.Value}")));
        Assert.False(f.Target.Requests.ContainsKey("GET /sync/playback"), string.Join(", ", f.Target.Requests.Select(r => $"{r.Key} {r.Value}")));
        Assert.Single(f.Trakt.Sim.Control.Dump(f.Trakt.Owner).Playback);
        Assert.Equal(0, f.Source.View(f.Source.Owner, f.Source.Movies[5]).OffsetMs);
    }

    [Fact]
    public async Task AnEpisodesResumePoint_ComesFromTrakt_ButIsNotSentThere_WithTheReason()
    {
        await using var f = await StartAsync();
        var (fromPlex, fromTrakt) = MatchedEpisodes(f) switch
        {
            [var a, var b, ..] => (a, b),
            var found => throw new InvalidOperationException($"{found.Count} Plex episodes with a Trakt title"),
        };
        f.Plex.Sim.Control.Play(f.Plex.Owner, fromPlex.Plex.RatingKey, fromPlex.Plex.Duration * 40 / 100, stop: true);
        f.Trakt.Sim.Control.Pause(f.Trakt.Owner, fromTrakt.Trakt, 30);
        f.AdvanceClock(Hour);
        var flow = await f.AddFlowAsync(twoWay: true, features: Progress);
        f.Target.ResetRequests();

        var run = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, run.Run.Status);
        var skipped = Assert.Single(run.Plan, w => w.Action == WriteAction.SetProgress && w.LocalKey == TraktScenarioServer.Key(fromPlex.Trakt));
        Assert.Contains("episode's own ids", skipped.SkipReason, StringComparison.Ordinal);
        Assert.False(f.Target.Requests.ContainsKey("POST /scrobble/{action}"));
        Assert.Equal(fromTrakt.Trakt.Trakt, Assert.Single(f.Trakt.Sim.Control.Dump(f.Trakt.Owner).Playback).Trakt);
        var offset = f.Source.View(f.Source.Owner, fromTrakt.Plex.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture)).OffsetMs;
        Assert.InRange(offset, (fromTrakt.Plex.Duration * 30 / 100) - 1000, (fromTrakt.Plex.Duration * 30 / 100) + 1000);
    }

    [Fact]
    public async Task ResumePointsOf80PercentOrMore_OrUnder1Percent_AreSkippedWithTheReason_NotSentToTrakt()
    {
        await using var f = await StartAsync();
        var late = f.Source.Movies[2];
        var early = f.Source.Movies.First(m => m != late && Duration(f, m) > 7_000_000);
        f.Plex.Sim.Control.Play(f.Plex.Owner, int.Parse(late, System.Globalization.CultureInfo.InvariantCulture), Duration(f, late) * 85 / 100, stop: true);
        f.Plex.Sim.Control.Play(f.Plex.Owner, int.Parse(early, System.Globalization.CultureInfo.InvariantCulture), 61_000, stop: true);
        f.AdvanceClock(Hour);
        var flow = await f.AddFlowAsync(features: Progress);

        var run = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, run.Run.Status);
        var skipped = run.Plan.Where(w => w.Action == WriteAction.SetProgress).ToList();
        Assert.True(skipped.Count == 2, string.Join("; ", run.Plan.Select(w => $"{w.LocalKey} {w.Action}: {w.Reason} / {w.SkipReason}")));
        Assert.Contains(skipped, w => w.SkipReason is { } r && r.Contains("80 %", StringComparison.Ordinal));
        Assert.Contains(skipped, w => w.SkipReason is { } r && r.Contains("under the 1 %", StringComparison.Ordinal));
        Assert.Empty(f.Trakt.Sim.Control.Dump(f.Trakt.Owner).Playback);
        Assert.Empty(f.Trakt.Sim.Control.Dump(f.Trakt.Owner).Plays);
        Assert.False(f.Target.Requests.ContainsKey("POST /scrobble/{action}"));
    }

    /// <summary>An hour later, a forced run of the flow plans nothing, sends nothing to Trakt and leaves Plex's resume point as it was.</summary>
    private static async Task<SyncReport> RerunQuietlyAsync(PlexToTraktFixture f, Flow flow, string movie, long offset)
    {
        f.AdvanceClock(Hour);
        f.Target.ResetRequests();
        var rerun = await f.SyncAsync(flow, new SyncOptions { Force = true });

        Assert.True(rerun.Run.Planned == 0, string.Join("; ", rerun.Plan.Where(w => w.SkipReason is null).Select(w => $"{w.LocalKey} {w.Action} on {w.ConnectionName}: {w.Reason}")));
        Assert.DoesNotContain(f.Target.Requests.Keys, k => k.StartsWith("POST", StringComparison.Ordinal));
        Assert.Equal(offset, f.Source.View(f.Source.Owner, movie).OffsetMs);
        return rerun;
    }

    /// <summary>Plex episodes of shows the Plex agent matched, with the Trakt episode of the same show ids and numbers.</summary>
    private static List<(PlexItem Plex, TraktMedia Trakt)> MatchedEpisodes(PlexToTraktFixture f)
    {
        string[] order = ["tmdb", "imdb", "tvdb"];
        var catalog = f.Trakt.Sim.State.Catalog;
        TraktMedia? Show(PlexItem show) => show.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)
            ? show.ExternalGuids.Select(g => g.Split("://", 2)).Where(p => p.Length == 2 && order.Contains(p[0])).OrderBy(p => Array.IndexOf(order, p[0]))
                .Select(p => catalog.ById(TraktKind.Show, p[0], p[1])).FirstOrDefault(m => m is not null)
            : null;

        var state = f.Plex.Sim.State;
        return [.. state.Sections.SelectMany(s => state.ItemsOfType(s.Id, ItemType.Episode))
            .Where(e => e.Duration > 0 && e.Show is not null && e.Parent is not null)
            .Select(e => (Plex: e, Trakt: Show(e.Show!)?.Episodes.FirstOrDefault(t => t.SeasonNumber == e.Parent!.Index && t.Number == e.Index)))
            .Where(p => p.Trakt is not null)
            .Select(p => (p.Plex, p.Trakt!))];
    }

    private static long Duration(PlexToTraktFixture f, string key) => f.Plex.Sim.Control.Item(int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)).Duration;

    private static async Task<PlexToTraktFixture> StartAsync()
    {
        var fixture = new PlexToTraktFixture();
        await fixture.StartAsync();
        return fixture;
    }
}
