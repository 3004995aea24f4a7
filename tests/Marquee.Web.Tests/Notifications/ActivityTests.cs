using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marquee.Simulators.Discord;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;

namespace Marquee.Web.Tests.Notifications;

/// <summary>Activity details: a play waits the activity delay, then carries the stream read from the server's sessions.</summary>
[Trait("Category", "Scenario")]
public sealed class ActivityTests
{
    [Fact]
    public async Task APlay_OnAChannelThatIncludesActivity_CarriesTheStreamDetails_AndAnotherChannelDoesNot()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var other = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(("Marquee:Notifications:ActivityDelaySeconds", "2")));
        await using var sim = await WebhookKit.StartSimAsync(app);
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        await NotifyKit.CreateChannelAsync(app, new { name = "detailed", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "play" }, includeActivity = true, templates = new Dictionary<string, string> { ["play.body"] = "{{ decision }}|{{ video_codec }}|{{ audio_codec }}|{{ resolution }}|{{ container }}|{{ bandwidth }}|{{ location }}|{{ platform }}" } });
        await NotifyKit.CreateChannelAsync(app, new { name = "plain", kind = "discord", url = other.DefaultWebhookUrl.ToString(), triggers = new[] { "play" } });
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var movie = sim.State.ItemsOfType(1, ItemType.Movie)[3];

        // Act: a remote transcoded stream on a phone, held open.
        var started = await control.PostAsJsonAsync("/_sim/sessions", new
        {
            account = "owner",
            ratingKey = movie.RatingKey,
            clientId = "phone-1",
            product = "Plex for Android",
            platform = "Android",
            device = "Pixel",
            videoDecision = "transcode",
            audioDecision = "transcode",
            outputHeight = 720,
            location = "wan",
            bandwidth = 8000,
        });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1 && other.State.Messages.Count >= 1, "both play notifications");

        // Assert
        var withDetails = Embed(Assert.Single(discord.State.Messages).Body!);
        Assert.Equal("transcode|hevc → h264|eac3 → aac|1080 → 720|mkv|8.0 Mbps|remote|Android", withDetails["description"]!.GetValue<string>());
        Assert.Contains(withDetails["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "Stream" && f["value"]!.GetValue<string>().StartsWith("transcode · hevc → h264", StringComparison.Ordinal));
        var plain = Embed(Assert.Single(other.State.Messages).Body!);
        Assert.DoesNotContain(plain["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "Stream");
    }

    private static JsonNode Embed(JsonNode body) => body["embeds"]![0]!;
}
