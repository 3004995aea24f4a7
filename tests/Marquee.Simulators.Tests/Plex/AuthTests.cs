using System.Net;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 10 item 1: tokens and scoping.</summary>
public sealed class AuthTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/library/sections")]
    [InlineData("/library/sections/1/all")]
    [InlineData("/status/sessions/history/all")]
    public async Task Get_WithoutToken_Returns401Html(string path)
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(null).GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>401 Unauthorized</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithBadToken_Returns401()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms("not-a-token").GetAsync(new Uri("/library/sections", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Identity_WithoutToken_Returns200()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(null).GetAsync(new Uri("/identity", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/status/sessions")]
    [InlineData("GET", "/accounts")]
    [InlineData("POST", "/status/sessions/terminate?sessionId=x")]
    [InlineData("PUT", "/library/sections/1/all?type=1&label%5B0%5D.tag.tag=x")]
    [InlineData("PUT", "/library/sections/1/emptyTrash")]
    [InlineData("POST", "/library/sections/1/refresh")]
    public async Task OwnerOnlyEndpoint_FriendToken_Returns403(string method, string path)
    {
        await using var host = await SimHost.StartAsync();
        using var response = await SimHost.SendAsync(host.Pms(host.Friend.ServerToken), new HttpMethod(method), path);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AccountToken_OfFriend_IsNotAServerToken()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(host.Friend.AccountToken).GetAsync(new Uri("/library/sections", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Scrobble_FriendToken_TouchesOnlyFriendState()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var friend = host.Pms(host.Friend.ServerToken);
        var owner = host.Pms(host.Owner.AccountToken);
        var ownerBefore = SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewCount");
        var friendBefore = SimHost.Long(await SimHost.ItemAsync(friend, movie), "viewCount");

        (await friend.PutAsync(new Uri($"/:/scrobble?identifier=com.plexapp.plugins.library&key={movie}", UriKind.Relative), null)).EnsureSuccessStatusCode();

        Assert.Equal(friendBefore + 1, SimHost.Long(await SimHost.ItemAsync(friend, movie), "viewCount"));
        Assert.Equal(ownerBefore, SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewCount"));
    }

    [Fact]
    public async Task Sections_FriendToken_SeesOnlySharedSections()
    {
        await using var host = await SimHost.StartAsync();
        var sections = await SimHost.ContainerAsync(host.Pms(host.Friend.ServerToken), "/library/sections");
        var keys = sections.GetProperty("Directory").EnumerateArray().Select(d => d.GetProperty("key").GetString()).ToList();
        Assert.DoesNotContain("3", keys);
        using var hidden = await host.Pms(host.Friend.ServerToken).GetAsync(new Uri("/library/sections/3/all", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.NotEmpty(host.Sim.State.ItemsOfType(3, ItemType.Movie));
    }
}
