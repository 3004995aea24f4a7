using Marquee.Simulators.Discord;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Ntfy;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Outbox;

namespace Marquee.Web.Tests.Notifications;

/// <summary>Marquee's own triggers (runs, unresolved items, connections, dead letters) and stale notifications, through the simulators.</summary>
[Trait("Category", "Scenario")]
public sealed class OwnTriggerTests
{
    private const string Endpoint = "POST /api/webhooks/{webhookId}/{token}";

    [Fact]
    public async Task UnresolvedItems_AreToldOncePerSet_AndAFailedRunIsTold()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var servers = await Servers.StartAsync();
        var (left, right, app) = (servers.Left, servers.Right, servers.App);
        Assert.True((await app.PostJsonAsync("/api/flows", new { name = "ab", from = "plex-a", to = "plex-b" })).IsSuccessStatusCode);
        await NotifyKit.CreateChannelAsync(app, new { name = "ops", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "items-unresolved", "run-failed" } });

        // A movie only the server itself knows (no agent match): it cannot be resolved.
        var local = left.State.ItemsOfType(1, ItemType.Movie)[0];
        local.PrimaryGuid = $"local://{local.RatingKey}";
        local.ExternalGuids = [];

        // Act: two runs that leave the same item unresolved.
        await SyncAsync(app);
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1, "the unresolved notification");
        await SyncAsync(app);

        // Act: plex-b answers every request with a 500; the run fails.
        right.Control.SetFault("*", new FaultSpec { Error500 = 1 });
        await SyncAsync(app);
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 2, "the failed-run notification", TimeSpan.FromSeconds(90));
        await Task.Delay(1000);

        // Assert: one message for the unresolved set (the second run's same set is quiet), one for the failed run.
        var embeds = discord.State.Messages.Select(m => m.Body!["embeds"]![0]!).ToList();
        Assert.Equal(2, embeds.Count);
        Assert.Matches("^[1-5] items unresolved: ab$", embeds[0]["title"]!.GetValue<string>());
        Assert.Contains($"{local.Title} on plex-a", embeds[0]["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Sync run failed: ab", embeds[1]["title"]!.GetValue<string>());
        Assert.Equal(0xED4245, embeds[1]["color"]!.GetValue<int>());
    }

    [Fact]
    public async Task ARunHeldByTheRemovalGuard_IsTold_WithItsReason()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var servers = await Servers.StartAsync();
        var (left, right, app) = (servers.Left, servers.Right, servers.App);
        await NotifyKit.CreateChannelAsync(app, new { name = "ops", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "run-held", "run-failed" } });

        // Two movies both servers hold once, unwatched on both; the owner watches them on plex-a and a mirror flow
        // (at most one removal per run) copies the watches to plex-b.
        var movies = left.State.ItemsOfType(1, ItemType.Movie)
            .Where(m => m.EditionTitle is null && m.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)
                && left.State.ItemsOfType(1, ItemType.Movie).Count(o => o.PrimaryGuid == m.PrimaryGuid) == 1
                && right.State.ItemsOfType(1, ItemType.Movie).Count(t => t.PrimaryGuid == m.PrimaryGuid && t.EditionTitle is null) == 1
                && left.State.State(left.Owner, m).IsEmpty && right.State.State(right.Owner, right.State.ItemsOfType(1, ItemType.Movie).First(t => t.PrimaryGuid == m.PrimaryGuid)).IsEmpty)
            .Take(2).ToList();
        Assert.Equal(2, movies.Count);
        movies.ForEach(m => left.Control.Mark("owner", m.RatingKey, watched: true));
        Assert.True((await app.PostRawAsync("/api/flows", """{"name":"ab","from":"plex-a","to":"plex-b","features":["watched"],"mode":"mirror","guards":{"maxRemovals":1,"maxRemovalPercent":100}}""")).IsSuccessStatusCode);
        Assert.Equal("done", await RunStatusAsync(app));

        // Act: both watches taken back on plex-a: two removals, more than the guard allows; the run is held.
        left.Control.AdvanceClock(TimeSpan.FromHours(1));
        right.Control.AdvanceClock(TimeSpan.FromHours(1));
        movies.ForEach(m => left.Control.Mark("owner", m.RatingKey, watched: false));
        Assert.Equal("held", await RunStatusAsync(app));
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1, "the held-run notification");
        await Task.Delay(1000);

        // Assert: one message (the run that was done is not told), in the held colour, saying why.
        var embed = Assert.Single(discord.State.Messages).Body!["embeds"]![0]!;
        Assert.Equal("Sync run held: ab", embed["title"]!.GetValue<string>());
        Assert.Equal(0xFAA61A, embed["color"]!.GetValue<int>());
        Assert.Contains("would remove 2 watched", embed["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableConnection_AndARefusedToken_AreEachToldOnce()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 5, Shows = 0, HomeUsers = 0, Friends = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());
        await NotifyKit.CreateChannelAsync(app, new { name = "ops", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "connection-unreachable", "connection-unauthorized" } });

        // Act: one connection where nothing listens, one whose token the server refuses; the live source retries both.
        await app.CreatePlexAsync("gone", url: OutboxKit.DownUrl().ToString());
        await app.CreatePlexAsync("home", token: "an-expired-token", url: sim.BaseUri.ToString());
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 2, "both notifications", TimeSpan.FromSeconds(60));
        await Task.Delay(2500);

        // Assert
        var titles = discord.State.Messages.Select(m => m.Body!["embeds"]![0]!["title"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Connection unreachable: gone", "Token refused: home"], titles);
    }

    [Fact]
    public async Task ADeadLetteredDelivery_IsToldOnAnotherChannel()
    {
        await using var ntfy = await NtfySimulator.StartAsync(new NtfySimulatorOptions(), CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(("Marquee:Outbox:MaxAttempts", "1")));
        var hook = await NotifyKit.CreateChannelAsync(app, new { name = "hook", kind = "webhook", url = new Uri(OutboxKit.DownUrl(), "/hook").ToString(), triggers = new[] { "play", "delivery-dead" } });
        await NotifyKit.CreateChannelAsync(app, new { name = "phone", kind = "ntfy", url = new Uri(ntfy.BaseUri, "/ops").ToString(), triggers = new[] { "delivery-dead" } });

        // Act: a message to a channel where nothing listens, with one attempt allowed.
        using var test = await app.Client.PostAsync(new Uri($"/api/notifications/{hook}/test", UriKind.Relative), null);
        Assert.True(test.IsSuccessStatusCode);
        await NotifyKit.WaitForAsync(() => ntfy.State.Messages.Count >= 1, "the dead-letter notification");
        await Task.Delay(1000);

        // Assert: told on the other channel only (the dead channel is not told about itself), once.
        var message = Assert.Single(ntfy.State.Messages);
        Assert.Equal("Delivery dead-lettered", message.Title);
        Assert.Contains($"notify: play to channel {hook}", message.Message, StringComparison.Ordinal);
        Assert.Contains("gave up after 1 attempts", message.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANotificationOlderThanTheMaxAge_IsDropped_NotSentLate()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(("Marquee:Notifications:MaxAgeMinutes", "0.02")));
        var id = await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString() });
        discord.Harness.SetFault(Endpoint, new FaultSpec { Error503 = 1 });

        // Act: Discord is down for longer than the notification may wait (1.2 s), then back.
        using var test = await app.Client.PostAsync(new Uri($"/api/notifications/{id}/test", UriKind.Relative), null);
        var delivery = (await app.JsonAsync(test)).GetProperty("id").GetInt64();
        await NotifyKit.WaitForAsync(async () => (await OutboxKit.GetAsync(app, delivery)).GetProperty("attempts").GetInt32() >= 2 && discord.Harness.RequestCounts.GetValueOrDefault(Endpoint) >= 2, "attempts while down");
        await Task.Delay(1300);
        discord.Harness.SetFault(Endpoint, null);
        var done = await OutboxKit.WaitDoneAsync(app, delivery);

        // Assert
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.StartsWith("dropped: the play notification waited", done.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(discord.State.Messages);
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("dropped: it waited", StringComparison.Ordinal));
    }

    /// <summary>Two Plex servers (ten movies each, seeded), plex.tv over both, and Marquee with a connection to each; no live sources.</summary>
    private sealed record Servers(PlexSimulator Left, PlexSimulator Right, PlexTvFederation PlexTv, MarqueeApp App) : IAsyncDisposable
    {
        public static async Task<Servers> StartAsync()
        {
            var options = (int variant, string name) => new PlexSimulatorOptions { Seed = 11, Variant = variant, Movies = 10, Shows = 0, HomeUsers = 0, Friends = 0, ServerName = name };
            var left = await PlexSimulator.StartAsync(options(0, "plex-a"), CancellationToken.None);
            var right = await PlexSimulator.StartAsync(options(1, "plex-b"), CancellationToken.None);
            var plexTv = await PlexTvFederation.StartAsync([left, right], CancellationToken.None);
            var app = await MarqueeApp.StartAsync(NotifyKit.Settings(
                ("Marquee:Plex:PlexTvUrl", plexTv.Uri.ToString()),
                ("Marquee:Webhooks:Live:EventStream", "false"),
                ("Marquee:Webhooks:Live:SessionPoller", "false")));
            await app.CreatePlexAsync("plex-a", token: left.Owner.AccountToken, url: left.BaseUri.ToString());
            await app.CreatePlexAsync("plex-b", token: right.Owner.AccountToken, url: right.BaseUri.ToString());
            return new Servers(left, right, plexTv, app);
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await PlexTv.DisposeAsync();
            await Right.DisposeAsync();
            await Left.DisposeAsync();
        }
    }

    private static async Task<string?> RunStatusAsync(MarqueeApp app)
    {
        using var response = await app.PostJsonAsync("/api/sync", new { flows = new[] { "ab" } });
        return (await app.JsonAsync(response)).GetProperty("runs")[0].GetProperty("run").GetProperty("status").GetString();
    }

    private static async Task SyncAsync(MarqueeApp app)
    {
        using var response = await app.PostJsonAsync("/api/sync", new { flows = new[] { "ab" } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
