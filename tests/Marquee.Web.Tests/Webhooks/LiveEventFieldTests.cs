using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Marquee.Core.Webhooks;
using Marquee.Simulators.Jellyfin;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Notifications;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>
/// The event stream, the session poller and the Jellyfin and Emby webhooks fill the normalised event's fields wherever
/// their payload carries them, and report every pause, resume and stop as its own kind.
/// </summary>
public sealed class LiveEventFieldTests
{
    [Fact]
    public async Task StreamAndPoller_EpisodePlayback_ReachConsumers_WithTitlesPlayerSessionPositionAndEveryKind()
    {
        var sink = new RecordingSink();
        await using var sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 5, Shows = 2, HomeUsers = 0, Friends = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(
            WebhookKit.Settings(("Marquee:Webhooks:Live:SessionPollSeconds", "0.3"), ("Marquee:Webhooks:Live:ConnectionRefreshSeconds", "0.3")),
            sink.Register);
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var shows = sim.State.Sections.First(s => s.Type == "show").Id;
        var episode = sim.State.ItemsOfType(shows, ItemType.Episode)[1];
        var key = episode.RatingKey.ToString(CultureInfo.InvariantCulture);
        bool Live(LiveEvent e) => e.LocalKey == key && e.Origin != LiveEventOrigin.Webhook;

        // Both listeners at work: the stop's position is the stream's (a poll knows only where it last saw it).
        await NotifyKit.WaitForAsync(() => sim.Control.Stream.Connected > 0, "the event stream to connect");

        // Act: no webhooks; the owner plays to 30 % and pauses, plays on, and stops at 40 %.
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = episode.RatingKey, percent = 30, pause = true })).IsSuccessStatusCode);
        var pause = await sink.WaitAsync(e => Live(e) && e.Kind == LiveEventType.Pause, "the pause");
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = episode.RatingKey, percent = 35 })).IsSuccessStatusCode);
        var resume = await sink.WaitAsync(e => Live(e) && e.Kind == LiveEventType.Resume, "the resume");
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = episode.RatingKey, percent = 40, stop = true })).IsSuccessStatusCode);
        var stop = await sink.WaitAsync(e => Live(e) && e.Kind == LiveEventType.Stop, "the stop");
        var play = await sink.WaitAsync(e => Live(e) && e.Kind == LiveEventKind.Play, "the start");
        await sink.WaitAsync(e => Live(e) && e.Kind == LiveEventKind.Progress && e.EventType == LiveEventType.Stop, "the stop's resume point");

        // Assert: what /status/sessions says about the session is on every event of it.
        Assert.Empty(sim.Control.Webhooks.Deliveries);
        foreach (var e in new[] { play, pause, resume, stop })
        {
            Assert.Equal("plex", e.Source);
            Assert.Equal(sim.MachineIdentifier, e.ServerId);
            Assert.Equal(episode.Title, e.Title);
            Assert.Equal("episode", e.MediaType);
            Assert.Equal(episode.Show!.Title, e.ShowTitle);
            Assert.Equal(episode.Parent!.Index, e.Season);
            Assert.Equal(episode.Index, e.Episode);
            Assert.Equal(episode.Year == 0 ? null : episode.Year, e.Year);
            Assert.Equal(sim.Owner.Name, e.AccountName);
            Assert.Equal("Chrome", e.Player);
            Assert.Equal("Chrome", e.Platform);
            Assert.False(string.IsNullOrEmpty(e.SessionKey));
            Assert.Equal(episode.Duration, e.DurationMs);
            Assert.True(e.Id > 0);
        }

        Assert.Equal(play.SessionKey, stop.SessionKey);
        Assert.Equal(LiveEventType.Play, play.EventType);
        Assert.InRange(pause.PositionMs!.Value, (long)(episode.Duration * 0.29), (long)(episode.Duration * 0.31));
        Assert.InRange(stop.PositionMs!.Value, (long)(episode.Duration * 0.39), (long)(episode.Duration * 0.41));

        // Sync's events are what they were: one start, a resume point for the pause and one for the stop.
        Assert.Single(sink.Events, e => Live(e) && e.Kind == LiveEventKind.Play);
        Assert.Equal(2, sink.Events.Count(e => Live(e) && e.Kind == LiveEventKind.Progress));
    }

    [Fact]
    public async Task StreamConnectingAfterThePollerSawAPause_KeepsIt_SoTheResumeIsReported()
    {
        // The event stream cannot connect yet (503); the poller alone follows the playback.
        const string Stream = "GET /:/websockets/notifications";
        const string Sessions = "GET /status/sessions";
        var sink = new RecordingSink();
        await using var sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 3, Shows = 1, HomeUsers = 0, Friends = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(
            WebhookKit.Settings(
                ("Marquee:Webhooks:Live:SessionPollSeconds", "0.3"),
                ("Marquee:Webhooks:Live:ConnectionRefreshSeconds", "0.3"),
                ("Marquee:Webhooks:Live:MaxReconnectSeconds", "1")),
            sink.Register);
        sim.Control.SetFault(Stream, new Marquee.Simulators.Infrastructure.FaultSpec { Error503 = 1 });
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var movie = sim.State.ItemsOfType(sim.State.Sections.First(s => s.Type == "movie").Id, ItemType.Movie)[0];
        var key = movie.RatingKey.ToString(CultureInfo.InvariantCulture);
        bool Live(LiveEvent e) => e.LocalKey == key && e.Origin != LiveEventOrigin.Webhook;
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 30, pause = true })).IsSuccessStatusCode);
        await sink.WaitAsync(e => Live(e) && e.Kind == LiveEventType.Pause, "the pause");

        // Act: every poll now answers late (it reads the sessions after 2 s), the stream connects, and the playback goes
        // on at once: only the stream can tell the resume, and only while Marquee still knows the pause.
        sim.Control.SetFault(Sessions, new Marquee.Simulators.Infrastructure.FaultSpec { LatencyMs = 2000 });
        sim.Control.SetFault(Stream, null);
        await NotifyKit.WaitForAsync(() => sim.Control.Stream.Connected > 0, "the event stream to connect");

        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 35 })).IsSuccessStatusCode);

        // Assert: the resume, told by the stream.
        var resume = await sink.WaitAsync(e => Live(e) && e.Kind == LiveEventType.Resume, "the resume");
        Assert.Equal(LiveEventOrigin.EventStream, resume.Origin);
    }

    [Theory]
    [InlineData(JellyfinFlavor.Jellyfin, "jellyfin")]
    [InlineData(JellyfinFlavor.Emby, "emby")]
    public async Task SimulatorEpisodePlayback_ReachesConsumers_WithTitlesNumbersUserPositionAndDuration(JellyfinFlavor flavor, string kind)
    {
        var sink = new RecordingSink();
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(), sink.Register);
        await using var sim = await JellyfinSimulator.StartAsync(
            new JellyfinSimulatorOptions { Flavor = flavor, Movies = 5, Shows = 2, Users = 2, WebhookUrl = new Uri(app.Address, $"/webhooks/{kind}/{WebhookKit.Secret}"), ClockStart = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000) },
            CancellationToken.None);
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var episode = sim.State.Items().First(i => i.Type == "Episode" && i.IndexNumber > 1);
        var user = sim.Users[1];

        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = user.Name, itemId = episode.Id, percent = 30, stop = true })).IsSuccessStatusCode);
        await sim.Control.WaitForWebhooksAsync(CancellationToken.None);

        var play = await sink.WaitAsync(e => e.LocalKey == episode.Id && e.Kind == LiveEventKind.Play, "the start");
        var stop = await sink.WaitAsync(e => e.LocalKey == episode.Id && e.Kind == LiveEventKind.Progress, "the stop's resume point");
        Assert.Equal(LiveEventType.Play, play.EventType);
        Assert.Equal(LiveEventType.Stop, stop.EventType);
        foreach (var e in new[] { play, stop })
        {
            Assert.Equal(episode.Name, e.Title);
            Assert.Equal(episode.SeriesName, e.ShowTitle);
            Assert.Equal(episode.ParentIndexNumber, e.Season);
            Assert.Equal(episode.IndexNumber, e.Episode);
            Assert.Equal(user.Name, e.AccountName);
            Assert.Equal(episode.RunTimeTicks / TimeSpan.TicksPerMillisecond, e.DurationMs);
        }

        // Emby's webhooks carry no year; the Webhook plugin's do.
        Assert.Equal(flavor == JellyfinFlavor.Jellyfin ? episode.Year : null, stop.Year);
        Assert.Equal(long.Parse(stop.Value!, CultureInfo.InvariantCulture), stop.PositionMs);
        Assert.Equal(flavor == JellyfinFlavor.Jellyfin ? "PlaybackStop" : "playback.stop", stop.SourceEvent);
    }

    [Fact]
    public async Task JellyfinPlugin_DeviceAndClient_BecomePlayerAndPlatform()
    {
        var sink = new RecordingSink();
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(), sink.Register);
        const string Body = """
            {"NotificationType":"PlaybackStop","ServerId":"srv1","NotificationUsername":"ada","UserId":"u1","ItemId":"e1","ItemType":"Episode",
             "Name":"Pilot","SeriesName":"The Show","SeasonNumber":2,"EpisodeNumber":5,"Year":2019,"RunTimeTicks":30000000000,
             "PlaybackPositionTicks":1200000000,"PlayedToCompletion":false,"DeviceName":"Living Room","DeviceId":"d1","ClientName":"Jellyfin Web","Rating":"7.5"}
            """;

        using var content = new StringContent(Body, Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync($"/webhooks/jellyfin/{WebhookKit.Secret}", content)).StatusCode);

        var e = await sink.WaitAsync(e => e.LocalKey == "e1" && e.Kind == LiveEventKind.Progress, "the stop");
        Assert.Equal(("Pilot", "The Show", 2, 5, 2019), (e.Title, e.ShowTitle, e.Season, e.Episode, e.Year));
        Assert.Equal(("Living Room", "Jellyfin Web", "ada"), (e.Player, e.Platform, e.AccountName));
        Assert.Equal((120_000L, 3_000_000L, 7.5), (e.PositionMs, e.DurationMs, e.Rating));
    }

    [Fact]
    public async Task EmbyWebhook_SessionDeviceClientYear_BecomeSessionKeyPlayerPlatformYear()
    {
        var sink = new RecordingSink();
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(), sink.Register);
        const string Body = """
            {"Title":"ada: playback.start Pilot","Event":"playback.start","User":{"Name":"ada","Id":"u1"},
             "Item":{"Name":"Pilot","Id":"e1","Type":"Episode","SeriesName":"The Show","ParentIndexNumber":2,"IndexNumber":5,"ProductionYear":2019,"RunTimeTicks":30000000000},
             "Server":{"Name":"home","Id":"srv1"},
             "Session":{"RemoteEndPoint":"10.0.0.5","Client":"Emby Theater","DeviceName":"Living Room","DeviceId":"d1","Id":"s-42"},
             "PlaybackInfo":{"PositionTicks":0}}
            """;

        using var content = new StringContent(Body, Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync($"/webhooks/emby/{WebhookKit.Secret}", content)).StatusCode);

        var e = await sink.WaitAsync(e => e.LocalKey == "e1" && e.Kind == LiveEventKind.Play, "the start");
        Assert.Equal(("Pilot", "The Show", 2, 5, 2019), (e.Title, e.ShowTitle, e.Season, e.Episode, e.Year));
        Assert.Equal(("Living Room", "Emby Theater", "s-42", "ada"), (e.Player, e.Platform, e.SessionKey, e.AccountName));
        Assert.Equal(("playback.start", LiveEventType.Play), (e.SourceEvent, e.EventType));
    }

    [Fact]
    public async Task EmbyPauseAndUnpause_ReachConsumers_AsPauseAndResume_AtTheirPositions()
    {
        var sink = new RecordingSink();
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(), sink.Register);

        foreach (var (name, ticks) in new[] { ("playback.pause", 1_200_000_000L), ("playback.unpause", 1_200_000_000L) })
        {
            var body = "{\"Event\":\"" + name + "\",\"User\":{\"Name\":\"ada\",\"Id\":\"u1\"},\"Item\":{\"Name\":\"Arrival\",\"Id\":\"m1\",\"Type\":\"Movie\",\"RunTimeTicks\":69600000000},"
                + "\"Server\":{\"Name\":\"home\",\"Id\":\"srv1\"},\"PlaybackInfo\":{\"PositionTicks\":" + ticks.ToString(CultureInfo.InvariantCulture) + "}}";
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync($"/webhooks/emby/{WebhookKit.Secret}", content)).StatusCode);
        }

        var pause = await sink.WaitAsync(e => e.Kind == LiveEventType.Pause, "the pause");
        var resume = await sink.WaitAsync(e => e.Kind == LiveEventType.Resume, "the resume");
        Assert.Equal(("m1", "u1", "Arrival", 120_000L), (pause.LocalKey, pause.AccountId, pause.Title, pause.PositionMs));
        Assert.Equal(("playback.unpause", LiveEventType.Resume, 120_000L), (resume.SourceEvent, resume.EventType, resume.PositionMs));
        Assert.Equal(2, sink.Events.Count);
    }
}
