using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Core.Webhooks;
using Marquee.Hosting.Security;
using Marquee.Providers.Plex;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Webhooks;

public sealed class WebhookIngestTests
{
    [Fact]
    public async Task SimulatorPlayback_EveryEventType_IsStoredHandledAndNormalised()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        await using var sim = await WebhookKit.StartSimAsync(app);
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var movies = sim.State.ItemsOfType(1, Marquee.Simulators.Plex.Model.ItemType.Movie);
        var (watched, paused, rated) = (movies[0].RatingKey, movies[1].RatingKey, movies[2].RatingKey);
        var friend = sim.Accounts.First(a => a.Kind == Marquee.Simulators.Plex.SimAccountKind.Friend);

        // Act: real playback through the control API and a real rating through PMS; the simulator posts real webhooks.
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = watched, percent = 95, stop = true })).IsSuccessStatusCode);
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = paused, positionMs = 600_000, pause = true })).IsSuccessStatusCode);
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = friend.Name, ratingKey = watched, percent = 30 })).IsSuccessStatusCode);
        using var rate = new HttpRequestMessage(HttpMethod.Put, $"/:/rate?key={rated}&identifier=com.plexapp.plugins.library&rating=8");
        rate.Headers.Add("X-Plex-Token", sim.Owner.AccountToken);
        Assert.True((await control.SendAsync(rate)).IsSuccessStatusCode);
        Assert.True((await control.PostAsJsonAsync("/_sim/items", new { title = "Brand New", sectionId = 1, year = 2025 })).IsSuccessStatusCode);
        Assert.True((await control.PostAsJsonAsync("/_sim/webhooks/admin", new { @event = "admin.database.backup" })).IsSuccessStatusCode);
        await sim.Control.WaitForWebhooksAsync(CancellationToken.None);

        // Assert: every delivery got 200, was stored and handled, and became the right events.
        var deliveries = sim.Control.Webhooks.Deliveries;
        Assert.All(deliveries, d => Assert.Equal(200, d.Status));
        var names = deliveries.Select(d => d.Event).ToHashSet();
        foreach (var name in new[] { "media.play", "media.scrobble", "media.stop", "media.pause", "media.rate", "library.new", "playback.started", "admin.database.backup" })
        {
            Assert.Contains(name, names);
        }

        var counts = await WebhookKit.WaitHandledAsync(app, deliveries.Count);
        Assert.Equal(deliveries.Count, counts.Count(InboxStatus.Handled));
        var events = await WebhookKit.EventsAsync(app);
        string Key(int ratingKey) => ratingKey.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Single(events, e => e.Kind == LiveEventKind.Watched && e.LocalKey == Key(watched) && e.AccountId == PlexWebhookEvents.OwnerAccount);
        Assert.Single(events, e => e.Kind == LiveEventKind.Progress && e.LocalKey == Key(paused) && e.Value == "600000");
        Assert.Single(events, e => e.Kind == LiveEventKind.Rating && e.LocalKey == Key(rated) && e.Value == "8.0");
        Assert.Single(events, e => e.Kind == LiveEventKind.ItemAdded);

        // media.play and playback.started for the friend's playback are one start.
        Assert.Single(events, e => e.Kind == LiveEventKind.Play && e.LocalKey == Key(watched) && e.AccountId == friend.PlexTvId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(deliveries, d => d.Event == "playback.started");
    }

    [Fact]
    public async Task SameDelivery_Posted100Times_AllStored_OneEvent()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        var payload = WebhookKit.Scrobble();

        for (var i = 0; i < 100; i++)
        {
            using var content = WebhookKit.Multipart(payload);
            var response = await app.Client.PostAsync(WebhookKit.Path(), content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var counts = await WebhookKit.WaitHandledAsync(app, 100);
        Assert.Equal(100, counts.Count(InboxStatus.Handled));
        Assert.Equal(1, counts.LiveEvents);
        var e = Assert.Single(await WebhookKit.EventsAsync(app));
        Assert.Equal(LiveEventKind.Watched, e.Kind);
    }

    [Fact]
    public async Task TokenInTheQuery_IsAccepted()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());

        using var content = WebhookKit.Multipart(WebhookKit.Scrobble());
        var response = await app.Client.PostAsync($"/webhooks/plex?token={WebhookKit.Secret}", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await WebhookKit.WaitHandledAsync(app, 1)).LiveEvents);
    }

    [Theory]
    [InlineData("/webhooks/plex/wrong")]
    [InlineData("/webhooks/plex/WEBHOOKSECRET-4e9d2b7a1")]
    [InlineData("/webhooks/plex/WEBHOOKSECRET-4e9d2b7a1c0")]
    [InlineData("/webhooks/plex?token=wrong")]
    [InlineData("/webhooks/plex")]
    public async Task WrongSecret_401_NoDetail_NothingStored(string path)
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());

        using var content = WebhookKit.Multipart(WebhookKit.Scrobble());
        var response = await app.Client.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("token", body, StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await WebhookKit.CountsAsync(app)).ByStatus);
    }

    [Fact]
    public async Task NoSecretConfigured_OneIsGeneratedAndKeptInTheDataFolder()
    {
        await using var app = await MarqueeApp.StartAsync();
        var secret = app.Services.GetRequiredService<WebhookSecret>();

        using var content = WebhookKit.Multipart(WebhookKit.Scrobble());
        var response = await app.Client.PostAsync(WebhookKit.Path(secret.Value), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(secret.Value.Length >= 32);
        Assert.Equal(secret.Value, (await File.ReadAllTextAsync(Path.Combine(app.DataFolder, WebhookSecret.FileName))).Trim());
    }

    [Fact]
    public async Task OverTheRateLimit_429()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(
            ("Marquee:Webhooks:RateLimit:PermitLimit", "3"), ("Marquee:Webhooks:RateLimit:QueueLimit", "0"), ("Marquee:Webhooks:RateLimit:WindowSeconds", "60")));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var content = WebhookKit.Multipart(WebhookKit.Scrobble());
            statuses.Add((await app.Client.PostAsync(WebhookKit.Path(), content)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task RecentDeliveries_AreKeptInMemory_Bounded()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Webhooks:HistorySize", "5")));

        for (var i = 0; i < 8; i++)
        {
            using var content = WebhookKit.Multipart(WebhookKit.Scrobble(ratingKey: (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await app.Client.PostAsync(WebhookKit.Path(), content);
        }

        await WebhookKit.WaitHandledAsync(app, 8);
        var recent = await app.JsonAsync(await app.Client.GetAsync("/api/webhooks/deliveries"));
        Assert.Equal(5, recent.GetArrayLength());
        Assert.Equal("media.scrobble", recent[0].GetProperty("event").GetString());
        Assert.DoesNotContain(WebhookKit.Secret, recent.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Number, recent[0].GetProperty("id").ValueKind);
    }
}
