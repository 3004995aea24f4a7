using System.Net;
using System.Text;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Security;

public sealed class SecretTests
{
    private const string PlexToken = "PLEXSECRET-7f3a9c";
    private const string ApiKey = "JELLYKEY-51be02";
    private const string Password = "PASSWORD-c0ffee";

    [Fact]
    public async Task Secrets_NeverAppearInResponsesLogsOrTheStoreFile()
    {
        await using var app = await MarqueeApp.StartAsync();
        var bodies = new StringBuilder();

        async Task<HttpResponseMessage> Record(Task<HttpResponseMessage> call)
        {
            var response = await call;
            bodies.AppendLine(await response.Content.ReadAsStringAsync());
            return response;
        }

        // Arrange and act: every connection endpoint, with secrets in good and bad requests.
        var created = await Record(app.PostJsonAsync("/api/connections", new { name = "plex", kind = "plex", settings = new { url = "http://127.0.0.1:9", token = PlexToken } }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Record(app.PostJsonAsync("/api/connections", new { name = "jf", kind = "jellyfin", settings = new { url = "http://127.0.0.1:9", apiKey = ApiKey, user = "anna", password = Password } }));
        await Record(app.PostJsonAsync("/api/connections", new { name = "bad", kind = "plex", settings = new { url = "not a url", token = PlexToken } }));
        await Record(app.PostRawAsync("/api/connections", $$$"""{"name":"bad2","kind":"plex","settings":{"url":"http://h:1","token":"{{{PlexToken}}}","unknown":"{{{Password}}}"}}"""));
        await Record(app.PostRawAsync("/api/connections", $$$"""{"name":"bad3","kind":"plex","settings":{"url":"http://h:1","token":["{{{PlexToken}}}"]}}"""));
        await Record(app.Client.GetAsync("/api/connections"));
        await Record(app.Client.GetAsync("/api/connections/plex"));
        await Record(app.Client.GetAsync("/api/connections/jf"));
        await Record(app.PutRawAsync("/api/connections/plex", """{"settings":{"url":"http://127.0.0.1:9","token":"********"}}"""));
        await Record(app.PutRawAsync("/api/connections/jf", $$$"""{"settings":{"url":"http://127.0.0.1:9","apiKey":"{{{ApiKey}}}","user":"anna","password":"{{{Password}}}"}}"""));
        await Record(app.Client.PostAsync("/api/connections/plex/test", null));
        await Record(app.Client.PostAsync("/api/connections/jf/test", null));
        await Record(app.Client.GetAsync("/metrics"));
        await Record(app.Client.GetAsync("/openapi/v1.json"));

        // Assert
        var responses = bodies.ToString();
        var logs = app.Logs.AllText();
        Assert.NotEmpty(app.Logs.Entries);
        Assert.Contains("********", responses, StringComparison.Ordinal);
        foreach (var secret in new[] { PlexToken, ApiKey, Password })
        {
            Assert.DoesNotContain(secret, responses, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var store = string.Concat(Directory.GetFiles(app.DataFolder, "marquee.db*").Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        Assert.Contains("\"url\"", store, StringComparison.Ordinal);
        foreach (var secret in new[] { PlexToken, ApiKey, Password })
        {
            Assert.DoesNotContain(secret, store, StringComparison.Ordinal);
        }
    }
}
