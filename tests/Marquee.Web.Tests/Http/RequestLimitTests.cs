using System.Net;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Http;

public sealed class RequestLimitTests
{
    [Theory]
    [InlineData("POST", "/api/connections")]
    [InlineData("PUT", "/api/connections/a")]
    [InlineData("POST", "/api/profiles")]
    [InlineData("PUT", "/api/profiles/anna")]
    [InlineData("POST", "/api/profiles/anna/accounts")]
    [InlineData("POST", "/api/flows")]
    [InlineData("PUT", "/api/flows/ab")]
    public async Task OversizedBody_Returns413AndChangesNothing(string method, string path)
    {
        await using var app = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:Server:MaxRequestBodyBytes"] = "2048" });
        await app.CreatePlexAsync("a");
        await app.CreatePlexAsync("b");
        await app.PostJsonAsync("/api/profiles", new { name = "anna" });
        await app.PostJsonAsync("/api/flows", new { name = "ab", from = "a", to = "b" });
        var before = await SnapshotAsync(app);
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent($$$"""{"name":"{{{new string('x', 10_000)}}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };

        var response = await app.Client.SendAsync(request);

        var problem = await app.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("2048", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(app));
    }

    private static async Task<string> SnapshotAsync(MarqueeApp app) =>
        await app.Client.GetStringAsync("/api/connections") + await app.Client.GetStringAsync("/api/profiles") + await app.Client.GetStringAsync("/api/flows");
}
