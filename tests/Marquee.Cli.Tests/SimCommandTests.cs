using System.Diagnostics;
using System.Net;
using Marquee.Cli.Tests.Infrastructure;

namespace Marquee.Cli.Tests;

[Trait("Runs", "Process")]
public sealed class SimCommandTests
{
    [Fact]
    public async Task SimPlex_PrintsUrlsAndAccounts_ServesUntilSigterm()
    {
        using var sim = MarqueeProcess.Start(["sim", "plex", "--port", "0", "--movies", "12", "--shows", "2", "--home-users", "1", "--friends", "1", "--token", "MY_OWNER_TOKEN"]);

        var pms = await sim.WaitForLineAsync("PMS ", TimeSpan.FromSeconds(20));
        await sim.WaitForLineAsync("Press Ctrl+C", TimeSpan.FromSeconds(5));
        var url = pms.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/library/sections");
        request.Headers.Add("X-Plex-Token", "MY_OWNER_TOKEN");
        request.Headers.Add("Accept", "application/json");
        var sections = await http.SendAsync(request);
        var unauthorized = await http.GetAsync("/library/sections");

        Assert.Equal(HttpStatusCode.OK, sections.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Contains("plex.tv", sim.Output, StringComparison.Ordinal);
        Assert.Contains(" owner ", sim.Output, StringComparison.Ordinal);
        Assert.Contains(" home ", sim.Output, StringComparison.Ordinal);
        Assert.Contains(" friend ", sim.Output, StringComparison.Ordinal);

        using (var kill = Process.Start("kill", ["-TERM", sim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        Assert.Equal(0, await sim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task SimPlex_Servers_RunsThatManyServersOfOneOwnerBehindOnePlexTv()
    {
        using var sim = MarqueeProcess.Start(["sim", "plex", "--servers", "2", "--port", "0", "--movies", "6", "--shows", "1", "--token", "MY_OWNER_TOKEN"]);

        var plexTvLine = await sim.WaitForLineAsync("plex.tv (all servers)", TimeSpan.FromSeconds(30));
        await sim.WaitForLineAsync("Press Ctrl+C", TimeSpan.FromSeconds(10));
        var plexTv = new Uri(plexTvLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]);
        var servers = sim.Output.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length == 2 && p[0].StartsWith("sim-server-", StringComparison.Ordinal))
            .ToDictionary(p => p[0], p => new Uri(p[1]));
        Assert.Equal(["sim-server-1", "sim-server-2"], servers.Keys.Order(StringComparer.Ordinal));
        Assert.NotEqual(servers["sim-server-1"], servers["sim-server-2"]);

        using var http = new HttpClient();
        using var resourcesRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(plexTv, "api/v2/resources"));
        resourcesRequest.Headers.Add("X-Plex-Token", "MY_OWNER_TOKEN");
        resourcesRequest.Headers.Add("X-Plex-Client-Identifier", "cli-test");
        resourcesRequest.Headers.Add("Accept", "application/json");
        using var resources = await http.SendAsync(resourcesRequest);
        var listed = System.Text.Json.JsonDocument.Parse(await resources.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("connections")[0].GetProperty("uri").GetString()!);
        Assert.Equal(servers.ToDictionary(p => p.Key, p => p.Value.GetLeftPart(UriPartial.Authority)), listed);

        foreach (var server in servers.Values)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, "library/sections"));
            request.Headers.Add("X-Plex-Token", "MY_OWNER_TOKEN");
            using var sections = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, sections.StatusCode);
        }

        using (var kill = Process.Start("kill", ["-TERM", sim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        Assert.Equal(0, await sim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("--servers", "0")]
    [InlineData("--servers", "11")]
    [InlineData("--servers", "two")]
    [InlineData("--port", "70000")]
    [InlineData("--fault-rate", "1.5")]
    [InlineData("--legacy-share", "-0.1")]
    [InlineData("--movies", "-1")]
    [InlineData("--webhook-url", "not a url")]
    [InlineData("--latency-ms", "ten")]
    public async Task SimPlex_BadFlag_ExitsTwo(string flag, string value)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("sim", "plex", flag, value);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }
}
