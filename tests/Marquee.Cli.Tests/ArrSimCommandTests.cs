using System.Diagnostics;
using System.Net;
using Marquee.Cli.Tests.Infrastructure;

namespace Marquee.Cli.Tests;

[Trait("Runs", "Process")]
public sealed class ArrSimCommandTests
{
    [Theory]
    [InlineData("radarr", "--movies")]
    [InlineData("sonarr", "--shows")]
    public async Task SimArr_PrintsUrlAndKey_ServesUnderItsUrlBase_UntilSigterm(string kind, string sizeFlag)
    {
        using var sim = MarqueeProcess.Start(["sim", kind, "--port", "0", sizeFlag, "5", "--api-key", "MY_ARR_KEY", "--url-base", "/" + kind]);

        var line = await sim.WaitForLineAsync("URL ", TimeSpan.FromSeconds(20));
        await sim.WaitForLineAsync("Press Ctrl+C", TimeSpan.FromSeconds(5));
        var url = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v3/system/status");
        request.Headers.Add("X-Api-Key", "MY_ARR_KEY");
        using var status = await http.SendAsync(request);
        using var unauthorized = await http.GetAsync(new Uri("api/v3/system/status", UriKind.Relative));

        Assert.EndsWith($"/{kind}/", url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Contains("MY_ARR_KEY", sim.Output, StringComparison.Ordinal);

        using (var kill = Process.Start("kill", ["-TERM", sim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        Assert.Equal(0, await sim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("radarr", "--port", "70000")]
    [InlineData("radarr", "--movies", "-1")]
    [InlineData("radarr", "--url-base", "radarr")]
    [InlineData("sonarr", "--missing", "-3")]
    [InlineData("sonarr", "--api-key", " ")]
    [InlineData("sonarr", "--fault-rate", "1.5")]
    public async Task SimArr_BadFlag_ExitsTwo(string kind, string flag, string value)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("sim", kind, flag, value);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }
}
