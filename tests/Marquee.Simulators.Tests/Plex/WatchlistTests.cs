using System.Net;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 10 item 16 and section 8.</summary>
public sealed class WatchlistTests
{
    private static string Hex(PlexItemView item) => item.Guid.Split('/')[^1];

    [Fact]
    public async Task Watchlist_AddRemove_IsPerAccountAndSetsWatchlistedAt()
    {
        await using var host = await SimHost.StartAsync();
        var movie = new PlexItemView(host.Sim.State.ItemsOfType(1, ItemType.Movie).First(m => m.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)).PrimaryGuid);
        var owner = host.Discover(host.Owner.AccountToken);
        var friend = host.Discover(host.Friend.AccountToken);

        (await owner.PutAsync(new Uri($"/actions/addToWatchlist?ratingKey={Hex(movie)}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var mine = await SimHost.ContainerAsync(owner, "/library/sections/watchlist/all");
        var theirs = await SimHost.ContainerAsync(friend, "/library/sections/watchlist/all");
        Assert.Equal(Hex(movie), Assert.Single(SimHost.Metadata(mine)).GetProperty("ratingKey").GetString());
        Assert.Equal(0, theirs.GetProperty("totalSize").GetInt32());
        var state = await SimHost.ContainerAsync(host.Metadata(host.Owner.AccountToken), $"/library/metadata/{Hex(movie)}/userState");
        Assert.Equal(SimHost.Start.ToUnixTimeSeconds(), state.GetProperty("UserState").GetProperty("watchlistedAt").GetInt64());

        (await owner.PutAsync(new Uri($"/actions/removeFromWatchlist?ratingKey={Hex(movie)}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        Assert.Equal(0, (await SimHost.ContainerAsync(owner, "/library/sections/watchlist/all")).GetProperty("totalSize").GetInt32());
        var after = await SimHost.ContainerAsync(host.Metadata(host.Owner.AccountToken), $"/library/metadata/{Hex(movie)}/userState");
        Assert.False(after.GetProperty("UserState").TryGetProperty("watchlistedAt", out _));
    }

    [Fact]
    public async Task Watchlist_OnMetadataHost_Returns404()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Metadata(host.Owner.AccountToken).GetAsync(new Uri("/library/sections/watchlist/all", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Watchlist_ServerToken_Returns401()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Discover(host.Owner.ServerToken).GetAsync(new Uri("/library/sections/watchlist/all", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Watchlist_NonHexRatingKey_Returns400()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Discover(host.Owner.AccountToken).PutAsync(new Uri("/actions/addToWatchlist?ratingKey=1001", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private sealed record PlexItemView(string Guid);
}
