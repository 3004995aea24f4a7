using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Discord;
using Marquee.TestKit;

namespace Marquee.Cli.Tests;

/// <summary>The built program killed with notifications still queued: each is delivered once after the restart.</summary>
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
        using (var again = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path], new Dictionary<string, string> { ["MARQUEE__Marquee__Outbox__PollSeconds"] = "0.2" }))
        {
            await again.WaitForLineAsync("listening on", TimeSpan.FromSeconds(15));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (discord.State.Messages.Count < triggers.Length)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"only {discord.State.Messages.Count} messages after the restart");
                await Task.Delay(100);
            }

            await Task.Delay(1500);
            again.KillHard();
        }

        // Assert: each once, in the order queued.
        Assert.Equal(
            ["started", "paused", "resumed", "stopped", "finished"],
            discord.State.Messages.Select(m => m.Body!["embeds"]![0]!["title"]!.GetValue<string>().Split(' ')[1]));
    }
}
