using System.Text.Json;
using Marquee.Simulators.Jellyfin;
using Marquee.Simulators.Plex;

namespace Marquee.Simulators.Tests.Jellyfin;

public sealed class JellyfinLibraryTests
{
    [Fact]
    public async Task SameSeed_GivesThePlexSimulatorsTitlesAndIds()
    {
        await using var jellyfin = await JellyfinSimHost.StartAsync();
        await using var plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 30, Shows = 6, LegacyShare = 0.5 }, CancellationToken.None);

        var jf = jellyfin.Sim.State.Items().Where(i => i.Type == "Movie").ToList();
        var px = plex.State.ItemsOfType(1, Marquee.Simulators.Plex.Model.ItemType.Movie).Where(m => m.EditionTitle is null).ToList();

        Assert.Equal(px.Select(m => m.Title).Order(StringComparer.Ordinal), jf.Select(m => m.Name).Order(StringComparer.Ordinal));
        foreach (var movie in jf)
        {
            var twin = px.Single(m => m.RatingKey == movie.PlexRatingKey);
            Assert.Contains("imdb://" + movie.ProviderIds["Imdb"], twin.SourceIds);
            Assert.Contains("tmdb://" + movie.ProviderIds["Tmdb"], twin.SourceIds);
            Assert.Equal(twin.Year, movie.Year);
        }
    }

    [Fact]
    public async Task Items_PagesWithStartIndexLimitAndTotalRecordCount()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var client = host.ApiKeyClient();
        var user = host.Sim.Admin.Id;

        var first = await JellyfinSimHost.JsonAsync(client, $"/Items?userId={user}&Recursive=true&IncludeItemTypes=Movie&SortBy=SortName&StartIndex=0&Limit=7");
        var second = await JellyfinSimHost.JsonAsync(client, $"/Items?userId={user}&Recursive=true&IncludeItemTypes=Movie&SortBy=SortName&StartIndex=7&Limit=7");

        Assert.Equal(30, first.GetProperty("TotalRecordCount").GetInt32());
        Assert.Equal(7, first.GetProperty("Items").GetArrayLength());
        Assert.Equal(7, second.GetProperty("StartIndex").GetInt32());
        Assert.Empty(Ids(first).Intersect(Ids(second)));
    }

    [Fact]
    public async Task Items_FieldsDecideProviderIdsAndPath_UserDataNeedsAUser()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var client = host.ApiKeyClient();

        var bare = (await JellyfinSimHost.JsonAsync(client, "/Items?Recursive=true&IncludeItemTypes=Movie&Limit=1")).GetProperty("Items")[0];
        var full = (await JellyfinSimHost.JsonAsync(client, $"/Items?userId={host.Sim.Admin.Id}&Recursive=true&IncludeItemTypes=Movie&Fields=ProviderIds,Path,UserData&Limit=1")).GetProperty("Items")[0];

        Assert.False(bare.TryGetProperty("ProviderIds", out _));
        Assert.False(bare.TryGetProperty("UserData", out _));
        Assert.StartsWith("tt", full.GetProperty("ProviderIds").GetProperty("Imdb").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(".mkv", full.GetProperty("Path").GetString(), StringComparison.Ordinal);
        Assert.False(full.GetProperty("UserData").GetProperty("Played").GetBoolean());
    }

    [Fact]
    public async Task Episodes_CarrySeriesSeasonAndNumbers_SomeWithoutIds_MultiEpisodeFilesUseIndexNumberEnd()
    {
        await using var host = await JellyfinSimHost.StartAsync(options: new JellyfinSimulatorOptions { Movies = 1, Shows = 40, ClockStart = JellyfinSimHost.Start });
        var items = await JellyfinSimHost.JsonAsync(host.ApiKeyClient(), "/Items?Recursive=true&IncludeItemTypes=Episode&Fields=ProviderIds");
        var episodes = items.GetProperty("Items").EnumerateArray().ToList();

        Assert.All(episodes, e =>
        {
            Assert.Equal("Episode", e.GetProperty("Type").GetString());
            Assert.True(e.TryGetProperty("SeriesId", out _));
            Assert.True(e.TryGetProperty("SeasonId", out _));
            Assert.True(e.TryGetProperty("ParentIndexNumber", out _));
            Assert.True(e.TryGetProperty("IndexNumber", out _));
        });
        Assert.Contains(episodes, e => !e.GetProperty("ProviderIds").EnumerateObject().Any());
        Assert.Contains(episodes, e => e.TryGetProperty("IndexNumberEnd", out var end) && end.GetInt32() == e.GetProperty("IndexNumber").GetInt32() + 1);
    }

    [Fact]
    public async Task Filters_IsPlayed_IsResumable_AndMinDateLastSavedForUser()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var client = host.ApiKeyClient();
        var user = host.Sim.Admin;
        var movies = host.Sim.State.Items().Where(i => i.Type == "Movie").ToList();
        host.Control.Mark(user.Name, movies[0].Id, true);
        host.Control.AdvanceClock(TimeSpan.FromHours(1));
        var since = host.Control.Now;
        host.Control.Play(user.Name, movies[1].Id, movies[1].RunTimeTicks!.Value / 2);

        var played = await JellyfinSimHost.JsonAsync(client, $"/Items?userId={user.Id}&Recursive=true&IncludeItemTypes=Movie&Filters=IsPlayed");
        var resumable = await JellyfinSimHost.JsonAsync(client, $"/Items?userId={user.Id}&Recursive=true&IncludeItemTypes=Movie&Filters=IsResumable");
        var isPlayed = await JellyfinSimHost.JsonAsync(client, $"/Items?userId={user.Id}&Recursive=true&IncludeItemTypes=Movie&IsPlayed=true");
        var changed = await JellyfinSimHost.JsonAsync(client, $"/Items?userId={user.Id}&Recursive=true&IncludeItemTypes=Movie&MinDateLastSavedForUser={Uri.EscapeDataString(since.ToString("o"))}");
        var saved = await JellyfinSimHost.JsonAsync(client, $"/Items?Recursive=true&IncludeItemTypes=Movie&MinDateLastSaved=2100-01-01T00:00:00Z");

        Assert.Equal([movies[0].Id], Ids(played));
        Assert.Equal([movies[0].Id], Ids(isPlayed));
        Assert.Equal([movies[1].Id], Ids(resumable));
        Assert.Equal([movies[1].Id], Ids(changed));
        Assert.Equal(0, saved.GetProperty("TotalRecordCount").GetInt32());
    }

    [Fact]
    public async Task Emby_UsesNumericItemIds_AndListsItemsPerUser()
    {
        await using var host = await JellyfinSimHost.StartAsync(JellyfinFlavor.Emby);

        var items = await JellyfinSimHost.JsonAsync(host.ApiKeyClient(), $"/Users/{host.Sim.Admin.Id}/Items?Recursive=true&IncludeItemTypes=Movie&Fields=ProviderIds&Limit=3");
        var (played, _) = await JellyfinSimHost.SendAsync(host.ApiKeyClient(), HttpMethod.Post, $"/UserPlayedItems/{Ids(items)[0]}?userId={host.Sim.Admin.Id}");

        Assert.All(Ids(items), id => Assert.True(long.TryParse(id, out _)));
        Assert.Equal(404, played);
    }

    internal static List<string> Ids(JsonElement result) =>
        [.. result.GetProperty("Items").EnumerateArray().Select(i => i.GetProperty("Id").GetString()!)];
}
