using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Simulators.Discord;
using Marquee.Simulators.Infrastructure;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;

namespace Marquee.Web.Tests.Notifications;

/// <summary>Delivery to Discord through the outbox: cooldown, 429, 404, an outage, limits.</summary>
[Trait("Category", "Scenario")]
public sealed class NotificationDeliveryTests
{
    private const string Endpoint = "POST /api/webhooks/{webhookId}/{token}";

    [Fact]
    public async Task ResumeBurst_WithinTheCooldown_IsOneNotification_AndTheCooldownSurvivesARestart()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        using var folder = new Marquee.TestKit.TempFolder();
        var settings = NotifyKit.Settings(("Marquee:DataFolder", folder.Path), ("Marquee:Notifications:CooldownSeconds", "3600"));
        await using (var app = await MarqueeApp.StartAsync(settings))
        {
            await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "resume" } });

            // Act: a seek burst: three resumes at different positions (three distinct events).
            foreach (var offset in new[] { 60_000, 400_000, 900_000 })
            {
                await PostAsync(app, Resume(offset));
            }

            await WebhookKit.WaitHandledAsync(app, 3);
            await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1, "the resume notification");
            await Task.Delay(1500);
        }

        await using (var again = await MarqueeApp.StartAsync(settings))
        {
            await PostAsync(again, Resume(1_500_000));
            await WebhookKit.WaitHandledAsync(again, 4);
            await Task.Delay(1500);
        }

        var message = Assert.Single(discord.State.Messages);
        Assert.Equal("bob resumed Arrival (2016)", message.Body!["embeds"]![0]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discord429_IsWaitedOut_AndTheMessageArrivesOnce()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());
        var id = await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString() });

        // The first attempt meets a 429 asking for 2 s.
        discord.Harness.SetFault(Endpoint, new FaultSpec { TooManyRequests = 1, RetryAfterSeconds = 2, Times = 1 });
        using var test = await app.Client.PostAsync(new Uri($"/api/notifications/{id}/test", UriKind.Relative), null);
        Assert.True(test.IsSuccessStatusCode, await test.Content.ReadAsStringAsync());
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1, "the message after the 429");

        Assert.Equal(2, discord.Harness.RequestCounts[Endpoint]);
        var outbox = await app.Client.GetFromJsonAsync<JsonElement>("/api/outbox");
        var delivery = Assert.Single(outbox.EnumerateArray());
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
        Assert.DoesNotContain(discord.State.Webhooks[0].Token, outbox.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscordRateLimit_RetryAfterFromTheBody_IsHonoured_AndEveryMessageArrivesInOrder()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 2, RateWindowSeconds = 2 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());
        var id = await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString() });
        var triggers = new[] { "play", "pause", "resume", "stop", "finished" };

        foreach (var trigger in triggers)
        {
            using var test = await app.Client.PostAsync(new Uri($"/api/notifications/{id}/test?trigger={trigger}", UriKind.Relative), null);
            Assert.True(test.IsSuccessStatusCode);
        }

        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 5, "five messages", TimeSpan.FromSeconds(60));

        Assert.Contains(discord.State.Executions, e => e.Status == 429);
        Assert.Equal(
            ["alice started", "alice paused", "alice resumed", "alice stopped", "alice finished"],
            discord.State.Messages.Select(m => string.Join(' ', m.Body!["embeds"]![0]!["title"]!.GetValue<string>().Split(' ').Take(2))));
    }

    [Fact]
    public async Task Discord404_DisablesTheChannel_WithAClearStatus()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());
        var hook = discord.State.Add();
        var id = await NotifyKit.CreateChannelAsync(app, new { name = "gone", kind = "discord", url = discord.WebhookUrl(hook).ToString() });
        discord.State.Remove(hook.Id);

        using var test = await app.Client.PostAsync(new Uri($"/api/notifications/{id}/test", UriKind.Relative), null);
        await NotifyKit.WaitForAsync(async () => !(await NotifyKit.ChannelAsync(app, id)).GetProperty("enabled").GetBoolean(), "the channel to be disabled");

        var channel = await NotifyKit.ChannelAsync(app, id);
        Assert.Contains("404", channel.GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.Contains("deleted", channel.GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.Empty(discord.State.Messages);
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("Notification channel gone disabled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChannelDown_ThenBack_DeliversEverythingInOrderOnce()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());
        var id = await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString() });
        discord.Harness.SetFault(Endpoint, new FaultSpec { Error503 = 1 });
        var triggers = new[] { "play", "pause", "resume", "stop", "finished", "rating", "new-item" };

        foreach (var trigger in triggers)
        {
            using var test = await app.Client.PostAsync(new Uri($"/api/notifications/{id}/test?trigger={trigger}", UriKind.Relative), null);
            Assert.True(test.IsSuccessStatusCode);
        }

        await NotifyKit.WaitForAsync(() => discord.Harness.RequestCounts.GetValueOrDefault(Endpoint) >= 3, "attempts while down");
        discord.Harness.SetFault(Endpoint, null);
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= triggers.Length, "every message", TimeSpan.FromSeconds(60));
        await Task.Delay(1000);

        Assert.Equal(triggers.Length, discord.State.Messages.Count);
        Assert.Equal(
            ["started", "paused", "resumed", "stopped", "finished", "rated", "Severance"],
            discord.State.Messages.Select(m => m.Body!["embeds"]![0]!["title"]!.GetValue<string>().Split(' ')[m.Body!["embeds"]![0]!["title"]!.GetValue<string>().StartsWith("New", StringComparison.Ordinal) ? 2 : 1]));
    }

    [Fact]
    public async Task ATemplateThatFailsForAnEvent_FallsBackToTheDefault_AndLogsWhy()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());

        // Valid with the sample (an episode), but a movie has no show, so it reaches an unknown variable.
        var template = "{% if show %}{{ show }}{% else %}{{ missing }}{% endif %}";
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "resume" }, templates = new Dictionary<string, string> { ["resume.title"] = template } });
        await PostAsync(app, Resume(60_000));
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1, "the resume notification");

        Assert.Equal("bob resumed Arrival (2016)", discord.State.Messages[0].Body!["embeds"]![0]!["title"]!.GetValue<string>());
        Assert.True(app.Logs.Entries.Any(e => e.Message.Contains("title template of notification channel discord for resume failed", StringComparison.Ordinal) && e.Message.Contains("missing", StringComparison.Ordinal)), string.Join("\n", app.Logs.Entries.Where(e => e.Message.Contains("template", StringComparison.Ordinal)).Select(e => e.Message)));
    }

    [Fact]
    public async Task AFailureBetweenClaimAndEnqueue_LeavesNoClaim_SoTheNextReportIsStillSent()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(("Marquee:Notifications:CooldownSeconds", "3600")));
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "resume" } });

        // The outbox refuses the first notification's row, as a process stopped after the claim and before the enqueue would.
        await ExecuteAsync(app, "CREATE TRIGGER refuse_notify BEFORE INSERT ON outbox WHEN NEW.kind = 'notify' BEGIN SELECT RAISE(ABORT, 'stopped before the enqueue'); END");
        await PostAsync(app, Resume(60_000));
        await WebhookKit.WaitHandledAsync(app, 1);
        await NotifyKit.WaitForAsync(() => app.Logs.Entries.Any(e => e.Exception?.Contains("stopped before the enqueue", StringComparison.Ordinal) == true || e.Message.Contains("stopped before the enqueue", StringComparison.Ordinal)), "the refused enqueue");
        await ExecuteAsync(app, "DROP TRIGGER refuse_notify");

        // Act: the next resume of the same playback, within the cooldown; nothing was sent for the first.
        await PostAsync(app, Resume(400_000));
        await WebhookKit.WaitHandledAsync(app, 2);

        // Assert
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1, "the resume notification");
        Assert.Equal("bob resumed Arrival (2016)", Assert.Single(discord.State.Messages).Body!["embeds"]![0]!["title"]!.GetValue<string>());
    }

    private static async Task ExecuteAsync(MarqueeApp app, string sql)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(app.DataFolder, "marquee.db")};Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task PostAsync(MarqueeApp app, string payload)
    {
        using var response = await app.Anonymous.PostAsync(WebhookKit.Path(), WebhookKit.Multipart(payload, thumb: false));
        Assert.True(response.IsSuccessStatusCode);
    }

    private static string Resume(long offset) =>
        $$$"""{"event":"media.resume","user":true,"owner":true,"Account":{"id":1,"title":"bob"},"Server":{"title":"s","uuid":"abc"},"Player":{"local":true,"title":"TV","uuid":"p1"},"Metadata":{"ratingKey":"1001","guid":"plex://movie/5d776b59ad5437001f79c6f8","type":"movie","title":"Arrival","year":2016,"duration":6960000,"viewOffset":{{{offset}}}}}""";
}
