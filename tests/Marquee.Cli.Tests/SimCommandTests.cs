using System.Diagnostics;
using System.Net;
using Marquee.Cli.Tests.Infrastructure;

namespace Marquee.Cli.Tests;

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

    [Theory]
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
