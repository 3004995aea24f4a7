using Marquee.Simulators.Discord;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;

namespace Marquee.Web.Tests.Notifications;

/// <summary>New items: a season's episodes added within the window are one message; a movie is told alone.</summary>
[Trait("Category", "Scenario")]
public sealed class NewItemGroupTests
{
    [Fact]
    public async Task TenEpisodesOfASeason_AddedWithinTheWindow_AreOneNotification_AndAMovieIsToldAlone()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(("Marquee:Notifications:NewItemGroupSeconds", "3")));
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "new-item" } });

        // Act: ten episodes of one season and a movie, as Plex's library.new webhooks.
        for (var n = 1; n <= 10; n++)
        {
            await PostAsync(app, Episode(n));
        }

        await PostAsync(app, Movie());
        await WebhookKit.WaitHandledAsync(app, 11);
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 2, "the new-item notifications");
        await Task.Delay(4000);

        // Assert: the movie at once, the season once its window passed.
        var titles = discord.State.Messages.Select(m => m.Body!["embeds"]![0]!["title"]!.GetValue<string>()).ToList();
        Assert.Equal(["New movie: Arrival (2016)", "New episode: Severance · S02 · 10 episodes (E01–E10)"], titles);
    }

    [Fact]
    public async Task AWindowOfZero_TellsEachEpisodeAtOnce()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(("Marquee:Notifications:NewItemGroupSeconds", "0")));
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "new-item" } });

        for (var n = 1; n <= 3; n++)
        {
            await PostAsync(app, Episode(n));
        }

        await WebhookKit.WaitHandledAsync(app, 3);
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 3, "three new-item notifications");
        await Task.Delay(500);

        // Each episode on its own, once; episodes are different subjects, so their lanes may deliver them in any order.
        var titles = discord.State.Messages.Select(m => m.Body!["embeds"]![0]!["title"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["New episode: Severance · S02E01 · Chapter 1", "New episode: Severance · S02E02 · Chapter 2", "New episode: Severance · S02E03 · Chapter 3"], titles);
    }

    private static async Task PostAsync(MarqueeApp app, string payload)
    {
        using var response = await app.Anonymous.PostAsync(WebhookKit.Path(), WebhookKit.Multipart(payload, thumb: false));
        Assert.True(response.IsSuccessStatusCode);
    }

    private static string Episode(int n) =>
        $$$"""{"event":"library.new","user":true,"owner":true,"Account":{"id":1,"title":"bob"},"Server":{"title":"s","uuid":"abc"},"Metadata":{"ratingKey":"{{{5000 + n}}}","guid":"plex://episode/5d9c0{{{n:000}}}","type":"episode","title":"Chapter {{{n}}}","grandparentTitle":"Severance","parentIndex":2,"index":{{{n}}},"year":2025}}""";

    private static string Movie() =>
        """{"event":"library.new","user":true,"owner":true,"Account":{"id":1,"title":"bob"},"Server":{"title":"s","uuid":"abc"},"Metadata":{"ratingKey":"1001","guid":"plex://movie/5d776b59ad5437001f79c6f8","type":"movie","title":"Arrival","year":2016}}""";
}
