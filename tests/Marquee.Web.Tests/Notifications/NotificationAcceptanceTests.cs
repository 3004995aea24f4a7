using System.Net.Http.Json;
using Marquee.Simulators.Discord;
using Marquee.Simulators.Ntfy;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;

namespace Marquee.Web.Tests.Notifications;

/// <summary>Real Marquee, the Plex simulator's playback (webhooks, event stream, poller) and the Discord and ntfy simulators.</summary>
[Trait("Category", "Scenario")]
public sealed class NotificationAcceptanceTests
{
    [Fact]
    public async Task Playback_ThroughWebhooks_ReachesDiscordAndNtfy_WithTriggerUserAndFields()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        await using var ntfy = await NtfySimulator.StartAsync(new NtfySimulatorOptions { Tokens = ["tk_marquee"] }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());
        await using var sim = await WebhookKit.StartSimAsync(app);
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "play", "finished" } });
        await NotifyKit.CreateChannelAsync(app, new { name = "phone", kind = "ntfy", url = new Uri(ntfy.BaseUri, "/plex").ToString(), secret = "tk_marquee", triggers = new[] { "play" } });
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var movie = sim.State.ItemsOfType(1, ItemType.Movie)[2];

        // Act: the owner plays a movie to the end.
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 20 })).IsSuccessStatusCode);
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1 && ntfy.State.Messages.Count >= 1, "the play notification");
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 97, stop = true })).IsSuccessStatusCode);
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 2, "the finished notification");

        // Assert
        var embeds = discord.State.Messages.Select(m => m.Body!["embeds"]![0]!).ToList();
        var play = embeds[0];
        Assert.Equal($"{sim.Owner.Name} started {movie.Title} ({movie.Year})", play["title"]!.GetValue<string>());
        Assert.Equal(0xE5A00D, play["color"]!.GetValue<int>());
        Assert.Equal(sim.Owner.Name, play["author"]!["name"]!.GetValue<string>());
        Assert.Contains(play["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "User" && f["value"]!.GetValue<string>() == sim.Owner.Name);
        Assert.Contains($"key=%2Flibrary%2Fmetadata%2F{movie.RatingKey}", play["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"{sim.Owner.Name} finished {movie.Title} ({movie.Year})", embeds[1]["title"]!.GetValue<string>());
        var phone = Assert.Single(ntfy.State.Messages);
        Assert.Equal(("plex", $"{sim.Owner.Name} started {movie.Title} ({movie.Year})", 3), (phone.Topic, phone.Title, phone.Priority));
        Assert.Equal("Bearer tk_marquee", phone.Authorization);
        Assert.Contains("arrow_forward", phone.Tags!);
        Assert.StartsWith("https://app.plex.tv/desktop/#!/server/", phone.Click, StringComparison.Ordinal);

        // The webhook URL's token and the ntfy token are in no log line.
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains(discord.State.Webhooks[0].Token, StringComparison.Ordinal) || e.Message.Contains("tk_marquee", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SamePlayback_ThroughWebhookStreamAndPoller_GivesOnePlayPerChannel_AndARestartSendsNothingAgain()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var ntfy = await NtfySimulator.StartAsync(new NtfySimulatorOptions(), CancellationToken.None);
        using var folder = new Marquee.TestKit.TempFolder();
        var settings = NotifyKit.Settings(("Marquee:DataFolder", folder.Path));
        var app = await MarqueeApp.StartAsync(settings);
        await using var sim = await WebhookKit.StartSimAsync(app);
        var friend = sim.State.Accounts.First(a => a.Kind == SimAccountKind.Friend);
        IReadOnlyList<WebhookDelivery> deliveries;
        try
        {
            await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
            await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "play" } });
            await NotifyKit.CreateChannelAsync(app, new { name = "phone", kind = "ntfy", url = new Uri(ntfy.BaseUri, "/plex").ToString(), triggers = new[] { "play" } });
            await NotifyKit.WaitForAsync(() => StreamUp(app), "the event stream");
            using var control = new HttpClient { BaseAddress = sim.BaseUri };
            var movie = sim.State.ItemsOfType(1, ItemType.Movie)[5].RatingKey;

            // Act: a shared user plays (the owner's webhook gets media.play and playback.started), held so the poller sees it too.
            Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = friend.Name, ratingKey = movie, percent = 10 })).IsSuccessStatusCode);
            await sim.Control.WaitForWebhooksAsync(CancellationToken.None);
            await WebhookKit.WaitHandledAsync(app, sim.Control.Webhooks.Deliveries.Count);
            await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1 && ntfy.State.Messages.Count >= 1, "the play notifications");
            await Task.Delay(2000);
            deliveries = sim.Control.Webhooks.Deliveries;
            Assert.Contains(deliveries, d => d.Event == "playback.started");
            Assert.Contains(deliveries, d => d.Event == "media.play");
        }
        finally
        {
            await app.DisposeAsync();
        }

        // Restart on the same data folder: the playback is still going (stream and poller see it again), and Plex
        // sends its webhooks again.
        await using var again = await MarqueeApp.StartAsync(settings);
        using var post = new HttpClient { BaseAddress = again.Address };
        foreach (var delivery in deliveries)
        {
            using var response = await post.PostAsync(WebhookKit.Path(), WebhookKit.Multipart(delivery.Payload, thumb: false));
            Assert.True(response.IsSuccessStatusCode);
        }

        await WebhookKit.WaitHandledAsync(again, deliveries.Count);
        await NotifyKit.WaitForAsync(() => StreamUp(again), "the event stream after the restart");
        await Task.Delay(2000);

        Assert.Single(discord.State.Messages);
        Assert.Single(ntfy.State.Messages);
        Assert.StartsWith(friend.Name + " started ", discord.State.Messages[0].Body!["embeds"]![0]!["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachPlaybackTrigger_WithoutPlexPassWebhooks_ComesFromTheEventStreamAndPoller_OnceEach()
    {
        // Arrange: no webhook is set on the server (no Plex Pass); only the event stream and the session poller report.
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var sim = await PlexSimulator.StartAsync(
            new PlexSimulatorOptions { Movies = 30, Shows = 4, HomeUsers = 1, Friends = 1 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "play", "pause", "resume", "stop", "finished" } });
        await NotifyKit.WaitForAsync(() => StreamUp(app), "the event stream");
        var friend = sim.State.Accounts.First(a => a.Kind == SimAccountKind.Friend);
        var movie = sim.State.ItemsOfType(1, ItemType.Movie)[7];
        var other = sim.State.ItemsOfType(1, ItemType.Movie)[8];
        var title = $"{movie.Title} ({movie.Year})";
        string[] Titles() => [.. discord.State.Messages.Select(m => m.Body!["embeds"]![0]!["title"]!.GetValue<string>())];

        // Act + Assert, one step at a time so each message is the step's own.
        sim.Control.Play(friend.Name, movie.RatingKey, movie.Duration / 5, clientId: "tv");
        await NotifyKit.WaitForAsync(() => Titles().Contains($"{friend.Name} started {title}"), "the play");
        sim.Control.Play(friend.Name, movie.RatingKey, movie.Duration / 4, clientId: "tv", pause: true);
        await NotifyKit.WaitForAsync(() => Titles().Contains($"{friend.Name} paused {title}"), "the pause");
        sim.Control.Play(friend.Name, movie.RatingKey, movie.Duration / 3, clientId: "tv");
        await NotifyKit.WaitForAsync(() => Titles().Contains($"{friend.Name} resumed {title}"), "the resume");
        sim.Control.Play(friend.Name, movie.RatingKey, movie.Duration / 2, clientId: "tv", stop: true);
        await NotifyKit.WaitForAsync(() => Titles().Contains($"{friend.Name} stopped {title}"), "the stop");
        sim.Control.Play(friend.Name, other.RatingKey, other.Duration * 97 / 100, clientId: "tv", stop: true);
        await NotifyKit.WaitForAsync(() => Titles().Contains($"{friend.Name} finished {other.Title} ({other.Year})"), "the finished (settled from the history, named as the account's earlier events named it)");
        await Task.Delay(2000);

        // Each trigger once: the stream and the poller both saw every step.
        var titles = Titles();
        foreach (var expected in new[] { "started", "paused", "resumed", "stopped" })
        {
            Assert.Equal(1, titles.Count(t => t == $"{friend.Name} {expected} {title}"));
        }

        Assert.Equal(1, titles.Count(t => t == $"{friend.Name} finished {other.Title} ({other.Year})"));
        Assert.Empty(sim.Control.Webhooks.Deliveries);
    }

    [Fact]
    public async Task RatingNewDeviceAndDatabaseEvents_FromPlexWebhooks_ReachDiscord_EachWithItsTriggerUserAndColour()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());
        await using var sim = await WebhookKit.StartSimAsync(app);
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "rating", "new-device", "database-backup", "database-corrupted" } });
        var movie = sim.State.ItemsOfType(1, ItemType.Movie)[4];
        System.Text.Json.Nodes.JsonNode Embed(string title) =>
            discord.State.Messages.Select(m => m.Body!["embeds"]![0]!).First(e => e["title"]!.GetValue<string>().StartsWith(title, StringComparison.Ordinal));

        // Act: the owner rates a movie; the server reports a new device, a backup and a corruption.
        sim.State.Rate(sim.Owner, movie, 8, 1_750_000_100);
        sim.Control.SendAdminWebhook("device.new");
        sim.Control.SendAdminWebhook("admin.database.backup");
        sim.Control.SendAdminWebhook("admin.database.corrupted");
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 4, "four messages");
        await Task.Delay(1500);

        // Assert: one message each, with its trigger's title, colour and details.
        Assert.Equal(4, discord.State.Messages.Count);
        var rated = Embed($"{sim.Owner.Name} rated {movie.Title} ({movie.Year})");
        Assert.Equal(0xFEE75C, rated["color"]!.GetValue<int>());
        Assert.Contains("8", rated["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(rated["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "User" && f["value"]!.GetValue<string>() == sim.Owner.Name);
        Assert.Equal(0x5865F2, Embed("New device on ")["color"]!.GetValue<int>());
        Assert.Contains(sim.Owner.Name, Embed("New device on ")["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0x57F287, Embed("Database backed up")["color"]!.GetValue<int>());
        Assert.EndsWith("backed its database up.", Embed("Database backed up")["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0xED4245, Embed("Database corrupted")["color"]!.GetValue<int>());
    }

    private static bool StreamUp(MarqueeApp app) =>
        app.Logs.Entries.Any(e => e.Message.Contains("event stream of Plex connection", StringComparison.Ordinal) && e.Message.Contains(" connected", StringComparison.Ordinal));
}
