using System.Net;
using Marquee.Core.Connections;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Connections;

public sealed class ConnectionApiTests
{
    [Fact]
    public async Task Create_ValidPlex_Returns201WithLocationAndMaskedToken()
    {
        await using var app = await MarqueeApp.StartAsync();

        var response = await app.PostJsonAsync("/api/connections", new { name = "home", kind = "plex", settings = new { url = "http://127.0.0.1:9", token = "abc" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await app.JsonAsync(response);
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/connections/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("home", body.GetProperty("name").GetString());
        Assert.Equal("plex", body.GetProperty("kind").GetString());
        Assert.Equal("http://127.0.0.1:9", body.GetProperty("settings").GetProperty("url").GetString());
        Assert.Equal("********", body.GetProperty("settings").GetProperty("token").GetString());
    }

    [Fact]
    public async Task Get_ByIdAndByName_ReturnsSameConnection()
    {
        await using var app = await MarqueeApp.StartAsync();
        var id = await app.CreatePlexAsync("home");

        var byId = await app.JsonAsync(await app.Client.GetAsync($"/api/connections/{id}"));
        var byName = await app.JsonAsync(await app.Client.GetAsync("/api/connections/HOME"));
        var list = await app.JsonAsync(await app.Client.GetAsync("/api/connections"));

        Assert.Equal(id, byId.GetProperty("id").GetInt64());
        Assert.Equal(id, byName.GetProperty("id").GetInt64());
        Assert.Equal(1, list.GetArrayLength());
    }

    [Fact]
    public async Task Update_WithMaskedToken_OnTheSameOrigin_KeepsStoredTokenAndChangesUrl()
    {
        await using var app = await MarqueeApp.StartAsync();
        var id = await app.CreatePlexAsync("home", token: "original-token");

        var response = await app.PutRawAsync($"/api/connections/{id}", """{"name":"home2","settings":{"url":"http://127.0.0.1:9/plex","token":"********"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await app.JsonAsync(response);
        Assert.Equal("home2", body.GetProperty("name").GetString());
        Assert.Equal("http://127.0.0.1:9/plex", body.GetProperty("settings").GetProperty("url").GetString());
        using var scope = app.Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        var settings = (Marquee.Providers.Plex.PlexSettings)await service.GetSettingsAsync("home2", CancellationToken.None);
        Assert.Equal("original-token", settings.Token);
    }

    [Fact]
    public async Task Delete_Existing_Returns204ThenGetReturns404()
    {
        await using var app = await MarqueeApp.StartAsync();
        var id = await app.CreatePlexAsync("home");

        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/api/connections/{id}")).StatusCode);
        var problem = await app.AssertProblemAsync(await app.Client.GetAsync($"/api/connections/{id}"), HttpStatusCode.NotFound);
        Assert.Contains(id.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_UnreachableServer_ReportsProblemOnUrl()
    {
        await using var app = await MarqueeApp.StartAsync();
        var id = await app.CreatePlexAsync("home", url: "http://127.0.0.1:9");

        var result = await app.JsonAsync(await app.Client.PostAsync($"/api/connections/{id}/test", null));

        Assert.False(result.GetProperty("ok").GetBoolean());
        var problem = result.GetProperty("problems")[0];
        Assert.Equal("url", problem.GetProperty("field").GetString());
        Assert.Contains("cannot connect", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind":"plex","settings":{"url":"http://h:1","token":"t"}}""", "name")]
    [InlineData("""{"name":"home","settings":{"url":"http://h:1","token":"t"}}""", "kind")]
    [InlineData("""{"name":"home","kind":"plex"}""", "settings")]
    [InlineData("""{"name":"home","kind":"nope","settings":{}}""", "kind")]
    [InlineData("""{"name":"bad name!","kind":"plex","settings":{"url":"http://h:1","token":"t"}}""", "name")]
    [InlineData("""{"name":"1234","kind":"plex","settings":{"url":"http://h:1","token":"t"}}""", "name")]
    [InlineData("""{"name":"home","kind":"plex","settings":{"url":"http://h:1"}}""", "settings.token")]
    [InlineData("""{"name":"home","kind":"plex","settings":{"url":"not a url","token":"t"}}""", "settings.url")]
    [InlineData("""{"name":"home","kind":"plex","settings":{"url":"ftp://h/","token":"t"}}""", "settings.url")]
    [InlineData("""{"name":"home","kind":"plex","settings":{"url":"http://h:1","token":123}}""", "settings.token")]
    [InlineData("""{"name":"home","kind":"plex","settings":{"url":"http://h:1","token":"t","colour":"red"}}""", "settings.colour")]
    [InlineData("""{"name":"home","kind":"plex","settings":"url=x"}""", "settings")]
    [InlineData("""{"name":42,"kind":"plex","settings":{}}""", "name")]
    [InlineData("""{"name":"home","kind":"plex","settings":{"url":"http://h:1","token":"t"},"extra":1}""", "extra")]
    [InlineData("""{"name":"home",""", "body")]
    [InlineData("""[1,2,3]""", "body")]
    [InlineData("""null""", "body")]
    public async Task Create_BadInput_Returns400NamingTheField(string body, string field)
    {
        await using var app = await MarqueeApp.StartAsync();

        await app.AssertFieldErrorAsync(await app.PostRawAsync("/api/connections", body), field);

        var list = await app.JsonAsync(await app.Client.GetAsync("/api/connections"));
        Assert.Equal(0, list.GetArrayLength());
    }

    [Fact]
    public async Task Create_WrongContentType_Returns415()
    {
        await using var app = await MarqueeApp.StartAsync();

        await app.AssertProblemAsync(await app.PostRawAsync("/api/connections", "name=home", "application/x-www-form-urlencoded"), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Create_DuplicateName_Returns409AndKeepsTheFirst()
    {
        await using var app = await MarqueeApp.StartAsync();
        await app.CreatePlexAsync("home", token: "first");

        var response = await app.PostJsonAsync("/api/connections", new { name = "HOME", kind = "plex", settings = new { url = "http://h:1", token = "second" } });

        var problem = await app.AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Theory]
    [InlineData("GET", "/api/connections/99")]
    [InlineData("GET", "/api/connections/nosuch")]
    [InlineData("PUT", "/api/connections/99")]
    [InlineData("DELETE", "/api/connections/99")]
    [InlineData("POST", "/api/connections/99/test")]
    [InlineData("GET", "/api/connections/99/accounts")]
    public async Task UnknownId_Returns404ProblemNamingTheId(string method, string path)
    {
        await using var app = await MarqueeApp.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT")
        {
            request.Content = new StringContent("""{"name":"x"}""", System.Text.Encoding.UTF8, "application/json");
        }

        var problem = await app.AssertProblemAsync(await app.Client.SendAsync(request), HttpStatusCode.NotFound);

        Assert.Contains(path.Split('/')[3], problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_BadSettings_Returns400AndKeepsStoredValues()
    {
        await using var app = await MarqueeApp.StartAsync();
        var id = await app.CreatePlexAsync("home");

        await app.AssertFieldErrorAsync(await app.PutRawAsync($"/api/connections/{id}", """{"settings":{"url":"nope","token":"t"}}"""), "settings.url");
        await app.AssertFieldErrorAsync(await app.PutRawAsync($"/api/connections/{id}", """{"settings":{"url":"http://h:2"}}"""), "settings.token");

        var stored = await app.JsonAsync(await app.Client.GetAsync($"/api/connections/{id}"));
        Assert.Equal("http://127.0.0.1:9", stored.GetProperty("settings").GetProperty("url").GetString());
    }

    [Fact]
    public async Task Delete_ConnectionUsedByFlow_Returns409()
    {
        await using var app = await MarqueeApp.StartAsync();
        await app.CreatePlexAsync("a");
        await app.CreatePlexAsync("b");
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync("/api/flows", new { name = "f", from = "a", to = "b" })).StatusCode);

        var problem = await app.AssertProblemAsync(await app.Client.DeleteAsync("/api/connections/a"), HttpStatusCode.Conflict);

        Assert.Contains("flow(s) f;", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/api/connections/a")).StatusCode);
    }

    [Fact]
    public async Task Create_OversizedBody_Returns413()
    {
        await using var app = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:Server:MaxRequestBodyBytes"] = "4096" });
        var huge = new string('x', 64 * 1024);

        var response = await app.PostRawAsync("/api/connections", $$$"""{"name":"home","kind":"plex","settings":{"url":"http://h:1","token":"{{{huge}}}"}}""");

        var problem = await app.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("4096", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/connections"))).GetArrayLength());
    }

    [Fact]
    public async Task Create_BodyOverDefaultLimit_Returns413()
    {
        await using var app = await MarqueeApp.StartAsync();
        var huge = new string('x', 2 * 1024 * 1024);

        var response = await app.PostRawAsync("/api/profiles", $$$"""{"name":"anna","displayName":"{{{huge}}}"}""");

        await app.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }
}
