using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Discord;
using Marquee.TestKit;

namespace Marquee.Cli.Tests;

/// <summary>The built program killed with notifications still queued: each is delivered once after the restart.</summary>
[Trait("Runs", "Process")]
public sealed class NotifyKillTests
{
    [Fact]
    [Trait("Category", "Scenario")]
    public async Task Sigkill_WithQueuedNotifications_DeliversEachOnceInOrder_AfterTheRestart()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        using var folder = new TempFolder();
        var triggers = new[] { "play", "pause", "resume", "stop", "finished" };
        using (var server = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path], new Dictionary<string, string> { ["MARQUEE__Marquee__Outbox__Paused"] = "true" }))
        {
            var line = await server.WaitForLineAsync("listening on", TimeSpan.FromSeconds(15));
            using var http = MarqueeProcess.ApiClient(line, folder.Path);
            var created = await http.PostAsJsonAsync("/api/notifications", new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString() });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            foreach (var trigger in triggers)
            {
                using var queued = await http.PostAsync(new Uri($"/api/notifications/discord/test?trigger={trigger}", UriKind.Relative), null);
                Assert.True(queued.IsSuccessStatusCode, await queued.Content.ReadAsStringAsync());
            }

            var pending = await http.GetFromJsonAsync<JsonElement>("/api/outbox?status=pending");
            Assert.Equal(triggers.Length, pending.GetArrayLength());

            // Act: killed with everything still queued.
            server.KillHard();
        }

        Assert.Empty(discord.State.Messages);
        await RestartUntilAsync(folder, discord, triggers.Length);

        // Assert: each once, in the order queued.
        Assert.Equal(
            ["started", "paused", "resumed", "stopped", "finished"],
            discord.State.Messages.Select(m => m.Body!["embeds"]![0]!["title"]!.GetValue<string>().Split(' ')[1]));
    }

    [Fact]
    [Trait("Category", "Scenario")]
    public async Task Sigkill_AfterEventsAreStored_BeforeTheyAreNotified_NotifiesEachOnceInOrder_AfterTheRestart()
    {
        const string Secret = "NOTIFYKILL-5c1e";
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        using var folder = new TempFolder();
        var events = new[] { "media.play", "media.pause", "media.resume", "media.stop" };
        var environment = new Dictionary<string, string>
        {
            ["MARQUEE__Marquee__Webhooks__Secret"] = Secret,
            ["MARQUEE__Marquee__Notifications__FeedPaused"] = "true",
        };
        using (var server = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path], environment))
        {
            var line = await server.WaitForLineAsync("listening on", TimeSpan.FromSeconds(15));
            using var http = MarqueeProcess.ApiClient(line, folder.Path);
            var created = await http.PostAsJsonAsync("/api/notifications", new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "play", "pause", "resume", "stop" } });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            foreach (var (name, i) in events.Select((e, i) => (e, i)))
            {
                using var content = Multipart(Payload(name, 600_000 + (i * 300_000)));
                using var posted = await http.PostAsync(new Uri($"/webhooks/plex/{Secret}", UriKind.Relative), content);
                Assert.True(posted.IsSuccessStatusCode);
            }

            // The events are stored (the deliveries handled), their notifications not yet made.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (!(await http.GetStringAsync("/api/webhooks/status")).Contains($"\"handled\":{events.Length}", StringComparison.Ordinal))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the deliveries were not handled");
                await Task.Delay(100);
            }

            Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>("/api/outbox")).GetArrayLength());

            // Act: killed between storing the events and notifying them.
            server.KillHard();
        }

        Assert.Empty(discord.State.Messages);
        await RestartUntilAsync(folder, discord, events.Length);

        // Assert: each once, in the order the events happened.
        Assert.Equal(
            ["started", "paused", "resumed", "stopped"],
            discord.State.Messages.Select(m => m.Body!["embeds"]![0]!["title"]!.GetValue<string>().Split(' ')[1]));
    }

    /// <summary>Starts the program again on <paramref name="folder"/> until Discord has <paramref name="count"/> messages, then a little longer (a duplicate would show).</summary>
    private static async Task RestartUntilAsync(TempFolder folder, DiscordSimulator discord, int count)
    {
        using var again = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path], new Dictionary<string, string> { ["MARQUEE__Marquee__Outbox__PollSeconds"] = "0.2" });
        await again.WaitForLineAsync("listening on", TimeSpan.FromSeconds(15));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (discord.State.Messages.Count < count)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"only {discord.State.Messages.Count} messages after the restart");
            await Task.Delay(100);
        }

        await Task.Delay(1500);
        again.KillHard();
    }

    private static string Payload(string name, long offset) =>
        $$$"""{"event":"{{{name}}}","user":true,"owner":true,"Account":{"id":1,"title":"bob"},"Server":{"title":"s","uuid":"abc"},"Player":{"local":true,"title":"TV","uuid":"p1"},"Metadata":{"ratingKey":"1001","guid":"plex://movie/5d776b59ad5437001f79c6f8","type":"movie","title":"Arrival","year":2016,"duration":6960000,"viewOffset":{{{offset}}}}}""";

    private static MultipartFormDataContent Multipart(string payload)
    {
        var content = new MultipartFormDataContent("--------------------------7d1b");
        var part = new StringContent(payload, Encoding.UTF8);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Add(part, "payload");
        return content;
    }
}
