using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marquee.Core.Webhooks;
using Marquee.Providers.Jellyfin;
using Marquee.Providers.Plex;
using Marquee.Simulators.Jellyfin;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>What the inbox keeps once a delivery is handled, and for how long.</summary>
public sealed class InboxRetentionTests
{
    [Fact]
    public async Task HandledDelivery_KeepsTheCompactPayload_AndRepeatsOnlyPointAtTheFirst()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        var summary = new string('x', 4000);
        var payload = WebhookKit.Scrobble("4242").Replace("\"type\":\"movie\"", $"\"type\":\"movie\",\"summary\":\"{summary}\",\"Role\":[{{\"tag\":\"Someone\"}}]", StringComparison.Ordinal);

        // Act: the same delivery three times, with a thumbnail.
        for (var i = 0; i < 3; i++)
        {
            using var content = WebhookKit.Multipart(payload, thumb: true);
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync(WebhookKit.Path(), content)).StatusCode);
        }

        await WebhookKit.WaitHandledAsync(app, 3);

        // Assert: the first keeps what diagnosis needs (and parses as before); the repeats keep a pointer to it.
        var store = app.Services.GetRequiredService<IInboxStore>();
        var first = (await store.GetAsync(1, CancellationToken.None))!;
        var kept = Encoding.UTF8.GetString(first.Body);
        Assert.Equal(InboxStatus.Handled, first.Status);
        Assert.DoesNotContain(summary, kept, StringComparison.Ordinal);
        Assert.DoesNotContain("Role", kept, StringComparison.Ordinal);
        Assert.True(first.Body.Length < 600, $"{first.Body.Length} bytes kept");
        Assert.Equal(PlexWebhookParser.Parse(Encoding.UTF8.GetBytes(payload)), PlexWebhookParser.Parse(first.Body));
        foreach (var id in new long[] { 2, 3 })
        {
            var repeat = (await store.GetAsync(id, CancellationToken.None))!;
            Assert.Equal(InboxStatus.Handled, repeat.Status);
            Assert.Equal("{\"duplicateOf\":1}", Encoding.UTF8.GetString(repeat.Body));
        }
    }

    [Theory]
    [InlineData(JellyfinFlavor.Jellyfin, "jellyfin")]
    [InlineData(JellyfinFlavor.Emby, "emby")]
    public async Task HandledJellyfinAndEmbyDeliveries_KeepTheirDiagnosticFields(JellyfinFlavor flavor, string kind)
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        await using var sim = await JellyfinSimulator.StartAsync(
            new JellyfinSimulatorOptions { Flavor = flavor, Movies = 5, Shows = 1, Users = 1, WebhookUrl = new Uri(app.Address, $"/webhooks/{kind}/{WebhookKit.Secret}"), ClockStart = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000) },
            CancellationToken.None);
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var episode = sim.State.Items().First(i => i.Type == "Episode");
        var movie = sim.State.Items().First(i => i.Type == "Movie");

        // Act: an episode played part way (start, stop with a position) and a movie marked watched, posted by the simulator.
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = sim.Users[0].Name, itemId = episode.Id, percent = 40, stop = true })).IsSuccessStatusCode);
        Assert.True((await control.PostAsJsonAsync("/_sim/mark", new { account = sim.Users[0].Name, itemId = movie.Id, watched = true })).IsSuccessStatusCode);
        await sim.Control.WaitForWebhooksAsync(CancellationToken.None);
        var sent = sim.Control.Webhooks.Deliveries;
        await WebhookKit.WaitHandledAsync(app, sent.Count);

        // Assert: each handled delivery still holds every field the server sent: the event, the user, the server, the
        // item's ids, type, names and numbers, the position and the completion (the simulator sends nothing else).
        var store = app.Services.GetRequiredService<IInboxStore>();
        var kept = new List<JsonNode?>();
        for (var id = 1L; id <= sent.Count; id++)
        {
            var delivery = (await store.GetAsync(id, CancellationToken.None))!;
            Assert.Equal(InboxStatus.Handled, delivery.Status);
            kept.Add(JsonNode.Parse(delivery.Body));
        }

        Assert.True(sent.Count >= 3, $"{sent.Count} deliveries");
        foreach (var delivery in sent)
        {
            var original = JsonNode.Parse(delivery.Body);
            Assert.True(kept.Any(k => JsonNode.DeepEquals(k, original)), $"{delivery.Event} was not kept as sent: {delivery.Body}\nkept: {string.Join("\n", kept.Select(k => k?.ToJsonString()))}");
        }
    }

    [Theory]
    [InlineData("jellyfin", """{"NotificationType":"PlaybackStop","ServerId":"srv1","ServerName":"home","UserId":"u1","NotificationUsername":"ada","ItemId":"e1","ItemType":"Episode","Name":"Pilot","SeriesName":"Show","SeasonNumber":1,"EpisodeNumber":2,"Provider_tvdb":"77","PlaybackPositionTicks":600000000,"PlayedToCompletion":false,"DeviceName":"TV","ClientName":"Jellyfin Web","Overview":"OVERVIEW","Tagline":"TAGLINE"}""")]
    [InlineData("emby", """{"Event":"playback.stop","Title":"ada stopped Pilot","Date":"2026-01-01T00:00:00.0000000Z","User":{"Name":"ada","Id":"u1","Policy":{"IsAdministrator":true}},"Item":{"Name":"Pilot","Id":"e1","Type":"Episode","SeriesName":"Show","ParentIndexNumber":1,"IndexNumber":2,"ProviderIds":{"Tvdb":"77"},"RunTimeTicks":1200000000,"Overview":"OVERVIEW","ImageTags":{"Primary":"TAGLINE"}},"Server":{"Name":"home","Id":"srv1","Version":"4.8"},"Session":{"Client":"Emby Web","DeviceName":"TV","Id":"s1"},"PlaybackInfo":{"PositionTicks":600000000,"PlayedToCompletion":false}}""")]
    public async Task HandledJellyfinAndEmbyDeliveries_DropDescriptions_KeepWhatDiagnosisNeeds(string kind, string payload)
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        var overview = new string('o', 4000);
        var body = payload.Replace("OVERVIEW", overview, StringComparison.Ordinal);

        using (var content = new StringContent(body, Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync($"/webhooks/{kind}/{WebhookKit.Secret}", content)).StatusCode);
        }

        await WebhookKit.WaitHandledAsync(app, 1);

        var delivery = (await app.Services.GetRequiredService<IInboxStore>().GetAsync(1, CancellationToken.None))!;
        var kept = Encoding.UTF8.GetString(delivery.Body);
        Assert.Equal(InboxStatus.Handled, delivery.Status);
        Assert.DoesNotContain(overview, kept, StringComparison.Ordinal);
        Assert.DoesNotContain("TAGLINE", kept, StringComparison.Ordinal);
        Assert.True(delivery.Body.Length < 700, $"{delivery.Body.Length} bytes kept: {kept}");
        var eventName = kind == "emby" ? "playback.stop" : "PlaybackStop";
        foreach (var field in new[] { eventName, "\"ada\"", "\"u1\"", "\"srv1\"", "\"home\"", "\"e1\"", "\"Episode\"", "\"Pilot\"", "\"Show\"", "\"77\"", "600000000", "\"TV\"" })
        {
            Assert.Contains(field, kept, StringComparison.Ordinal);
        }

        Assert.Equal(JellyfinWebhookParser.Parse(Encoding.UTF8.GetBytes(body)), JellyfinWebhookParser.Parse(delivery.Body));
    }

    [Fact]
    public async Task HandledDeliveries_PastTheRetention_AreDeleted_TheRestStays()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Webhooks:RetentionDays", "7")));
        var store = app.Services.GetRequiredService<IInboxStore>();
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        async Task<long> AddAsync(string status, TimeSpan age) =>
            await store.AddAsync(new InboxDelivery(0, "plex", now - age, "application/json", null, Encoding.UTF8.GetBytes("{}"), "k" + age.TotalHours + status, status, 1, now - age, null), CancellationToken.None);
        var old = await AddAsync(InboxStatus.Handled, TimeSpan.FromDays(8));
        var recent = await AddAsync(InboxStatus.Handled, TimeSpan.FromDays(6));
        var rejected = await AddAsync(InboxStatus.Rejected, TimeSpan.FromDays(30));

        // Act
        var pruned = await app.Services.GetRequiredService<InboxProcessor>().PruneAsync(CancellationToken.None);

        // Assert
        Assert.Equal(1, pruned);
        Assert.Null(await store.GetAsync(old, CancellationToken.None));
        Assert.NotNull(await store.GetAsync(recent, CancellationToken.None));
        Assert.NotNull(await store.GetAsync(rejected, CancellationToken.None));
    }
}
