using System.Net;
using System.Text.RegularExpressions;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Health;

/// <summary>Issue 13, finding 4: outside input must not add metrics series (each one is kept for the life of the process).</summary>
public sealed partial class MetricsLabelTests
{
    [Fact]
    public async Task UnboundedMemory_ArbitraryMethodsAndPaths_NoNewMetricsSeries()
    {
        await using var app = await MarqueeApp.StartAsync();

        // 200 requests, each with its own made-up method and path, with and without the key.
        for (var i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod($"X{i:D3}METHOD"), $"/api/made-up-{i}/{Guid.NewGuid():N}");
            await (i % 2 == 0 ? app.Client : app.Anonymous).SendAsync(request);
        }

        var text = await app.Client.GetStringAsync("/metrics");

        var series = SeriesLine().Matches(text).Select(m => m.Groups["labels"].Value).ToList();
        Assert.DoesNotContain("METHOD", text, StringComparison.Ordinal);
        Assert.DoesNotContain("made-up", text, StringComparison.Ordinal);
        Assert.Contains(series, s => s.StartsWith("method=\"OTHER\",route=\"unmatched\"", StringComparison.Ordinal));
        Assert.True(series.Count <= 4, $"{series.Count} series after 200 distinct methods and paths:\n{string.Join('\n', series)}");
        Assert.All(series, s => Assert.Matches(@"^method=""(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|OTHER)""", s));
    }

    [Fact]
    public async Task UnboundedMemory_KnownMethodsInAnyCase_OneLabelEach()
    {
        await using var app = await MarqueeApp.StartAsync();

        foreach (var method in new[] { "get", "Get", "GET" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), "/healthz");
            Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(request)).StatusCode);
        }

        var text = await app.Client.GetStringAsync("/metrics");
        Assert.Matches(@"(?m)^http_server_requests_total\{method=""GET"",route=""/healthz"",status=""200""\} 3$", text);
    }

    [GeneratedRegex(@"(?m)^http_server_requests_total\{(?<labels>[^}]*)\} \d+$")]
    private static partial Regex SeriesLine();
}
