using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Simulators.Discord;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;

namespace Marquee.Web.Tests.Notifications;

/// <summary>Per-channel conditions, the account map, and the notify switch of seen users and devices.</summary>
[Trait("Category", "Scenario")]
public sealed class ChannelFilterTests
{
    [Fact]
    public async Task Conditions_DisplayNames_AndMutedUsersAndDevices_DecideWhatEachChannelGets()
    {
        await using var movies = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var episodes = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(("Marquee:Notifications:DisplayNames:bob", "Anna")));
        await NotifyKit.CreateChannelAsync(app, new { name = "movies", kind = "discord", url = movies.DefaultWebhookUrl.ToString(), triggers = new[] { "resume" }, condition = "user is Anna and media_type is movie and progress greater than 5" });
        await NotifyKit.CreateChannelAsync(app, new { name = "episodes", kind = "discord", url = episodes.DefaultWebhookUrl.ToString(), triggers = new[] { "resume" }, condition = "media_type is episode or library is Kids" });

        // Act: bob (shown as Anna) resumes a movie at 13 %.
        await PostAsync(app, Resume("1001", "Arrival", "TV"));
        await WebhookKit.WaitHandledAsync(app, 1);
        await NotifyKit.WaitForAsync(() => movies.State.Messages.Count >= 1, "the movie channel's message");

        // The user and the device are now listed; turn the device off, then bob resumes another movie on it.
        var seen = await app.Client.GetFromJsonAsync<JsonElement>("/api/notifications/seen");
        Assert.Contains(seen.EnumerateArray(), e => e.GetProperty("kind").GetString() == "user" && e.GetProperty("key").GetString() == "1" && e.GetProperty("name").GetString() == "bob" && e.GetProperty("notify").GetBoolean());
        Assert.Contains(seen.EnumerateArray(), e => e.GetProperty("kind").GetString() == "device" && e.GetProperty("key").GetString() == "TV");
        using (var muted = await app.Client.PutAsJsonAsync("/api/notifications/seen/device/TV", new { notify = false }))
        {
            Assert.Equal(HttpStatusCode.OK, muted.StatusCode);
        }

        await PostAsync(app, Resume("1002", "Sicario", "TV"));
        await PostAsync(app, Resume("1003", "Dune", "Phone"));
        await WebhookKit.WaitHandledAsync(app, 3);
        await NotifyKit.WaitForAsync(() => movies.State.Messages.Count >= 2, "the message from the phone");
        await Task.Delay(1500);

        // Assert: the display name in the message; nothing from the muted TV; nothing for the episode channel.
        Assert.Equal(["Anna resumed Arrival (2016)", "Anna resumed Dune (2016)"], movies.State.Messages.Select(m => m.Body!["embeds"]![0]!["title"]!.GetValue<string>()));
        Assert.Empty(episodes.State.Messages);
    }

    [Theory]
    [InlineData("/api/notifications/seen/printer/TV", "{\"notify\":false}", "kind")]
    [InlineData("/api/notifications/seen/device/Toaster", "{\"notify\":false}", "key")]
    [InlineData("/api/notifications/seen/device/TV", "{}", "notify")]
    public async Task SwitchingAnUnknownKindOrKey_Is400NamingTheField(string path, string body, string field)
    {
        await using var app = await MarqueeApp.StartAsync();

        using var response = await app.Client.PutAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await app.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private static async Task PostAsync(MarqueeApp app, string payload)
    {
        using var response = await app.Anonymous.PostAsync(WebhookKit.Path(), WebhookKit.Multipart(payload, thumb: false));
        Assert.True(response.IsSuccessStatusCode);
    }

    private static string Resume(string ratingKey, string title, string player) =>
        $$$"""{"event":"media.resume","user":true,"owner":true,"Account":{"id":1,"title":"bob"},"Server":{"title":"s","uuid":"abc"},"Player":{"local":true,"title":"{{{player}}}","uuid":"{{{player}}}-1"},"Metadata":{"ratingKey":"{{{ratingKey}}}","guid":"plex://movie/5d776b59ad5437001f79c{{{ratingKey}}}","type":"movie","title":"{{{title}}}","year":2016,"duration":6960000,"viewOffset":900000}}""";
}
