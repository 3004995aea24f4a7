using System.Net.Http.Json;
using System.Text;
using Marquee.Simulators.Discord;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;

namespace Marquee.Web.Tests.Notifications;

/// <summary>
/// A Discord notification about an item carries its poster, read from the Plex simulator with the server's token and
/// uploaded with the message (the embed's thumbnail <c>attachment://poster.jpg</c>); the token never reaches Discord, and
/// a poster that cannot be read leaves the message without a thumbnail, sent once.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class PosterTests
{
    [Fact]
    public async Task Play_ReachesDiscord_WithThePosterThePlexServerServed_AsTheEmbedThumbnail()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        var plain = discord.State.Add();
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());
        await using var sim = await WebhookKit.StartSimAsync(app);
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "play" } });
        await NotifyKit.CreateChannelAsync(app, new { name = "plain", kind = "discord", url = discord.WebhookUrl(plain).ToString(), triggers = new[] { "play" }, poster = false });
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var movie = sim.State.ItemsOfType(1, ItemType.Movie)[2];
        var shows = sim.State.Sections.First(s => s.Type == "show").Id;
        var episode = sim.State.ItemsOfType(shows, ItemType.Episode)[1];

        // Act: the owner starts a movie, then an episode.
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 20 })).IsSuccessStatusCode);
        await NotifyKit.WaitForAsync(() => Messages(discord, discord.State.Webhooks[0].Id).Count >= 1 && Messages(discord, plain.Id).Count >= 1, "the movie's play notifications");
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = episode.RatingKey, percent = 20 })).IsSuccessStatusCode);
        await NotifyKit.WaitForAsync(() => Messages(discord, discord.State.Webhooks[0].Id).Count >= 2, "the episode's play notification");

        // Assert: the upload is the JPEG the Plex server serves for the movie's thumb, and for the episode its show's.
        var served = await ServedAsync(sim, $"/library/metadata/{movie.RatingKey}/thumb/{movie.UpdatedAt}");
        var messages = Messages(discord, discord.State.Webhooks[0].Id);
        var play = messages[0];
        var file = Assert.Single(play.Files!);
        Assert.Equal(("files[0]", "poster.jpg", "image/jpeg"), (file.Field, file.FileName, file.ContentType));
        Assert.Equal(served, file.Data);
        Assert.Equal("attachment://poster.jpg", play.Body!["embeds"]![0]!["thumbnail"]!["url"]!.GetValue<string>());
        Assert.StartsWith($"{sim.Owner.Name} started {movie.Title}", play.Body["embeds"]![0]!["title"]!.GetValue<string>(), StringComparison.Ordinal);
        var show = episode.Show!;
        Assert.Equal(await ServedAsync(sim, $"/library/metadata/{show.RatingKey}/thumb/{show.UpdatedAt}"), Assert.Single(messages[1].Files!).Data);

        // The channel with posters off gets the same message without one.
        var bare = Messages(discord, plain.Id)[0];
        Assert.Null(bare.Files);
        Assert.Null(bare.Body!["embeds"]![0]!["thumbnail"]);
    }

    [Fact]
    public async Task NewItem_SeenOnlyByTheEventStream_CarriesItsOwnThumb()
    {
        // Arrange: no webhooks (no Plex Pass); the event stream's timeline entry names the item but no artwork.
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 10, Shows = 2, HomeUsers = 0, Friends = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(("Marquee:Notifications:NewItemGroupSeconds", "0")));
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "new-item" } });
        await NotifyKit.WaitForAsync(() => app.Logs.Entries.Any(e => e.Message.Contains("event stream of Plex connection", StringComparison.Ordinal) && e.Message.Contains(" connected", StringComparison.Ordinal)), "the event stream");
        using var control = new HttpClient { BaseAddress = sim.BaseUri };

        // Act
        using var added = await control.PostAsJsonAsync("/_sim/items", new { title = "Brand New", sectionId = 1, year = 2025 });
        var key = (await added.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("ratingKey").GetString();
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1, "the new-item notification");

        // Assert
        var message = Assert.Single(discord.State.Messages);
        Assert.Equal(await ServedAsync(sim, $"/library/metadata/{key}/thumb/1"), Assert.Single(message.Files!).Data);
        Assert.Equal("attachment://poster.jpg", message.Body!["embeds"]![0]!["thumbnail"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task NothingSentToDiscord_CarriesAPlexToken()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());
        await using var sim = await WebhookKit.StartSimAsync(app);
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "play", "stop", "finished" } });
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var movie = sim.State.ItemsOfType(1, ItemType.Movie)[4];

        // Act: a play and a finish, each with a poster.
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 20 })).IsSuccessStatusCode);
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1, "the play notification");
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 97, stop = true })).IsSuccessStatusCode);
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 2, "the finished notification");

        // Assert: every request Discord got (URL, body, file names, types and bytes) is free of every token the server takes.
        var tokens = sim.State.Accounts.SelectMany(a => new[] { a.AccountToken, a.ServerToken }).Where(t => t.Length > 0).ToList();
        Assert.Contains(sim.Owner.AccountToken, tokens);
        Assert.All(discord.State.Executions, e =>
        {
            var seen = string.Join(
                '\n',
                [e.Url ?? string.Empty, e.Body?.ToJsonString() ?? string.Empty, e.Error ?? string.Empty, .. (e.Files ?? []).Select(f => $"{f.Field} {f.FileName} {f.ContentType} {Encoding.Latin1.GetString(f.Data)}")]);
            Assert.All(tokens, t => Assert.DoesNotContain(t, seen, StringComparison.Ordinal));
            Assert.DoesNotContain("X-Plex-Token", seen, StringComparison.OrdinalIgnoreCase);
        });
        Assert.All(discord.State.Messages, m => Assert.NotNull(m.Files));
    }

    [Theory]
    [InlineData("missing", "404")]
    [InlineData("large", "too large")]
    [InlineData("html", "text/html")]
    [InlineData("timeout", "within")]
    public async Task PosterThatCannotBeRead_TheMessageArrivesOnce_WithoutAThumbnail(string fault, string why)
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings());
        await using var sim = await WebhookKit.StartSimAsync(app);
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "play" } });
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        if (fault == "timeout")
        {
            sim.Control.Harness.SetFault("GET /photo/:/transcode", new FaultSpec { Timeout = 1 });
        }
        else
        {
            Assert.True((await control.PutAsJsonAsync("/_sim/artwork", new { mode = fault })).IsSuccessStatusCode);
        }

        var movie = sim.State.ItemsOfType(1, ItemType.Movie)[3];

        // Act
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 20 })).IsSuccessStatusCode);
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1, "the play notification");
        await Task.Delay(1500);

        // Assert: one message, one request, no file and no thumbnail; the log says why.
        var message = Assert.Single(discord.State.Executions);
        Assert.Equal(204, message.Status);
        Assert.Null(message.Files);
        Assert.Null(message.Body!["embeds"]![0]!["thumbnail"]);
        Assert.StartsWith($"{sim.Owner.Name} started {movie.Title}", message.Body["embeds"]![0]!["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("goes without its poster", StringComparison.Ordinal) && e.Message.Contains(why, StringComparison.OrdinalIgnoreCase));
        Assert.True(sim.Control.Harness.RequestCounts.GetValueOrDefault("GET /photo/:/transcode") >= 1, "the poster was asked for");
    }

    private static List<DiscordExecution> Messages(DiscordSimulator discord, string webhookId) =>
        [.. discord.State.Messages.Where(m => m.WebhookId == webhookId)];

    private static async Task<byte[]> ServedAsync(PlexSimulator sim, string path)
    {
        using var client = new HttpClient { BaseAddress = sim.BaseUri };
        client.DefaultRequestHeaders.Add("X-Plex-Token", sim.Owner.AccountToken);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
