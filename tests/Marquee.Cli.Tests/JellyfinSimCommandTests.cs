using System.Diagnostics;
using System.Net;
using Marquee.Cli.Tests.Infrastructure;

namespace Marquee.Cli.Tests;

[Trait("Runs", "Process")]
public sealed class JellyfinSimCommandTests
{
    [Theory]
    [InlineData("jellyfin")]
    [InlineData("emby")]
    public async Task SimJellyfin_PrintsUrlUsersAndIds_ServesUntilSigterm(string kind)
    {
        using var sim = MarqueeProcess.Start(["sim", kind, "--port", "0", "--seed", "7", "--users", "3", "--movies", "12", "--shows", "2", "--api-key", "MY_KEY"]);

        var server = await sim.WaitForLineAsync("Server ", TimeSpan.FromSeconds(20));
        await sim.WaitForLineAsync("Press Ctrl+C", TimeSpan.FromSeconds(5));
        var url = server.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Users");
        request.Headers.TryAddWithoutValidation("Authorization", "MediaBrowser Client=\"t\", Device=\"t\", DeviceId=\"t\", Version=\"1\", Token=\"MY_KEY\"");
        var users = await http.SendAsync(request);
        var unauthorized = await http.GetAsync(new Uri("/Users", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Contains("MY_KEY", sim.Output, StringComparison.Ordinal);
        Assert.Contains(" admin ", sim.Output, StringComparison.Ordinal);
        Assert.Contains("admin-pw", sim.Output, StringComparison.Ordinal);
        Assert.Contains("ada", sim.Output, StringComparison.Ordinal);
        Assert.Contains("milo", sim.Output, StringComparison.Ordinal);
        Assert.Matches("[0-9a-f]{32}", sim.Output);

        using (var kill = Process.Start("kill", ["-TERM", sim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        Assert.Equal(0, await sim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("jellyfin", "--port", "70000")]
    [InlineData("jellyfin", "--users", "0")]
    [InlineData("jellyfin", "--fault-rate", "2")]
    [InlineData("jellyfin", "--api-key", " ")]
    [InlineData("emby", "--seed", "seven")]
    [InlineData("emby", "--webhook-url", "nope")]
    public async Task SimJellyfin_BadFlag_ExitsTwo(string kind, string flag, string value)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("sim", kind, flag, value);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }
}
