using System.Net;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 10 item 14: emptyTrash and refresh.</summary>
public sealed class MaintenanceTests
{
    [Fact]
    public async Task EmptyTrash_RemovesOnlyUnavailableItems()
    {
        await using var host = await SimHost.StartAsync();
        var movies = host.Sim.State.ItemsOfType(1, Marquee.Simulators.Plex.Model.ItemType.Movie);
        host.Control.MarkUnavailable(movies[0].RatingKey);
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PutAsync(new Uri("/library/sections/1/emptyTrash", UriKind.Relative), null)).EnsureSuccessStatusCode();
        using var gone = await owner.GetAsync(new Uri($"/library/metadata/{movies[0].RatingKey}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var kept = await owner.GetAsync(new Uri($"/library/metadata/{movies[1].RatingKey}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
    }

    [Fact]
    public async Task Refresh_ReturnsImmediatelyWith200()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        using var post = await owner.PostAsync(new Uri("/library/sections/1/refresh?force=1", UriKind.Relative), null);
        using var get = await owner.GetAsync(new Uri("/library/sections/2/refresh", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Empty(await post.Content.ReadAsStringAsync());
    }
}
