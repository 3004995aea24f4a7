using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Marquee.Core.Webhooks;
using Marquee.Providers.Plex;
using Marquee.Simulators.Jellyfin;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>Jellyfin's Webhook plugin and Emby's webhooks into the same inbox and the same live events as Plex's.</summary>
public sealed class JellyfinWebhookTests
{
    [Theory]
    [InlineData(JellyfinFlavor.Jellyfin, "jellyfin")]
    [InlineData(JellyfinFlavor.Emby, "emby")]
    public async Task SimulatorPlayback_ReachesMarquee_AsTheLiveEventsPlexGives(JellyfinFlavor flavor, string kind)
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        await using var sim = await JellyfinSimulator.StartAsync(
            new JellyfinSimulatorOptions { Flavor = flavor, Movies = 20, Shows = 2, Users = 2, WebhookUrl = new Uri(app.Address, $"/webhooks/{kind}/{WebhookKit.Secret}"), ClockStart = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000) },
            CancellationToken.None);
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var movies = sim.State.Items().Where(i => i.Type == "Movie").ToList();
        var (finished, stopped, marked) = (movies[0], movies[1], movies[2]);
        var user = sim.Users[1];

        // Act: real playback and a mark through the simulator's control API; the simulator posts its webhooks to Marquee.
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = user.Name, itemId = finished.Id, percent = 95, stop = true })).IsSuccessStatusCode);
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = user.Name, itemId = stopped.Id, percent = 30, stop = true })).IsSuccessStatusCode);
        Assert.True((await control.PostAsJsonAsync("/_sim/mark", new { account = user.Name, itemId = marked.Id, watched = true })).IsSuccessStatusCode);
        Assert.True((await control.PostAsJsonAsync("/_sim/items", new { title = "Brand New", year = 2025 })).IsSuccessStatusCode);
        await sim.Control.WaitForWebhooksAsync(CancellationToken.None);

        // Assert: every delivery answered 200 after it was stored, was handled, and became the Plex path's events.
        var deliveries = sim.Control.Webhooks.Deliveries;
        Assert.NotEmpty(deliveries);
        Assert.All(deliveries, d => Assert.Equal(200, d.Status));
        var counts = await WebhookKit.WaitHandledAsync(app, deliveries.Count);
        Assert.Equal(deliveries.Count, counts.Count(InboxStatus.Handled));
        var events = await WebhookKit.EventsAsync(app);
        Assert.All(events, e => Assert.Equal(kind, e.Source));
        Assert.All(events, e => Assert.Equal(sim.State.ServerId, e.ServerId));
        var watched = Assert.Single(events, e => e.Kind == LiveEventKind.Watched && e.LocalKey == finished.Id);
        Assert.Equal(user.Id, watched.AccountId);
        Assert.Equal("movie", watched.MediaType);
        Assert.Single(events, e => e.Kind == LiveEventKind.Play && e.LocalKey == finished.Id && e.AccountId == user.Id);
        var position = sim.Control.Data(user.Name, stopped.Id).PlaybackPositionTicks / TimeSpan.TicksPerMillisecond;
        Assert.True(position > 0);
        Assert.Single(events, e => e.Kind == LiveEventKind.Progress && e.LocalKey == stopped.Id && e.Value == position.ToString(CultureInfo.InvariantCulture));
        Assert.DoesNotContain(events, e => e.Kind == LiveEventKind.Watched && e.LocalKey == stopped.Id);
        Assert.DoesNotContain(events, e => e.Kind == LiveEventKind.Progress && e.LocalKey == finished.Id);
        Assert.Single(events, e => e.Kind == LiveEventKind.Watched && e.LocalKey == marked.Id && e.AccountId == user.Id);
        var added = Assert.Single(events, e => e.Kind == LiveEventKind.ItemAdded);
        Assert.Equal(PlexWebhookEvents.AnyAccount, added.AccountId);
        Assert.Equal(sim.State.Items().Single(i => i.Name == "Brand New").Id, added.LocalKey);
    }

    [Fact]
    public async Task RatingInThePayload_IsARatingEvent_SameDeliveryTwice_OneEvent()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        var payload = Plugin("\"NotificationType\":\"UserDataSaved\",\"SaveReason\":\"UpdateUserRating\",\"Played\":\"False\",\"Rating\":\"7.5\"");

        for (var i = 0; i < 2; i++)
        {
            using var content = Json(payload);
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync(Path(), content)).StatusCode);
        }

        Assert.Equal(2, (await WebhookKit.WaitHandledAsync(app, 2)).Count(InboxStatus.Handled));
        var rating = Assert.Single(await WebhookKit.EventsAsync(app));
        Assert.Equal(LiveEventKind.Rating, rating.Kind);
        Assert.Equal("7.5", rating.Value);
        Assert.Equal("u1", rating.AccountId);
    }

    [Fact]
    public async Task TokenInTheQuery_IsAccepted()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());

        using var content = Json(Plugin("\"NotificationType\":\"PlaybackStop\",\"PlayedToCompletion\":true,\"PlaybackPositionTicks\":0"));
        var response = await app.Client.PostAsync($"/webhooks/jellyfin?token={WebhookKit.Secret}", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LiveEventKind.Watched, Assert.Single(await WaitEventsAsync(app, 1)).Kind);
    }

    [Theory]
    [InlineData("/webhooks/jellyfin/wrong")]
    [InlineData("/webhooks/jellyfin?token=wrong")]
    [InlineData("/webhooks/jellyfin")]
    [InlineData("/webhooks/emby/wrong")]
    public async Task WrongSecret_401_NothingStored(string path)
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());

        using var content = Json(Plugin("\"NotificationType\":\"PlaybackStop\",\"PlayedToCompletion\":true"));
        var response = await app.Client.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await WebhookKit.CountsAsync(app)).ByStatus);
    }

    [Fact]
    public async Task MalformedCorpus_Interleaved_With_ValidDeliveries_400_KeptForDiagnosis_NoValidDeliveryLost()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        var valid = 0;
        foreach (var (name, body) in Corpus())
        {
            // A valid delivery before each bad one, each for another item so each gives its own event.
            using (var good = Json(Plugin("\"NotificationType\":\"PlaybackStop\",\"PlayedToCompletion\":true", item: "item" + valid.ToString(CultureInfo.InvariantCulture))))
            {
                Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync(Path(), good)).StatusCode);
                valid++;
            }

            using var bad = Json(body);
            var response = await app.Client.PostAsync(Path(), bad);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode}");
            var problem = await app.JsonAsync(response);
            Assert.Equal("The body is not a Jellyfin webhook.", problem.GetProperty("title").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/healthz")).StatusCode);
        var counts = await WebhookKit.WaitHandledAsync(app, valid + Corpus().Count);
        Assert.Equal(valid, counts.Count(InboxStatus.Handled));
        Assert.Equal(Corpus().Count, counts.Count(InboxStatus.Rejected));
        Assert.Equal(valid, counts.LiveEvents);

        // Each rejected body is kept byte for byte, with why it was refused.
        var recent = await app.JsonAsync(await app.Client.GetAsync("/api/webhooks/deliveries"));
        var rejected = recent.EnumerateArray().First(d => d.GetProperty("inboxStatus").GetString() == InboxStatus.Rejected);
        var stored = await app.Services.GetRequiredService<IInboxStore>().GetAsync(rejected.GetProperty("id").GetInt64(), CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal("jellyfin", stored.Source);
        Assert.Equal(Corpus().Last().Value, Encoding.UTF8.GetString(stored.Body));
        Assert.False(string.IsNullOrEmpty(stored.Error));
    }

    [Fact]
    public async Task BodyOverTheLimit_413_NothingStored()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Webhooks:MaxBodyBytes", "65536")));
        var stream = new MalformedCorpusTests.CountingStream(50L * 1024 * 1024);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var chunked = new HttpRequestMessage(HttpMethod.Post, Path()) { Content = content };
        chunked.Headers.TransferEncodingChunked = true;

        int status;
        try
        {
            using var response = await app.Client.SendAsync(chunked);
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The server answered 413 and closed the connection while the body was still being sent.
            status = 413;
        }

        Assert.Equal(413, status);
        Assert.True(stream.Consumed < 50L * 1024 * 1024, $"read {stream.Consumed} bytes");
        Assert.Empty((await WebhookKit.CountsAsync(app)).ByStatus);
    }

    private static string Path() => $"/webhooks/jellyfin/{WebhookKit.Secret}";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Plugin(string fields, string item = "a1b2c3") =>
        $$"""{"ServerId":"srv1","ServerName":"home","NotificationUsername":"ada","UserId":"u1","ItemId":"{{item}}","ItemType":"Movie","Name":"Arrival",{{fields}}}""";

    private static async Task<IReadOnlyList<LiveEvent>> WaitEventsAsync(MarqueeApp app, long deliveries)
    {
        await WebhookKit.WaitHandledAsync(app, deliveries);
        return await WebhookKit.EventsAsync(app);
    }

    private static List<KeyValuePair<string, string>> Corpus() =>
    [
        new("invalid json", "{\"NotificationType\":\"PlaybackStop\","),
        new("not json at all", "<xml/>"),
        new("json array", "[]"),
        new("json null", "null"),
        new("empty body", string.Empty),
        new("no event name", "{\"ItemId\":\"a\",\"UserId\":\"u\"}"),
        new("event is a number", "{\"NotificationType\":12,\"ItemId\":\"a\",\"UserId\":\"u\"}"),
        new("empty event", "{\"NotificationType\":\"\"}"),
        new("stop without an item", "{\"NotificationType\":\"PlaybackStop\",\"UserId\":\"u\",\"PlayedToCompletion\":true}"),
        new("stop without a user", "{\"NotificationType\":\"PlaybackStop\",\"ItemId\":\"a\",\"PlayedToCompletion\":true}"),
        new("item added without an item", "{\"NotificationType\":\"ItemAdded\"}"),
        new("item id is an object", "{\"NotificationType\":\"ItemAdded\",\"ItemId\":{}}"),
        new("completion is text", Plugin("\"NotificationType\":\"PlaybackStop\",\"PlayedToCompletion\":\"nearly\"")),
        new("position is text", Plugin("\"NotificationType\":\"PlaybackStop\",\"PlaybackPositionTicks\":\"late\"")),
        new("negative position", Plugin("\"NotificationType\":\"PlaybackStop\",\"PlaybackPositionTicks\":-5")),
        new("rating out of range", Plugin("\"NotificationType\":\"UserDataSaved\",\"Rating\":11")),
        new("emby user is a string", "{\"Event\":\"playback.stop\",\"User\":\"ada\",\"Item\":{\"Id\":\"1\"}}"),
        new("emby event without an item", "{\"Event\":\"item.markplayed\",\"User\":{\"Id\":\"u\"}}"),
        new("deeply nested", "{\"NotificationType\":\"PlaybackStop\",\"x\":" + new string('[', 200) + new string(']', 200) + "}"),
    ];
}
