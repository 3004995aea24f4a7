using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Marquee.Cli.Tests.Infrastructure;

namespace Marquee.Cli.Tests;

[Trait("Runs", "Process")]
public sealed class NotifySimCommandTests
{
    [Fact]
    public async Task SimDiscord_PrintsItsWebhook_RecordsAMessage_UntilSigterm()
    {
        using var sim = MarqueeProcess.Start(["sim", "discord", "--port", "0", "--rate-limit", "0"]);

        var line = await sim.WaitForLineAsync("Webhook ", TimeSpan.FromSeconds(20));
        await sim.WaitForLineAsync("Press Ctrl+C", TimeSpan.FromSeconds(5));
        var url = new Uri(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        using var http = new HttpClient();
        using var posted = await http.PostAsJsonAsync(url, new { content = "hello from the test" });
        var messages = await http.GetStringAsync(new Uri(url, "/_sim/messages"));

        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        Assert.Contains("hello from the test", messages, StringComparison.Ordinal);
        Assert.Equal(0, await StopAsync(sim));
    }

    [Fact]
    public async Task SimNtfy_WithAToken_RefusesAnonymousPublishing_AndRecordsAnAuthorisedOne()
    {
        using var sim = MarqueeProcess.Start(["sim", "ntfy", "--port", "0", "--token", "tk_cli"]);

        var line = await sim.WaitForLineAsync("Server ", TimeSpan.FromSeconds(20));
        await sim.WaitForLineAsync("Press Ctrl+C", TimeSpan.FromSeconds(5));
        using var http = new HttpClient { BaseAddress = new Uri(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) };
        using var anonymous = await http.PostAsJsonAsync("/", new { topic = "plex", message = "no token" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = JsonContent.Create(new { topic = "plex", message = "with a token" }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "tk_cli");
        using var authorised = await http.SendAsync(request);
        var messages = await http.GetStringAsync(new Uri("/_sim/messages", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.True(authorised.IsSuccessStatusCode, await authorised.Content.ReadAsStringAsync());
        Assert.Contains("with a token", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("no token", messages, StringComparison.Ordinal);
        Assert.Equal(0, await StopAsync(sim));
    }

    [Theory]
    [InlineData("discord", "--port", "70000")]
    [InlineData("discord", "--rate-limit", "-1")]
    [InlineData("discord", "--rate-window-seconds", "0")]
    [InlineData("ntfy", "--token", "secret")]
    [InlineData("ntfy", "--fault-rate", "2")]
    [InlineData("ntfy", "--latency-ms", "-5")]
    public async Task SimNotify_BadFlag_ExitsTwo(string kind, string flag, string value)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("sim", kind, flag, value);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }

    private static async Task<int> StopAsync(MarqueeProcess sim)
    {
        using (var kill = Process.Start("kill", ["-TERM", sim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await sim.WaitForExitAsync(TimeSpan.FromSeconds(10));
    }
}
