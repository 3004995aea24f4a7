using System.Net.Http.Json;
using System.Text.Json;

namespace Marquee.Simulators.Tests.Jellyfin;

/// <summary>The "acknowledge without applying" fault on Jellyfin writes.</summary>
public sealed class JellyfinAcknowledgeFaultTests
{
    [Theory]
    [InlineData("POST /Users/{userId}/PlayedItems/{itemId}", "POST", "/Users/{0}/PlayedItems/{1}", null)]
    [InlineData("POST /UserPlayedItems/{itemId}", "POST", "/UserPlayedItems/{1}?userId={0}", null)]
    [InlineData("DELETE /UserPlayedItems/{itemId}", "DELETE", "/UserPlayedItems/{1}?userId={0}", null)]
    [InlineData("POST /UserItems/{itemId}/UserData", "POST", "/UserItems/{1}/UserData?userId={0}", "{\"Played\":true,\"PlayCount\":4,\"IsFavorite\":true}")]
    [InlineData("POST /Users/{userId}/Items/{itemId}/UserData", "POST", "/Users/{0}/Items/{1}/UserData", "{\"PlaybackPositionTicks\":300000000}")]
    public async Task Write_AnswersTheUnchangedUserData_AndChangesNothing(string endpoint, string method, string template, string? body)
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var client = host.ApiKeyClient();
        var user = host.Sim.Users[1];
        var movie = host.Sim.State.Items().First(i => i.Type == "Movie");
        if (method == "DELETE")
        {
            host.Control.Mark(user.Name, movie.Id, played: true);
        }
        else
        {
            host.Control.Mark(user.Name, movie.Id, played: false);
        }

        var before = host.Control.Data(user.Name, movie.Id);
        (await client.PutAsJsonAsync(new Uri("/_sim/faults", UriKind.Relative), new { endpoint, spec = new { acknowledgeWithoutApplying = 1.0, times = 1 } })).EnsureSuccessStatusCode();
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, user.Id, movie.Id);

        var (status, answer) = await JellyfinSimHost.SendAsync(client, new HttpMethod(method), path, body);
        Assert.Equal(200, status);
        Assert.Equal(before.Played, JsonDocument.Parse(answer).RootElement.GetProperty("Played").GetBoolean());
        Assert.Equal(before, host.Control.Data(user.Name, movie.Id));
        Assert.Equal(1, host.Control.RequestCounts[endpoint]);

        var (again, _) = await JellyfinSimHost.SendAsync(client, new HttpMethod(method), path, body);
        Assert.Equal(200, again);
        Assert.NotEqual(before, host.Control.Data(user.Name, movie.Id));
    }

    [Fact]
    public async Task PlaybackReport_IsAnswered204_AndChangesNothing()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var user = host.Sim.Users[1];
        var token = await host.LoginAsync(user.Name, user.Password);
        var client = host.Client(token);
        var movie = host.Sim.State.Items().First(i => i.Type == "Movie");
        var before = host.Control.Data(user.Name, movie.Id);
        host.Control.SetFault("POST /Sessions/Playing/Stopped", new Marquee.Simulators.Infrastructure.FaultSpec { AcknowledgeWithoutApplying = 1 });

        var (status, _) = await JellyfinSimHost.SendAsync(client, HttpMethod.Post, "/Sessions/Playing/Stopped", $"{{\"ItemId\":\"{movie.Id}\",\"PositionTicks\":{movie.RunTimeTicks}}}");
        Assert.Equal(204, status);
        Assert.Equal(before, host.Control.Data(user.Name, movie.Id));
    }

    [Fact]
    public async Task Faults_RejectAProbabilityOutside0To1()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var (status, body) = await JellyfinSimHost.SendAsync(host.ApiKeyClient(), HttpMethod.Put, "/_sim/faults", "{\"endpoint\":\"POST /UserPlayedItems/{itemId}\",\"spec\":{\"acknowledgeWithoutApplying\":3}}");
        Assert.Equal(400, status);
        Assert.Contains("acknowledgeWithoutApplying", body, StringComparison.Ordinal);
        Assert.Empty(host.Control.Harness.Faults);
    }
}
