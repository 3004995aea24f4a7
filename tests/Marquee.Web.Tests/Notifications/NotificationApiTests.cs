using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Notifications;

public sealed class NotificationApiTests
{
    private const string DiscordUrl = "https://discord.example/api/webhooks/1300000000000000000/SECRET-WEBHOOK-TOKEN";

    [Theory]
    [InlineData("{\"name\":\"a\",\"kind\":\"discord\",\"url\":\"not a url\"}", "url")]
    [InlineData("{\"name\":\"a\",\"kind\":\"discord\",\"url\":\"ftp://x/api/webhooks/1/t\"}", "url")]
    [InlineData("{\"name\":\"a\",\"kind\":\"discord\",\"url\":\"https://discord.example/not/a/webhook\"}", "url")]
    [InlineData("{\"name\":\"a\",\"kind\":\"ntfy\",\"url\":\"https://ntfy.example/\"}", "url")]
    [InlineData("{\"name\":\"a\",\"kind\":\"ntfy\",\"url\":\"https://user:pw@ntfy.example/topic\"}", "url")]
    [InlineData("{\"name\":\"a\",\"kind\":\"discord\",\"url\":\"" + DiscordUrl + "\",\"triggers\":[\"play\",\"explode\"]}", "triggers[1]")]
    [InlineData("{\"name\":\"a\",\"kind\":\"pigeon\",\"url\":\"https://x.example/\"}", "kind")]
    [InlineData("{\"kind\":\"ntfy\",\"url\":\"https://ntfy.example/t\"}", "name")]
    [InlineData("{\"name\":\"a\",\"kind\":\"ntfy\",\"url\":\"https://ntfy.example/t\",\"templates\":{\"play.title\":\"{{ usr }}\"}}", "templates.play.title")]
    [InlineData("{\"name\":\"a\",\"kind\":\"ntfy\",\"url\":\"https://ntfy.example/t\",\"templates\":{\"title\":\"{% include 'x' %}\"}}", "templates.title")]
    [InlineData("{\"name\":\"a\",\"kind\":\"ntfy\",\"url\":\"https://ntfy.example/t\",\"templates\":{\"explode.title\":\"x\"}}", "templates.explode.title")]
    [InlineData("{\"name\":\"a\",\"kind\":\"webhook\",\"url\":\"https://hook.example/x\",\"method\":\"TRACE\"}", "method")]
    [InlineData("{\"name\":\"a\",\"kind\":\"webhook\",\"url\":\"https://hook.example/x\",\"headers\":{\"Bad Name\":\"v\"}}", "headers.Bad Name")]
    [InlineData("{\"name\":\"a\",\"kind\":\"ntfy\",\"url\":\"https://ntfy.example/t\",\"condition\":\"usr is anna\"}", "condition")]
    [InlineData("{\"name\":\"a\",\"kind\":\"ntfy\",\"url\":\"https://ntfy.example/t\",\"condition\":\"user equals anna\"}", "condition")]
    [InlineData("{\"name\":\"a\",\"kind\":\"ntfy\",\"url\":\"https://ntfy.example/t\",\"condition\":\"progress greater than half\"}", "condition")]
    [InlineData("{\"name\":\"a\",\"kind\":\"ntfy\",\"url\":\"https://ntfy.example/t\",\"condition\":\"user is anna and\"}", "condition")]
    [InlineData("{\"name\":\"a\",\"kind\":\"ntfy\",\"url\":\"https://ntfy.example/t\",\"condition\":\"library is \\\"TV Shows\"}", "condition")]
    public async Task InvalidChannel_Is400NamingTheField(string body, string field)
    {
        await using var app = await MarqueeApp.StartAsync();

        using var response = await app.PostRawAsync("/api/notifications", body);
        var problem = await app.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task PosterSwitch_IsOnByDefault_CanBeTurnedOff_AndANonBooleanIs400()
    {
        await using var app = await MarqueeApp.StartAsync();

        using var created = await app.PostJsonAsync("/api/notifications", new { name = "discord", kind = "discord", url = DiscordUrl });
        var id = (await app.JsonAsync(created)).GetProperty("id").GetInt64();
        using var off = await app.PutRawAsync($"/api/notifications/{id}", "{\"poster\":false}");
        using var bad = await app.PostRawAsync("/api/notifications", "{\"name\":\"b\",\"kind\":\"discord\",\"url\":\"" + DiscordUrl + "\",\"poster\":\"yes\"}");

        Assert.True((await app.JsonAsync(created)).GetProperty("poster").GetBoolean());
        Assert.False((await app.JsonAsync(off)).GetProperty("poster").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("poster", (await app.JsonAsync(bad)).ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MalformedJson_Is400_AndTheApiNeedsTheKey()
    {
        await using var app = await MarqueeApp.StartAsync();

        using var malformed = await app.PostRawAsync("/api/notifications", "{\"name\":");
        using var anonymous = await app.Anonymous.GetAsync(new Uri("/api/notifications", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Channels_AreListedMasked_UpdatedAndDeleted_AndTheSecretIsNotStoredInPlainText()
    {
        await using var app = await MarqueeApp.StartAsync();

        using var created = await app.PostJsonAsync("/api/notifications", new { name = "discord", kind = "discord", url = DiscordUrl, triggers = new[] { "play" } });
        using var ntfy = await app.PostJsonAsync("/api/notifications", new { name = "phone", kind = "ntfy", url = "https://ntfy.example/secret-topic", secret = "tk_SECRETTOKEN" });
        using var duplicate = await app.PostJsonAsync("/api/notifications", new { name = "discord", kind = "discord", url = DiscordUrl });
        using var updated = await app.Client.PutAsJsonAsync("/api/notifications/discord", new { triggers = new[] { "play", "stop" }, enabled = false });
        var list = await app.Client.GetStringAsync(new Uri("/api/notifications", UriKind.Relative));
        using var deleted = await app.Client.DeleteAsync(new Uri("/api/notifications/phone", UriKind.Relative));
        using var gone = await app.Client.GetAsync(new Uri("/api/notifications/phone", UriKind.Relative));
        using var unknownTrigger = await app.Client.PostAsync(new Uri("/api/notifications/discord/test?trigger=explode", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, ntfy.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        var view = await app.JsonAsync(updated);
        Assert.Equal(["play", "stop"], view.GetProperty("triggers").EnumerateArray().Select(t => t.GetString()));
        Assert.False(view.GetProperty("enabled").GetBoolean());
        Assert.Equal("https://discord.example/…", view.GetProperty("url").GetString());
        Assert.DoesNotContain("SECRET", list, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-topic", list, StringComparison.Ordinal);
        Assert.Contains("\"hasSecret\":true", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownTrigger.StatusCode);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(app.DataFolder, "marquee.db*");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            var text = await reader.ReadToEndAsync();
            Assert.DoesNotContain("SECRET-WEBHOOK-TOKEN", text, StringComparison.Ordinal);
            Assert.DoesNotContain("tk_SECRETTOKEN", text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains("SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Catalogue_AndTriggers_AreListed()
    {
        await using var app = await MarqueeApp.StartAsync();

        var variables = await app.Client.GetFromJsonAsync<JsonElement>("/api/notifications/variables");
        var triggers = await app.Client.GetFromJsonAsync<string[]>("/api/notifications/triggers");

        Assert.True(variables.TryGetProperty("plex_url", out _));
        Assert.Contains("finished", triggers!);
    }
}
