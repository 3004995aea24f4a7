using System.Net;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.TestKit;

namespace Marquee.Cli.Tests;

/// <summary>Issue 13, findings 1 and 8: what serve prints at start, and the commands that show the secrets on demand.</summary>
[Trait("Runs", "Process")]
public sealed class SecurityCommandTests
{
    [Fact]
    public async Task SecretsInLogs_ServeStart_MasksTheWebhookSecret_WebhookUrlShowsIt()
    {
        using var folder = new TempFolder();
        using var server = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path]);
        await server.WaitForLineAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(15));
        var secret = (await File.ReadAllTextAsync(Path.Combine(folder.Path, "webhook-secret"))).Trim();

        Assert.DoesNotContain(secret, server.Output + server.Error, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^Plex webhook URL: http://127\.0\.0\.1:\d+/webhooks/plex/\*{8}\r?$", server.Output);
        Assert.Matches(@"(?m)^Jellyfin webhook URL: http://127\.0\.0\.1:\d+/webhooks/jellyfin/\*{8}\r?$", server.Output);
        Assert.Contains("marquee webhook-url", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", server.Error, StringComparison.Ordinal);

        using var cli = new CliRunner();
        var urls = await cli.OkAsync("webhook-url", "--data", folder.Path, "--base", "https://marquee.example.org/");
        Assert.Contains($"Plex webhook URL: https://marquee.example.org/webhooks/plex/{secret}", urls, StringComparison.Ordinal);
        Assert.Contains($"Jellyfin webhook URL: https://marquee.example.org/webhooks/jellyfin/{secret}", urls, StringComparison.Ordinal);
        Assert.Contains($"Emby webhook URL: https://marquee.example.org/webhooks/emby/{secret}", urls, StringComparison.Ordinal);
        Assert.Contains($"Plex webhook URL: http://127.0.0.1:8754/webhooks/plex/{secret}", await cli.OkAsync("webhook-url", "--data", folder.Path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoAuthentication_WildcardBindWithoutTls_WarnsLoudly_PrintsNoZeroAddress()
    {
        using var folder = new TempFolder();
        using var server = MarqueeProcess.Start(["serve", "--urls", "http://0.0.0.0:0", "--data", folder.Path]);
        await server.WaitForLineAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(15));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!server.Error.Contains("reverse proxy", StringComparison.Ordinal) && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
        }

        Assert.Contains("WARNING: Marquee listens on http://0.0.0.0:", server.Error, StringComparison.Ordinal);
        Assert.Contains("reverse proxy with TLS", server.Error, StringComparison.Ordinal);
        var webhookLines = server.Output.Split('\n').Where(l => l.Contains("/webhooks/", StringComparison.Ordinal)).ToList();
        // One line per sender: Plex, Jellyfin, Emby, Radarr, Sonarr and Overseerr/Jellyseerr.
        Assert.Equal(6, webhookLines.Count);
        Assert.Contains(webhookLines, l => l.Contains("/webhooks/seerr/", StringComparison.Ordinal));
        Assert.All(webhookLines, l => Assert.DoesNotContain("0.0.0.0", l, StringComparison.Ordinal));
        Assert.Contains("use the address Plex reaches this machine at", server.Output, StringComparison.Ordinal);

        // Behind a reverse proxy with TLS, the same bind is expected: no warning.
        using var proxied = new TempFolder();
        using var behindProxy = MarqueeProcess.Start(
            ["serve", "--urls", "http://0.0.0.0:0", "--data", proxied.Path],
            new Dictionary<string, string> { ["MARQUEE__Marquee__Server__ReverseProxy"] = "true" });
        await behindProxy.WaitForLineAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(15));
        Assert.DoesNotContain("WARNING", behindProxy.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoAuthentication_ApikeyCommand_PrintsTheKeyTheServerTakes_RotateReplacesIt()
    {
        using var folder = new TempFolder();
        using var cli = new CliRunner();
        using var server = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path]);
        var line = await server.WaitForLineAsync("listening on", TimeSpan.FromSeconds(15));
        using var http = new HttpClient { BaseAddress = new Uri(line[line.IndexOf("http://", StringComparison.Ordinal)..]) };

        var key = (await cli.OkAsync("apikey", "--data", folder.Path)).Trim();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/connections")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/connections?apikey={key}")).StatusCode);
        Assert.DoesNotContain(key, server.Output + server.Error, StringComparison.Ordinal);

        var rotated = (await cli.OkAsync("apikey", "--rotate", "--data", folder.Path)).Trim();

        Assert.NotEqual(key, rotated);
        Assert.Equal(rotated, (await cli.OkAsync("apikey", "--data", folder.Path)).Trim());
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while ((await http.GetAsync($"/api/connections?apikey={rotated}")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "the running server did not take the rotated key within 5 s");
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/api/connections?apikey={key}")).StatusCode);
    }
}
