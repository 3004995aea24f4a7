using System.Net;
using System.Text.RegularExpressions;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Marquee.Web.Tests.Health;

public sealed partial class HealthAndMetricsTests
{
    [Fact]
    public async Task Healthz_StoreAnswers_Returns200Healthy()
    {
        await using var app = await MarqueeApp.StartAsync();

        var response = await app.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await app.JsonAsync(response);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("store").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_StoreDamaged_Returns503WithReason()
    {
        await using var app = await MarqueeApp.StartAsync();
        var file = Path.Combine(app.DataFolder, "marquee.db");
        async Task DamageAsync()
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file + "-wal");
            File.Delete(file + "-shm");
            await File.WriteAllBytesAsync(file, new byte[8192]);
        }

        // A background service (inbox, outbox, schedulers) may write in between through a connection it still holds, and
        // its new write-ahead log then answers for the old pages: damage the file again until the check sees it.
        await DamageAsync();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await app.Client.GetAsync("/healthz");
        while (response.StatusCode == HttpStatusCode.OK && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(200);
            await DamageAsync();
            response = await app.Client.GetAsync("/healthz");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await app.JsonAsync(response);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Contains("marquee.db", body.GetProperty("store").GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AfterRequests_ExposesProcessHttpAndStoreSeries()
    {
        await using var app = await MarqueeApp.StartAsync();
        await app.Client.GetAsync("/healthz");
        await app.Client.GetAsync("/healthz");
        await app.CreatePlexAsync("home");
        await app.Client.GetAsync("/api/connections/nope");

        var response = await app.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Matches(@"(?m)^process_resident_memory_bytes \d+", text);
        Assert.Matches(@"(?m)^process_cpu_seconds_total [\d.]+", text);
        Assert.Matches(@"(?m)^http_server_requests_total\{method=""GET"",route=""/healthz"",status=""200""\} 2$", text);
        Assert.Matches(@"(?m)^http_server_requests_total\{method=""GET"",route=""/api/connections/\{id\}"",status=""404""\} 1$", text);
        Assert.Matches(@"(?m)^http_server_request_duration_seconds_count\{method=""POST"",route=""/api/connections/"",status=""201""\} 1$", text);
        Assert.Matches(@"(?m)^marquee_store_up\{engine=""sqlite""\} 1$", text);
        Assert.Matches(@"(?m)^marquee_store_rows\{table=""connections""\} 1$", text);
        Assert.Matches(@"(?m)^marquee_store_size_bytes \d+$", text);

        // Every sample line must be "name{labels} value" or "name value": the format Prometheus parses.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            Assert.Matches(SampleLine(), line);
        }
    }

    [Fact]
    public async Task OpenApi_Document_DescribesEveryApiGroup()
    {
        await using var app = await MarqueeApp.StartAsync();

        var response = await app.Client.GetAsync("/openapi/v1.json");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync() + string.Join("\n", app.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(e => e.ToString())));
        var doc = await app.JsonAsync(response);
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/connections", "/api/connections/{id}", "/api/connections/{id}/test", "/api/profiles", "/api/profiles/{id}", "/api/profiles/{id}/accounts", "/api/flows", "/api/flows/{id}", "/api/providers", "/healthz" })
        {
            Assert.True(paths.TryGetProperty(path, out _) || paths.TryGetProperty(path + "/", out _), $"{path} missing from the OpenAPI document");
        }

        var post = paths.TryGetProperty("/api/connections", out var p) ? p : paths.GetProperty("/api/connections/");
        Assert.True(post.GetProperty("post").GetProperty("responses").TryGetProperty("400", out _));
    }

    [Fact]
    public async Task Providers_ListsKindsWithSchemaAndSecretFlags()
    {
        await using var app = await MarqueeApp.StartAsync();

        var providers = await app.JsonAsync(await app.Client.GetAsync("/api/providers"));

        var plex = providers.EnumerateArray().Single(p => p.GetProperty("kind").GetString() == "plex");
        var token = plex.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "token");
        Assert.True(token.GetProperty("secret").GetBoolean());
        Assert.True(token.GetProperty("required").GetBoolean());
        Assert.Contains(providers.EnumerateArray(), p => p.GetProperty("kind").GetString() == "jellyfin");
    }

    [GeneratedRegex(@"^[a-z_:][a-z0-9_:]*(\{[a-z_]+=""[^""]*""(,[a-z_]+=""[^""]*"")*\})? [-+0-9.eE]+$")]
    private static partial Regex SampleLine();
}
