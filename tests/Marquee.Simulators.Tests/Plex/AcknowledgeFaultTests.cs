using System.Net;
using System.Net.Http.Json;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>The "acknowledge without applying" fault: a write answered 200 that changes nothing.</summary>
public sealed class AcknowledgeFaultTests
{
    private static async Task SetAsync(HttpClient client, string endpoint, object spec) =>
        (await client.PutAsJsonAsync(new Uri("/_sim/faults", UriKind.Relative), new { endpoint, spec })).EnsureSuccessStatusCode();

    private static async Task<string> StateAsync(HttpClient client) =>
        (await SimHost.JsonAsync(client, "/_sim/accounts/owner/state")).GetRawText();

    [Theory]
    [InlineData("GET /:/scrobble", "GET", "/:/scrobble?identifier=com.plexapp.plugins.library&key={0}")]
    [InlineData("PUT /:/scrobble", "PUT", "/:/scrobble?identifier=com.plexapp.plugins.library&key={0}")]
    [InlineData("PUT /:/unscrobble", "PUT", "/:/unscrobble?identifier=com.plexapp.plugins.library&key={0}")]
    [InlineData("PUT /:/rate", "PUT", "/:/rate?identifier=com.plexapp.plugins.library&key={0}&rating=3")]
    [InlineData("POST /:/timeline", "POST", "/:/timeline?ratingKey={0}&key=/library/metadata/{0}&identifier=com.plexapp.plugins.library&state=stopped&time={1}&duration={2}")]
    public async Task Write_IsAnswered200_AndChangesNothing_UntilTheFaultIsUsedUp(string endpoint, string method, string template)
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var movie = host.FirstMovie();
        var duration = host.Sim.State.Item(movie)!.Duration;
        if (endpoint.Contains("unscrobble", StringComparison.Ordinal))
        {
            (await owner.PutAsync(new Uri($"/:/scrobble?identifier=com.plexapp.plugins.library&key={movie}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        }

        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, movie, (long)(duration * 0.95), duration);
        var before = await StateAsync(owner);
        await SetAsync(owner, endpoint, new { acknowledgeWithoutApplying = 1.0, times = 1 });

        using (var acknowledged = await SimHost.SendAsync(owner, new HttpMethod(method), path))
        {
            Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
            Assert.Equal(string.Empty, await acknowledged.Content.ReadAsStringAsync());
        }

        Assert.Equal(before, await StateAsync(owner));
        Assert.Equal(1, host.Control.RequestCounts[endpoint]);

        // The fault met its one request: the same write now applies.
        using (var applied = await SimHost.SendAsync(owner, new HttpMethod(method), path))
        {
            Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        }

        Assert.NotEqual(before, await StateAsync(owner));
    }

    [Fact]
    public async Task Faults_RejectAProbabilityOutside0To1()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        foreach (var bad in new object[] { new { acknowledgeWithoutApplying = 1.5 }, new { acknowledgeWithoutApplying = -0.1 }, new { error500 = 2.0 } })
        {
            using var response = await owner.PutAsJsonAsync(new Uri("/_sim/faults", UriKind.Relative), new { endpoint = "PUT /:/rate", spec = bad });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("between 0 and 1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(host.Control.Harness.Faults);
    }
}
