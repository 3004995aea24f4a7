using System.Globalization;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>
/// A section listing is filtered and sorted once and kept for the following pages: pages must add up to the unpaged
/// listing, and a page asked for after any write must show the state as it is then, as if nothing were kept.
/// </summary>
public sealed class ListingCacheTests
{
    [Theory]
    [InlineData(1, ItemType.Movie, "type=1")]
    [InlineData(1, ItemType.Movie, "type=1&includeGuids=1&sort=addedAt:desc")]
    [InlineData(1, ItemType.Movie, "type=1&unwatched=1&sort=year,titleSort")]
    [InlineData(2, ItemType.Show, "type=2")]
    [InlineData(2, ItemType.Season, "type=3")]
    [InlineData(2, ItemType.Episode, "type=4")]
    [InlineData(2, ItemType.Episode, "type=4&viewCount%3E%3E=0&sort=lastViewedAt:desc")]
    public async Task Pages_AddUpToTheUnpagedListing_InOrder(int section, ItemType type, string query)
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var path = $"/library/sections/{section}/all?{query}";
        var unpaged = await KeysAsync(owner, path);
        var paged = new List<int>();
        int total;
        do
        {
            var mc = await SimHost.ContainerAsync(owner, $"{path}&X-Plex-Container-Start={paged.Count}&X-Plex-Container-Size=7");
            total = mc.GetProperty("totalSize").GetInt32();
            var page = Keys(mc);
            Assert.Equal(paged.Count, mc.GetProperty("offset").GetInt32());
            if (page.Count == 0)
            {
                break;
            }

            paged.AddRange(page);
        }
        while (paged.Count < total);

        Assert.NotEmpty(unpaged);
        Assert.Equal(unpaged, paged);
        Assert.Equal(Direct(host, host.Owner, section, type, query), unpaged);
    }

    [Fact]
    public async Task AllLeaves_ListsTheSameAsTheEpisodeListing()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var episodes = await KeysAsync(owner, "/library/sections/2/all?type=4");
        var leaves = await KeysAsync(owner, "/library/sections/2/allLeaves?X-Plex-Container-Start=0&X-Plex-Container-Size=100000");
        Assert.Equal(episodes, leaves);
    }

    [Fact]
    public async Task Scrobble_OverHttp_ShowsOnTheNextRequest()
    {
        await using var host = await SimHost.StartAsync();
        const string Query = "type=1&unwatched=1";
        var before = await PageAsync(host, host.Owner, 1, ItemType.Movie, Query);
        var movie = before[0];
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PutAsync(new Uri($"/:/scrobble?identifier=com.plexapp.plugins.library&key={movie}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var after = await PageAsync(host, host.Owner, 1, ItemType.Movie, Query);
        Assert.DoesNotContain(movie, after);
    }

    [Fact]
    public async Task EachAccount_HasItsOwnListing_AndAWriteShowsOnlyInIts()
    {
        await using var host = await SimHost.StartAsync();
        const string Query = "type=1&unwatched=1";
        var owner = await PageAsync(host, host.Owner, 1, ItemType.Movie, Query);
        var home = await PageAsync(host, host.Home, 1, ItemType.Movie, Query);
        Assert.NotEqual(owner, home);
        var movie = home.First(owner.Contains);
        host.Control.Mark(host.Home.Name, movie, watched: true);
        Assert.DoesNotContain(movie, await PageAsync(host, host.Home, 1, ItemType.Movie, Query));
        Assert.Contains(movie, await PageAsync(host, host.Owner, 1, ItemType.Movie, Query));
    }

    [Fact]
    public async Task Unscrobble_Rate_AndPlayback_ShowOnTheNextRequest()
    {
        await using var host = await SimHost.StartAsync();
        var watched = await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1&viewCount%3E%3E=0");
        host.Control.Mark("owner", watched[0], watched: false);
        Assert.DoesNotContain(watched[0], await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1&viewCount%3E%3E=0"));

        var lowest = (await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1&sort=userRating"))[0];
        host.Sim.State.Rate(host.Owner, host.Sim.State.Item(lowest)!, 10, host.Sim.State.Now);
        Assert.NotEqual(lowest, (await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1&sort=userRating"))[0]);

        var idle = await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1&inProgress=0");
        host.Control.Play("owner", idle[0], 60_000);
        Assert.DoesNotContain(idle[0], await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1&inProgress=0"));
    }

    [Fact]
    public async Task TitleEdit_OverHttp_MovesTheItem()
    {
        await using var host = await SimHost.StartAsync();
        var before = await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1");
        var last = before[^1];
        using var response = await SimHost.SendAsync(host.Pms(host.Owner.AccountToken), HttpMethod.Put, $"/library/sections/1/all?type=1&id={last}&title.value=%21%21%20First");
        response.EnsureSuccessStatusCode();
        Assert.Equal(last, (await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1"))[0]);
    }

    [Fact]
    public async Task Delete_Add_AndTrash_ShowOnTheNextRequest()
    {
        await using var host = await SimHost.StartAsync();
        var movies = await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1");
        Assert.True(host.Control.Remove(movies[0]));
        Assert.DoesNotContain(movies[0], await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1"));

        var added = host.Control.AddMovie(1, "!! Added", 2024);
        Assert.Equal(added.RatingKey, (await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1"))[0]);

        Assert.DoesNotContain(movies[1], await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1&trash=1"));
        host.Control.MarkUnavailable(movies[1]);
        Assert.Contains(movies[1], await PageAsync(host, host.Owner, 1, ItemType.Movie, "type=1&trash=1"));

        var season = host.Sim.State.ItemsOfType(2, ItemType.Season)[0];
        var episodes = await PageAsync(host, host.Owner, 2, ItemType.Episode, "type=4");
        var episode = host.Control.AddEpisode(season.RatingKey, "Bonus", 99);
        Assert.Equal(episodes.Count + 1, (await PageAsync(host, host.Owner, 2, ItemType.Episode, "type=4")).Count);
        Assert.Contains(episode.RatingKey, await PageAsync(host, host.Owner, 2, ItemType.Episode, "type=4"));
    }

    [Fact]
    public async Task ItemEditedOutsideTheState_ShowsOnTheNextRequest()
    {
        await using var host = await SimHost.StartAsync();
        const string Query = "type=1&editionTitle=Listing%20Test%20Cut";
        Assert.Empty(await PageAsync(host, host.Owner, 1, ItemType.Movie, Query));
        var movie = host.Sim.State.Item(host.FirstMovie())!;
        movie.EditionTitle = "Listing Test Cut";
        Assert.Equal([movie.RatingKey], await PageAsync(host, host.Owner, 1, ItemType.Movie, Query));
    }

    [Fact]
    public async Task RelativeDates_FollowTheClock()
    {
        await using var host = await SimHost.StartAsync();
        const string Query = "type=1&addedAt%3E%3E=-1h";
        var added = host.Control.AddMovie(1, "Fresh", 2025);
        Assert.Equal([added.RatingKey], await PageAsync(host, host.Owner, 1, ItemType.Movie, Query));
        host.Control.AdvanceClock(TimeSpan.FromHours(2));
        Assert.Empty(await PageAsync(host, host.Owner, 1, ItemType.Movie, Query));
    }

    [Fact]
    public async Task PagingAcrossAWrite_ReadsTheNewState()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var first = Keys(await SimHost.ContainerAsync(owner, "/library/sections/1/all?type=1&X-Plex-Container-Start=0&X-Plex-Container-Size=5"));
        Assert.True(host.Control.Remove(first[0]));
        var second = await SimHost.ContainerAsync(owner, "/library/sections/1/all?type=1&X-Plex-Container-Start=5&X-Plex-Container-Size=5");
        var now = Direct(host, host.Owner, 1, ItemType.Movie, "type=1");
        Assert.Equal(now.Count, second.GetProperty("totalSize").GetInt32());
        Assert.Equal(now.Skip(5).Take(5), Keys(second));
    }

    /// <summary>The whole listing in one page, checked against the listing computed afresh.</summary>
    private static async Task<List<int>> PageAsync(SimHost host, SimAccount account, int section, ItemType type, string query)
    {
        var client = host.Pms(account.ServerToken);
        var listed = await KeysAsync(client, $"/library/sections/{section}/all?{query}&X-Plex-Container-Start=0&X-Plex-Container-Size=100000");
        Assert.Equal(Direct(host, account, section, type, query), listed);
        return listed;
    }

    /// <summary>What the listing holds as of now, computed without anything kept from earlier requests.</summary>
    private static List<int> Direct(SimHost host, SimAccount account, int section, ItemType type, string query)
    {
        var state = host.Sim.State;
        var parsed = MediaQuery.Parse(query, state.Now);
        return [.. parsed.Apply(state, account, state.ItemsOfType(section, type), hierarchyDefault: type is ItemType.Season or ItemType.Episode).Select(i => i.RatingKey)];
    }

    private static async Task<List<int>> KeysAsync(HttpClient client, string path) => Keys(await SimHost.ContainerAsync(client, path));

    private static List<int> Keys(System.Text.Json.JsonElement container) =>
        [.. SimHost.Metadata(container).Select(m => int.Parse(m.GetProperty("ratingKey").GetString()!, CultureInfo.InvariantCulture))];
}
