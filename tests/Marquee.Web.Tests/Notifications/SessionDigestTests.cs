using System.Net.Http.Json;
using Marquee.Core.Notifications;
using Marquee.Simulators.Discord;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Notifications;

/// <summary>The sessions digest against the Plex simulator's sessions, the job triggered by the test (no waiting on a timer).</summary>
[Trait("Category", "Scenario")]
public sealed class SessionDigestTests
{
    [Fact]
    public async Task Digest_ListsEveryStream_WhilePlaying_AndSendsNothingWhenIdle()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(("Marquee:Notifications:SessionsDigestMinutes", "0")));
        await using var sim = await WebhookKit.StartSimAsync(app);
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "sessions" } });
        var digest = app.Services.GetRequiredService<SessionDigest>();
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var movie = sim.State.ItemsOfType(1, ItemType.Movie)[3];

        // Idle: nothing is sent.
        Assert.Equal(0, await digest.RunOnceAsync(CancellationToken.None));

        // Act: the owner plays a movie (held at 40 %), and the digest runs.
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 40 })).IsSuccessStatusCode);
        Assert.Equal(1, await digest.RunOnceAsync(CancellationToken.None));
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1, "the digest");

        // Act: the playback stops; the next digest finds nothing.
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 45, stop = true })).IsSuccessStatusCode);
        Assert.Equal(0, await digest.RunOnceAsync(CancellationToken.None));
        await Task.Delay(1000);

        // Assert
        var embed = Assert.Single(discord.State.Messages).Body!["embeds"]![0]!;
        Assert.Equal("Now streaming: 1", embed["title"]!.GetValue<string>());
        var line = embed["description"]!.GetValue<string>();
        Assert.StartsWith($"**{sim.Owner.Name}** · {movie.Title} ({movie.Year}) · 40%", line, StringComparison.Ordinal);
        Assert.Contains("direct play", line, StringComparison.Ordinal);
        Assert.Contains(" Mbps · local", line, StringComparison.Ordinal);
    }
}
