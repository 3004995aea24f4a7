using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Marquee.Hosting.Security;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Security;

/// <summary>Issue 13, finding 1: nobody without the API key uses the API, whatever the Host, the method or the body type.</summary>
public sealed partial class ApiSecurityTests
{
    private static readonly string[] Methods = ["get", "post", "put", "delete", "patch"];

    [Fact]
    public async Task NoAuthentication_EveryApiOperationOfTheOpenApiDocument_RefusedWithoutTheKey()
    {
        await using var app = await MarqueeApp.StartAsync();
        var id = await app.CreatePlexAsync("home");
        var document = await app.JsonAsync(await app.Client.GetAsync("/openapi/v1.json"));
        var operations = new List<(HttpMethod Method, string Path)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api", StringComparison.Ordinal)))
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)))
            {
                operations.Add((new HttpMethod(method.Name.ToUpperInvariant()), Parameter().Replace(path.Name, id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }
        }

        Assert.True(operations.Count >= 20, $"only {operations.Count} /api operations in the OpenAPI document");
        foreach (var (method, path) in operations)
        {
            using var request = new HttpRequestMessage(method, path);
            if (method != HttpMethod.Get && method != HttpMethod.Delete)
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            var response = await app.Anonymous.SendAsync(request);

            var problem = await app.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Nothing was changed by any of them: the one connection is still there, under its name.
        var list = await app.JsonAsync(await app.Client.GetAsync("/api/connections"));
        Assert.Equal("home", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task NoAuthentication_KeyAcceptedAsHeaderQueryOrBearer_WrongKeyRefused()
    {
        await using var app = await MarqueeApp.StartAsync();

        using var header = new HttpRequestMessage(HttpMethod.Get, "/api/connections");
        header.Headers.Add("X-Api-Key", app.ApiKey);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/connections");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.ApiKey);
        using var query = new HttpRequestMessage(HttpMethod.Get, $"/api/connections?apikey={Uri.EscapeDataString(app.ApiKey)}");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/connections");
        wrong.Headers.Add("X-Api-Key", app.ApiKey[..^1] + (app.ApiKey[^1] == 'A' ? 'B' : 'A'));
        using var wrongBearer = new HttpRequestMessage(HttpMethod.Get, "/api/connections");
        wrongBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key-at-all-000000");

        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(header)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(bearer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(query)).StatusCode);
        await app.AssertProblemAsync(await app.Anonymous.SendAsync(wrong), HttpStatusCode.Unauthorized);
        await app.AssertProblemAsync(await app.Anonymous.SendAsync(wrongBearer), HttpStatusCode.Unauthorized);
        Assert.Equal(43, app.ApiKey.Length);
        Assert.Equal(app.ApiKey, (await File.ReadAllTextAsync(Path.Combine(app.DataFolder, ApiKey.FileName))).Trim());
    }

    [Fact]
    public async Task NoAuthentication_KeyInTheQuery_NeverLogged()
    {
        await using var app = await MarqueeApp.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.GetAsync($"/api/connections?apikey={app.ApiKey}")).StatusCode);

        var logs = app.Logs.AllText();
        Assert.Contains("apikey=***", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(app.ApiKey, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoAuthentication_HealthzWebhooksAndMetricsOpen_MetricsKeyedBySetting()
    {
        await using var app = await MarqueeApp.StartAsync();
        await using var keyed = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:Metrics:RequireApiKey"] = "true" });

        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.GetAsync("/metrics")).StatusCode);

        // A webhook needs its secret in the URL, not the key: a wrong secret is refused by the webhook itself, not for a missing key.
        using var wrongSecret = new StringContent("{}", Encoding.UTF8, "application/json");
        var webhook = await app.Anonymous.PostAsync("/webhooks/jellyfin/not-the-secret", wrongSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, webhook.StatusCode);
        Assert.DoesNotContain("X-Api-Key", await webhook.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await keyed.AssertProblemAsync(await keyed.Anonymous.GetAsync("/metrics"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await keyed.Client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keyed.Anonymous.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task NoAuthentication_KeyRotated_OldKeyRefusedNewAccepted()
    {
        await using var app = await MarqueeApp.StartAsync();
        var old = app.ApiKey;

        // As 'marquee apikey --rotate' does it: from another process's view of the data folder.
        var rotated = new ApiKey(app.DataFolder).Rotate();

        Assert.NotEqual(old, rotated);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while ((await Send(app, rotated)) != HttpStatusCode.OK)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "the running server did not take the rotated key within 5 s");
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Send(app, old));

        static async Task<HttpStatusCode> Send(MarqueeApp app, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/connections");
            request.Headers.Add("X-Api-Key", key);
            return (await app.Anonymous.SendAsync(request)).StatusCode;
        }
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:8754")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("localhost.evil.example")]
    public async Task DnsRebinding_ForeignHost_Refused(string host)
    {
        await using var app = await MarqueeApp.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/connections");
        request.Headers.Host = host;
        var response = await app.Client.SendAsync(request);

        var problem = await app.AssertProblemAsync(response, HttpStatusCode.MisdirectedRequest);
        Assert.Contains("AllowedHosts", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DnsRebinding_LoopbackNamesAndConfiguredHosts_Answered()
    {
        await using var app = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:Server:AllowedHosts"] = "marquee.example.org; *.home.arpa" });

        foreach (var host in new[] { $"127.0.0.1:{app.Address.Port}", $"localhost:{app.Address.Port}", "[::1]", "marquee.example.org", "nas.home.arpa:443", "MARQUEE.EXAMPLE.ORG" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/connections");
            request.Headers.Host = host;
            Assert.True(HttpStatusCode.OK == (await app.Client.SendAsync(request)).StatusCode, host);
        }

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/api/connections");
        foreign.Headers.Host = "home.arpa.evil.example";
        await app.AssertProblemAsync(await app.Client.SendAsync(foreign), HttpStatusCode.MisdirectedRequest);

        // Health checks and webhooks answer whatever name the caller used.
        using var health = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        health.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(health)).StatusCode);
    }

    [Theory]
    [InlineData("/api/runs/1/undo")]
    [InlineData("/api/connections/1/test")]
    public async Task CrossSiteFormPost_WithoutTheKey_Refused401(string path)
    {
        await using var app = await MarqueeApp.StartAsync();
        await app.CreatePlexAsync("home");

        // What a page on another site can send from a browser without asking: a form post, empty.
        using var form = new FormUrlEncodedContent([]);
        var response = await app.Anonymous.PostAsync(path, form);

        await app.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/api/runs/1/undo", "application/x-www-form-urlencoded")]
    [InlineData("/api/connections/1/test", "application/x-www-form-urlencoded")]
    [InlineData("/api/connections/1/test", "multipart/form-data; boundary=x")]
    [InlineData("/api/connections/1/test", "text/plain")]
    [InlineData("/api/connections/1/test", "Text/Plain; charset=utf-8")]
    [InlineData("/api/sync", "text/plain")]
    public async Task CrossSiteFormPost_EvenWithTheKeyInTheQuery_Refused415(string path, string contentType)
    {
        await using var app = await MarqueeApp.StartAsync();
        await app.CreatePlexAsync("home");

        using var content = new ByteArrayContent([]);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var response = await app.Anonymous.PostAsync($"{path}?apikey={app.ApiKey}", content);

        await app.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task CrossSiteFormPost_PlexMultipartWebhook_StillAccepted()
    {
        await using var app = await MarqueeApp.StartAsync(Webhooks.WebhookKit.Settings());

        using var content = Webhooks.WebhookKit.Multipart(Webhooks.WebhookKit.Scrobble());
        var response = await app.Anonymous.PostAsync(Webhooks.WebhookKit.Path(), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
