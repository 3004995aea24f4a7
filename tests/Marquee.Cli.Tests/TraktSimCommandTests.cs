using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marquee.Cli.Tests.Infrastructure;

namespace Marquee.Cli.Tests;

[Trait("Runs", "Process")]
public sealed class TraktSimCommandTests
{
    [Fact]
    public async Task SimTrakt_PrintsItsApi_AndAnswersTheDeviceFlow_UntilSigterm()
    {
        using var sim = MarqueeProcess.Start(["sim", "trakt", "--port", "0", "--auto-approve", "anna", "--poll-interval", "0", "--movies", "10", "--shows", "2"]);

        var line = await sim.WaitForLineAsync("API ", TimeSpan.FromSeconds(20));
        await sim.WaitForLineAsync("Press Ctrl+C", TimeSpan.FromSeconds(5));
        using var http = new HttpClient { BaseAddress = new Uri(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) };
        var codes = await (await http.PostAsJsonAsync("oauth/device/code", new { client_id = "SIM_CLIENT_ID" })).Content.ReadFromJsonAsync<JsonObject>();
        object poll = new { code = codes!["device_code"]!.GetValue<string>(), client_id = "SIM_CLIENT_ID", client_secret = "SIM_CLIENT_SECRET" };
        using var pending = await http.PostAsJsonAsync("oauth/device/token", poll);
        using var approved = await http.PostAsJsonAsync("oauth/device/token", poll);

        Assert.Equal(HttpStatusCode.BadRequest, pending.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(0, await sim.TerminateAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("--port", "70000")]
    [InlineData("--auto-approve", "zed")]
    [InlineData("--account", "a b")]
    [InlineData("--poll-interval", "-1")]
    [InlineData("--token-lifetime", "0")]
    [InlineData("--post-window-ms", "-1")]
    [InlineData("--client-id", " ")]
    [InlineData("--fault-rate", "2")]
    public async Task SimTrakt_BadFlag_ExitsTwo(string flag, string value)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("sim", "trakt", flag, value);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }
}
