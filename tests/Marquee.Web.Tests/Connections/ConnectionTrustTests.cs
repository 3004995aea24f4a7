using System.Net;
using System.Net.Sockets;
using Marquee.Core.Connections;
using Marquee.Providers.Plex;
using Marquee.Simulators.Plex;
using Marquee.TestKit;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Connections;

/// <summary>Issue 13, findings 2, 7 and 9: secrets stay with the server they were given for; a new connection's answer says whether it works.</summary>
public sealed class ConnectionTrustTests
{
    [Theory]
    [InlineData("http://127.0.0.1:10")]
    [InlineData("https://127.0.0.1:9")]
    [InlineData("http://localhost:9")]
    public async Task Finding2_UpdateToAnotherOrigin_WithMaskedToken_Returns400AndKeepsTheOldUrl(string newUrl)
    {
        await using var app = await MarqueeApp.StartAsync();
        var id = await app.CreatePlexAsync("home", token: "original-token", url: "http://127.0.0.1:9");

        var response = await app.PutRawAsync($"/api/connections/{id}", $$$"""{"settings":{"url":"{{{newUrl}}}","token":"********"}}""");

        var message = await app.AssertFieldErrorAsync(response, "settings.token");
        Assert.Contains("given again", message, StringComparison.Ordinal);
        var settings = await StoredAsync(app, "home");
        Assert.Equal(("http://127.0.0.1:9/", "original-token"), (settings.Url.ToString(), settings.Token));
    }

    [Fact]
    public async Task Finding2_UpdateToAnotherOrigin_WithMaskedPlexTvToken_Returns400NamingIt()
    {
        await using var app = await MarqueeApp.StartAsync();
        var created = await app.PostJsonAsync("/api/connections", new { name = "home", kind = "plex", settings = new { url = "http://127.0.0.1:9", token = "t1", plexTvToken = "tv-1" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var response = await app.PutRawAsync("/api/connections/home", """{"settings":{"url":"http://127.0.0.1:10","token":"new-token","plexTvToken":"********"}}""");

        await app.AssertFieldErrorAsync(response, "settings.plexTvToken");
        Assert.Equal("t1", (await StoredAsync(app, "home")).Token);
    }

    [Fact]
    public async Task Finding2_UpdateToAnotherOrigin_WithTheSecretGivenAgain_Works()
    {
        await using var app = await MarqueeApp.StartAsync();
        var id = await app.CreatePlexAsync("home", token: "original-token", url: "http://127.0.0.1:9");

        var response = await app.PutRawAsync($"/api/connections/{id}", """{"settings":{"url":"http://127.0.0.1:10","token":"new-token"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var settings = await StoredAsync(app, "home");
        Assert.Equal(("http://127.0.0.1:10/", "new-token"), (settings.Url.ToString(), settings.Token));
    }

    [Fact]
    public async Task Finding2_UpdateOnTheSameOrigin_WithMaskedToken_KeepsTheToken()
    {
        await using var app = await MarqueeApp.StartAsync();
        var id = await app.CreatePlexAsync("home", token: "original-token", url: "http://127.0.0.1:9");

        var response = await app.PutRawAsync($"/api/connections/{id}", """{"settings":{"url":"HTTP://127.0.0.1:9/plex","token":"********","serverName":"Den"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("original-token", (await StoredAsync(app, "home")).Token);
    }

    [Fact]
    public async Task Finding2_MaskedTokenToANewHost_NeverReachesIt()
    {
        // A listener standing for the attacker's host: it must see no request at all, let alone the token.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var app = await MarqueeApp.StartAsync();
        var id = await app.CreatePlexAsync("home", token: "original-token", url: "http://127.0.0.1:9");

        var update = await app.PutRawAsync($"/api/connections/{id}", $$$"""{"settings":{"url":"http://127.0.0.1:{{{port}}}","token":"********"}}""");
        var test = await app.Client.PostAsync($"/api/connections/{id}/test", null);

        Assert.Equal(HttpStatusCode.BadRequest, update.StatusCode);
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        Assert.False(listener.Pending());
    }

    [Theory]
    [InlineData("http://admin:s3cret-pw@127.0.0.1:9")]
    [InlineData("http://s3cret-pw@127.0.0.1:9")]
    public async Task Finding2_CredentialsInUrl_AreRefusedOnCreate_AndNeverEchoed(string url)
    {
        await using var app = await MarqueeApp.StartAsync();

        var response = await app.PostJsonAsync("/api/connections", new { name = "home", kind = "plex", settings = new { url, token = "t" } });

        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("s3cret-pw", body, StringComparison.Ordinal);
        await app.AssertFieldErrorAsync(response, "settings.url");
        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/connections"))).GetArrayLength());
    }

    [Fact]
    public async Task Finding2_CredentialsInUrl_AreRefusedOnUpdate()
    {
        await using var app = await MarqueeApp.StartAsync();
        var id = await app.CreatePlexAsync("home", token: "t", url: "http://127.0.0.1:9");

        var response = await app.PutRawAsync($"/api/connections/{id}", """{"settings":{"url":"http://admin:s3cret-pw@127.0.0.1:9","token":"********"}}""");

        await app.AssertFieldErrorAsync(response, "settings.url");
        var shown = await app.Client.GetStringAsync($"/api/connections/{id}");
        Assert.DoesNotContain("s3cret-pw", shown, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:9/", (await StoredAsync(app, "home")).Url.ToString());
    }

    [Theory]
    [InlineData("""{"name":"home","kind":"plex","settings":{"url":"http://127.0.0.1:9","token":"********"}}""", "settings.token")]
    [InlineData("""{"name":"home","kind":"jellyfin","settings":{"url":"http://127.0.0.1:9","apiKey":"********"}}""", "settings.apiKey")]
    [InlineData("""{"name":"home","kind":"jellyfin","settings":{"url":"http://127.0.0.1:9","user":"anna","password":"********"}}""", "settings.password")]
    public async Task Finding7_MaskedSecretOnCreate_Returns400NamingTheField(string body, string field)
    {
        await using var app = await MarqueeApp.StartAsync();

        var message = await app.AssertFieldErrorAsync(await app.PostRawAsync("/api/connections", body), field);

        Assert.Contains("real value", message, StringComparison.Ordinal);
        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/connections"))).GetArrayLength());
    }

    [Fact]
    public async Task Finding9_Create_WithTheRightToken_AnswersThatTheTestPassed()
    {
        await using var sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 1, Shows = 0, HomeUsers = 0, Friends = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync();

        var response = await app.PostJsonAsync("/api/connections", new { name = "home", kind = "plex", settings = new { url = sim.BaseUri.ToString(), token = sim.Owner.AccountToken } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var test = (await app.JsonAsync(response)).GetProperty("test");
        Assert.True(test.GetProperty("ok").GetBoolean());
        Assert.Equal(0, test.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public async Task Finding9_Create_WithAWrongToken_IsSavedAndAnswersWhyTheTestFailed()
    {
        await using var sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 1, Shows = 0, HomeUsers = 0, Friends = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync();

        var response = await app.PostJsonAsync("/api/connections", new { name = "home", kind = "plex", settings = new { url = sim.BaseUri.ToString(), token = "WRONG" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var test = (await app.JsonAsync(response)).GetProperty("test");
        Assert.False(test.GetProperty("ok").GetBoolean());
        Assert.Equal("token", test.GetProperty("problems")[0].GetProperty("field").GetString());
        Assert.Contains("401", test.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await app.JsonAsync(await app.Client.GetAsync("/api/connections"))).GetArrayLength());
    }

    [Fact]
    public async Task Finding9_Create_Unreachable_IsSavedAndAnswersWhyTheTestFailed()
    {
        await using var app = await MarqueeApp.StartAsync();

        var response = await app.PostJsonAsync("/api/connections", new { name = "home", kind = "plex", settings = new { url = "http://127.0.0.1:9", token = "t" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var test = (await app.JsonAsync(response)).GetProperty("test");
        Assert.False(test.GetProperty("ok").GetBoolean());
        Assert.Equal("url", test.GetProperty("problems")[0].GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(test.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Finding9_ConfigFile_KeepsAConnectionThatDoesNotAnswer_AndLogsWhy()
    {
        using var folder = new TempFolder();
        var file = folder.Combine("marquee.yaml");
        await File.WriteAllTextAsync(file, "connections:\n  - name: home\n    kind: plex\n    url: http://127.0.0.1:9\n    token: t\n");

        await using var app = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:ConfigFile"] = file });

        Assert.Equal(1, (await app.JsonAsync(await app.Client.GetAsync("/api/connections"))).GetArrayLength());
        var warning = Assert.Single(app.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("home", StringComparison.Ordinal));
        Assert.Contains("test failed: url:", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finding7_ConfigFile_WithTheMaskAsTokenOnCreate_IsRefused()
    {
        using var folder = new TempFolder();
        var file = folder.Combine("marquee.yaml");
        await File.WriteAllTextAsync(file, "connections:\n  - name: home\n    kind: plex\n    url: http://127.0.0.1:9\n    token: '********'\n");

        var ex = await Assert.ThrowsAsync<Marquee.Core.Configuration.ConfigFileException>(() => MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:ConfigFile"] = file }));

        Assert.Contains("'token' is the mask", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<PlexSettings> StoredAsync(MarqueeApp app, string name)
    {
        using var scope = app.Services.CreateScope();
        return (PlexSettings)await scope.ServiceProvider.GetRequiredService<ConnectionService>().GetSettingsAsync(name, CancellationToken.None);
    }
}
