using System.Text.Json;
using Marquee.Simulators.Jellyfin;

namespace Marquee.Simulators.Tests.Jellyfin;

/// <summary>Routes and fields peer tools use on Jellyfin 10.11 besides the ones in the stable description.</summary>
public sealed class JellyfinClientFidelityTests
{
    [Theory]
    [InlineData(JellyfinFlavor.Jellyfin)]
    [InlineData(JellyfinFlavor.Emby)]
    public async Task LegacyUserViews_ListTheLibraries(JellyfinFlavor flavor)
    {
        await using var host = await JellyfinSimHost.StartAsync(flavor);
        var user = host.Sim.Admin.Id;
        var views = await JellyfinSimHost.JsonAsync(host.ApiKeyClient(), $"/Users/{user}/Views");
        Assert.Equal(host.Sim.State.Views.Count, views.GetProperty("TotalRecordCount").GetInt32());
        Assert.All(views.GetProperty("Items").EnumerateArray(), v => Assert.Equal("CollectionFolder", v.GetProperty("Type").GetString()));

        var (unknown, _) = await JellyfinSimHost.SendAsync(host.ApiKeyClient(), HttpMethod.Get, "/Users/0123456789abcdef0123456789abcdef/Views");
        Assert.Equal(404, unknown);
        var (anonymous, _) = await JellyfinSimHost.SendAsync(host.Client(null), HttpMethod.Get, $"/Users/{user}/Views");
        Assert.Equal(401, anonymous);
    }

    [Fact]
    public async Task ShowEpisodes_InOrder_PerSeason_Paged()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var client = host.ApiKeyClient();
        var user = host.Sim.Admin.Id;
        var series = host.Sim.State.Items().First(i => i.Type == "Series");
        var expected = host.Sim.State.Items().Where(i => i.Type == "Episode" && i.SeriesId == series.Id)
            .OrderBy(i => i.ParentIndexNumber).ThenBy(i => i.IndexNumber).Select(i => i.Id).ToList();

        var all = await JellyfinSimHost.JsonAsync(client, $"/Shows/{series.Id}/Episodes?userId={user}&fields=ProviderIds");
        Assert.Equal(expected, Ids(all));
        Assert.Equal(expected.Count, all.GetProperty("TotalRecordCount").GetInt32());
        Assert.True(all.GetProperty("Items")[0].TryGetProperty("UserData", out _));

        var season = host.Sim.State.Items().First(i => i.Type == "Episode" && i.SeriesId == series.Id && i.ParentIndexNumber == 1);
        var one = await JellyfinSimHost.JsonAsync(client, $"/Shows/{series.Id}/Episodes?season=1");
        Assert.All(one.GetProperty("Items").EnumerateArray(), e => Assert.Equal(1, e.GetProperty("ParentIndexNumber").GetInt32()));
        var bySeasonId = await JellyfinSimHost.JsonAsync(client, $"/Shows/{series.Id}/Episodes?seasonId={season.SeasonId}");
        Assert.Equal(Ids(one), Ids(bySeasonId));

        var page = await JellyfinSimHost.JsonAsync(client, $"/Shows/{series.Id}/Episodes?startIndex=1&limit=2");
        Assert.Equal(expected.Skip(1).Take(2), Ids(page));
        Assert.Equal(expected.Count, page.GetProperty("TotalRecordCount").GetInt32());

        var movie = host.Sim.State.Items().First(i => i.Type == "Movie");
        Assert.Equal(404, (await JellyfinSimHost.SendAsync(client, HttpMethod.Get, $"/Shows/{movie.Id}/Episodes")).Status);
        Assert.Equal(400, (await JellyfinSimHost.SendAsync(client, HttpMethod.Get, $"/Shows/{series.Id}/Episodes?season=first")).Status);
        Assert.Equal(400, (await JellyfinSimHost.SendAsync(client, HttpMethod.Get, $"/Shows/{series.Id}/Episodes?limit=-1")).Status);
    }

    [Fact]
    public async Task Series_CarryRecursiveItemCount_UnplayedItemCount_PlayedPercentage()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var client = host.ApiKeyClient();
        var user = host.Sim.Users[1];
        var series = host.Sim.State.Items().First(i => i.Type == "Series");
        var episodes = host.Sim.State.Items().Where(i => i.Type == "Episode" && i.SeriesId == series.Id).ToList();
        foreach (var episode in episodes)
        {
            host.Control.Mark(user.Name, episode.Id, played: false);
        }

        host.Control.Mark(user.Name, episodes[0].Id, played: true);

        var item = (await JellyfinSimHost.JsonAsync(client, $"/Items?userId={user.Id}&ids={series.Id}&fields=RecursiveItemCount")).GetProperty("Items")[0];
        Assert.Equal(episodes.Count, item.GetProperty("RecursiveItemCount").GetInt32());
        var data = item.GetProperty("UserData");
        Assert.Equal(episodes.Count - 1, data.GetProperty("UnplayedItemCount").GetInt32());
        Assert.Equal(Math.Round(100.0 / episodes.Count, 2), data.GetProperty("PlayedPercentage").GetDouble(), 2);
        Assert.False(data.GetProperty("Played").GetBoolean());

        foreach (var episode in episodes)
        {
            host.Control.Mark(user.Name, episode.Id, played: true);
        }

        var done = (await JellyfinSimHost.JsonAsync(client, $"/Items?userId={user.Id}&ids={series.Id}")).GetProperty("Items")[0];
        Assert.False(done.TryGetProperty("RecursiveItemCount", out _));
        Assert.Equal(0, done.GetProperty("UserData").GetProperty("UnplayedItemCount").GetInt32());
        Assert.Equal(100, done.GetProperty("UserData").GetProperty("PlayedPercentage").GetDouble());
        Assert.True(done.GetProperty("UserData").GetProperty("Played").GetBoolean());
    }

    private static List<string> Ids(JsonElement result) => [.. result.GetProperty("Items").EnumerateArray().Select(i => i.GetProperty("Id").GetString()!)];
}
