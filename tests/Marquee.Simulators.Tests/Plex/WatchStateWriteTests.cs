using System.Net;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 10 items 5 (scrobble), 6 (unscrobble), 7 (rate).</summary>
public sealed class WatchStateWriteTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task Scrobble_Movie_IncrementsViewCountWithoutHistoryRow()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.GetAsync(U($"/:/timeline?ratingKey={movie}&key=/library/metadata/{movie}&identifier=com.plexapp.plugins.library&state=stopped&time=60000&duration=6000000"))).EnsureSuccessStatusCode();
        var before = await SimHost.ItemAsync(owner, movie);
        var historyBefore = host.Sim.State.History().Count;
        host.Control.AdvanceClock(TimeSpan.FromMinutes(5));

        (await owner.PutAsync(U($"/:/scrobble?identifier=com.plexapp.plugins.library&key={movie}"), null)).EnsureSuccessStatusCode();

        var after = await SimHost.ItemAsync(owner, movie);
        Assert.Equal(SimHost.Long(before, "viewCount") + 1, SimHost.Long(after, "viewCount"));
        Assert.Equal(host.Control.Now.ToUnixTimeSeconds(), SimHost.Long(after, "lastViewedAt"));
        Assert.False(after.TryGetProperty("viewOffset", out _));
        Assert.Equal(historyBefore, host.Sim.State.History().Count);
    }

    [Fact]
    public async Task Scrobble_Show_CascadesToEveryEpisodeAndViewedLeafCount()
    {
        await using var host = await SimHost.StartAsync();
        var show = host.Sim.State.ItemsOfType(2, ItemType.Show)[0];
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PutAsync(U($"/:/scrobble?identifier=com.plexapp.plugins.library&key={show.RatingKey}"), null)).EnsureSuccessStatusCode();
        var item = await SimHost.ItemAsync(owner, show.RatingKey);
        Assert.Equal(SimHost.Long(item, "leafCount"), SimHost.Long(item, "viewedLeafCount"));
        var leaves = await SimHost.ContainerAsync(owner, $"/library/metadata/{show.RatingKey}/allLeaves");
        Assert.All(SimHost.Metadata(leaves), e => Assert.True(SimHost.Long(e, "viewCount") >= 1));
    }

    [Fact]
    public async Task Scrobble_UnknownKey_Returns404()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(host.Owner.AccountToken).PutAsync(U("/:/scrobble?identifier=com.plexapp.plugins.library&key=424242"), null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/:/scrobble?key=1000")]
    [InlineData("/:/scrobble?identifier=com.plexapp.plugins.library")]
    public async Task Scrobble_MissingParameter_Returns400(string path)
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(host.Owner.AccountToken).PutAsync(U(path), null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Scrobble_Success_ReturnsEmptyBody()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(host.Owner.AccountToken).GetAsync(U($"/:/scrobble?identifier=com.plexapp.plugins.library&key={host.FirstMovie()}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unscrobble_ResetsViewCountKeepsHistoryAndSecondCallIsNoOp()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        host.Control.Play("owner", movie, host.Sim.State.Item(movie)!.Duration, stop: true);
        host.Control.Mark("owner", movie, true);
        var owner = host.Pms(host.Owner.AccountToken);
        var history = host.Sim.State.History().Count;
        Assert.True(SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewCount") >= 2);

        (await owner.PutAsync(U($"/:/unscrobble?identifier=com.plexapp.plugins.library&key={movie}"), null)).EnsureSuccessStatusCode();
        using var second = await owner.PutAsync(U($"/:/unscrobble?identifier=com.plexapp.plugins.library&key={movie}"), null);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var item = await SimHost.ItemAsync(owner, movie);
        Assert.False(item.TryGetProperty("viewCount", out _));
        Assert.False(item.TryGetProperty("viewOffset", out _));
        Assert.Equal(history, host.Sim.State.History().Count);
    }

    [Fact]
    public async Task Unscrobble_Season_ClearsEveryEpisode()
    {
        await using var host = await SimHost.StartAsync();
        var season = host.Sim.State.ItemsOfType(2, ItemType.Season)[0];
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PutAsync(U($"/:/scrobble?identifier=com.plexapp.plugins.library&key={season.RatingKey}"), null)).EnsureSuccessStatusCode();
        (await owner.PutAsync(U($"/:/unscrobble?identifier=com.plexapp.plugins.library&key={season.RatingKey}"), null)).EnsureSuccessStatusCode();
        var children = await SimHost.ContainerAsync(owner, $"/library/metadata/{season.RatingKey}/children");
        Assert.All(SimHost.Metadata(children), e => Assert.False(e.TryGetProperty("viewCount", out _)));
        Assert.Equal(0, SimHost.Long(await SimHost.ItemAsync(owner, season.RatingKey), "viewedLeafCount"));
    }

    [Fact]
    public async Task Rate_WithRatedAt_StoresRatingAndTime()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        var ratedAt = SimHost.Start.ToUnixTimeSeconds() - 3600;
        (await owner.PutAsync(U($"/:/rate?identifier=com.plexapp.plugins.library&key={movie}&rating=7.5&ratedAt={ratedAt}"), null)).EnsureSuccessStatusCode();
        var item = await SimHost.ItemAsync(owner, movie);
        Assert.Equal(7.5, item.GetProperty("userRating").GetDouble());
        Assert.Equal(ratedAt, SimHost.Long(item, "lastRatedAt"));
    }

    [Fact]
    public async Task Rate_WithoutRatedAt_UsesClock()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PutAsync(U($"/:/rate?identifier=com.plexapp.plugins.library&key={movie}&rating=4"), null)).EnsureSuccessStatusCode();
        Assert.Equal(SimHost.Start.ToUnixTimeSeconds(), SimHost.Long(await SimHost.ItemAsync(owner, movie), "lastRatedAt"));
    }

    [Theory]
    [InlineData("rating=11")]
    [InlineData("rating=-2")]
    [InlineData("rating=abc")]
    [InlineData("rating=5&ratedAt=9999999999")]
    public async Task Rate_InvalidInput_Returns400(string query)
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(host.Owner.AccountToken).PutAsync(U($"/:/rate?identifier=com.plexapp.plugins.library&key={host.FirstMovie()}&{query}"), null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    public async Task Rate_ClearValue_RemovesUserRating(string clear)
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PutAsync(U($"/:/rate?identifier=com.plexapp.plugins.library&key={movie}&rating=8"), null)).EnsureSuccessStatusCode();
        (await owner.PutAsync(U($"/:/rate?identifier=com.plexapp.plugins.library&key={movie}&rating={clear}"), null)).EnsureSuccessStatusCode();
        Assert.False((await SimHost.ItemAsync(owner, movie)).TryGetProperty("userRating", out _));
    }

    [Fact]
    public async Task SameGuid_TwoItems_ShareUserState()
    {
        await using var host = await SimHost.StartAsync(new() { Movies = 200, Shows = 1, ClockStart = SimHost.Start });
        var copy = host.Sim.State.ItemsOfType(3, ItemType.Movie).First(m => !m.PrimaryGuid.StartsWith("local://", StringComparison.Ordinal));
        var original = host.Sim.State.ItemsOfType(1, ItemType.Movie).First(m => m.PrimaryGuid == copy.PrimaryGuid);
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PutAsync(U($"/:/rate?identifier=com.plexapp.plugins.library&key={original.RatingKey}&rating=6"), null)).EnsureSuccessStatusCode();
        Assert.Equal(6, (await SimHost.ItemAsync(owner, copy.RatingKey)).GetProperty("userRating").GetDouble());
    }
}
