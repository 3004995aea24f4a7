using System.Net;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 10 items 11 (history) and 13 (ids).</summary>
public sealed class HistoryTests
{
    [Fact]
    public async Task History_Owner_SeesAllAccountsAndFiltersByAccount()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var all = await SimHost.ContainerAsync(owner, "/status/sessions/history/all");
        var accounts = SimHost.Metadata(all).Select(r => r.GetProperty("accountID").GetInt64()).Distinct().ToList();
        Assert.Contains(1L, accounts);
        Assert.Contains(host.Friend.LocalId, accounts);
        var friendOnly = await SimHost.ContainerAsync(owner, $"/status/sessions/history/all?accountID={host.Friend.LocalId}");
        Assert.All(SimHost.Metadata(friendOnly), r => Assert.Equal(host.Friend.LocalId, r.GetProperty("accountID").GetInt64()));
    }

    [Fact]
    public async Task History_NonOwner_SeesOnlyOwnRows()
    {
        await using var host = await SimHost.StartAsync();
        var rows = await SimHost.ContainerAsync(host.Pms(host.Friend.ServerToken), "/status/sessions/history/all");
        Assert.NotEmpty(SimHost.Metadata(rows));
        Assert.All(SimHost.Metadata(rows), r => Assert.Equal(host.Friend.LocalId, r.GetProperty("accountID").GetInt64()));
    }

    [Fact]
    public async Task History_ViewedAtSortAndPaging()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var rows = host.Sim.State.History();
        var cutoff = rows[rows.Count / 2].ViewedAt;
        var page = await SimHost.ContainerAsync(owner, $"/status/sessions/history/all?sort=viewedAt:desc&viewedAt%3E={cutoff}&X-Plex-Container-Start=0&X-Plex-Container-Size=3");
        var viewed = SimHost.Metadata(page).Select(r => r.GetProperty("viewedAt").GetInt64()).ToList();
        Assert.Equal(3, viewed.Count);
        Assert.Equal(viewed.OrderByDescending(v => v), viewed);
        Assert.All(viewed, v => Assert.True(v >= cutoff));
        Assert.Equal(rows.Count(r => r.ViewedAt >= cutoff), page.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task History_MetadataItemIdOfShow_ExpandsToEpisodes()
    {
        await using var host = await SimHost.StartAsync();
        var show = host.Sim.State.ItemsOfType(2, ItemType.Show)[0];
        var episode = show.Leaves().First();
        host.Control.Play("owner", episode.RatingKey, episode.Duration, stop: true);
        var rows = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), $"/status/sessions/history/all?metadataItemID={show.RatingKey}");
        Assert.Contains(SimHost.Metadata(rows), r => r.GetProperty("ratingKey").GetString() == episode.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(SimHost.Metadata(rows), r => Assert.Equal("episode", r.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task History_LibrarySectionFilter_AndStringSectionId()
    {
        await using var host = await SimHost.StartAsync();
        var rows = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/status/sessions/history/all?librarySectionID=2");
        Assert.NotEmpty(SimHost.Metadata(rows));
        Assert.All(SimHost.Metadata(rows), r => Assert.Equal("2", r.GetProperty("librarySectionID").GetString()));
    }

    [Fact]
    public async Task History_Delete_RemovesRowKeepsViewCount()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var movie = host.FirstMovie();
        host.Control.Play("owner", movie, host.Sim.State.Item(movie)!.Duration, stop: true);
        var views = SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewCount");
        var row = host.Sim.State.History()[^1];
        using var deleted = await owner.DeleteAsync(new Uri($"/status/sessions/history/{row.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.DoesNotContain(host.Sim.State.History(), h => h.Id == row.Id);
        Assert.Equal(views, SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewCount"));
        using var again = await owner.DeleteAsync(new Uri($"/status/sessions/history/{row.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Accounts_OwnerIsLocalOneAndAccountZeroAppears()
    {
        await using var host = await SimHost.StartAsync();
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/accounts");
        var accounts = mc.GetProperty("Account").EnumerateArray().ToList();
        Assert.Equal(string.Empty, accounts.Single(a => a.GetProperty("id").GetInt64() == 0).GetProperty("name").GetString());
        Assert.Equal(host.Owner.Name, accounts.Single(a => a.GetProperty("id").GetInt64() == 1).GetProperty("name").GetString());
        Assert.Contains(accounts, a => a.GetProperty("id").GetInt64() == host.Friend.PlexTvId);
        var user = await SimHost.JsonAsync(host.PlexTv(host.Owner.AccountToken), "/api/v2/user");
        Assert.Equal(host.Owner.PlexTvId, user.GetProperty("id").GetInt64());
        Assert.NotEqual(1, host.Owner.PlexTvId);
    }
}
