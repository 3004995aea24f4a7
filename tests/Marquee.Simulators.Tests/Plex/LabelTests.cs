using System.Net;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 10 items 9 (updatedAt) and 10 (labels).</summary>
public sealed class LabelTests
{
    private static async Task PutAsync(HttpClient client, string path) =>
        (await client.PutAsync(new Uri(path, UriKind.Relative), null)).EnsureSuccessStatusCode();

    private static async Task<List<string>> LabelsAsync(HttpClient client, int key) =>
        (await SimHost.ItemAsync(client, key)).TryGetProperty("Label", out var labels)
            ? [.. labels.EnumerateArray().Select(l => l.GetProperty("tag").GetString()!)]
            : [];

    [Fact]
    public async Task IndexedLabels_ReplaceTheWholeSet()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label%5B0%5D.tag.tag=a&label%5B1%5D.tag.tag=b");
        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label[0].tag.tag=c");
        Assert.Equal(["c"], await LabelsAsync(owner, movie));
    }

    [Fact]
    public async Task RemoveLabels_CommaSeparatedEachUrlEncoded()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label%5B0%5D.tag.tag=sync%3Aa%2Cb&label%5B1%5D.tag.tag=keep&label%5B2%5D.tag.tag=drop");
        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label%5B%5D.tag.tag-=sync%3Aa%2Cb,drop");
        Assert.Equal(["keep"], await LabelsAsync(owner, movie));
    }

    [Fact]
    public async Task LabelLocked_TogglesFieldLock()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label.locked=1");
        var field = Assert.Single((await SimHost.ItemAsync(owner, movie)).GetProperty("Field").EnumerateArray());
        Assert.True(field.GetProperty("locked").GetBoolean());
        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label.locked=0");
        Assert.False((await SimHost.ItemAsync(owner, movie)).TryGetProperty("Field", out _));
    }

    [Fact]
    public async Task EditWithoutId_AppliesToEveryItemOfType()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        await PutAsync(owner, "/library/sections/2/all?type=2&label%5B0%5D.tag.tag=everything");
        var shows = await SimHost.ContainerAsync(owner, "/library/sections/2/all?type=2");
        Assert.All(SimHost.Metadata(shows), s => Assert.Contains(s.GetProperty("Label").EnumerateArray(), l => l.GetProperty("tag").GetString() == "everything"));
        var movies = await SimHost.ContainerAsync(owner, "/library/sections/1/all");
        Assert.DoesNotContain(SimHost.Metadata(movies), m => m.TryGetProperty("Label", out var l) && l.EnumerateArray().Any(x => x.GetProperty("tag").GetString() == "everything"));
    }

    [Fact]
    public async Task Edit_UnknownId_Returns404()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(host.Owner.AccountToken).PutAsync(new Uri("/library/sections/1/all?type=1&id=987654&label%5B0%5D.tag.tag=x", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Edit_WithoutType_Returns400()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(host.Owner.AccountToken).PutAsync(new Uri($"/library/sections/1/all?id={host.FirstMovie()}&label%5B0%5D.tag.tag=x", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task UpdatedAt_BumpedByLabelEditButNotByWatchStateOrRating()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        var original = SimHost.Long(await SimHost.ItemAsync(owner, movie), "updatedAt");
        host.Control.AdvanceClock(TimeSpan.FromDays(1));
        await PutAsync(owner, $"/:/scrobble?identifier=com.plexapp.plugins.library&key={movie}");
        await PutAsync(owner, $"/:/rate?identifier=com.plexapp.plugins.library&key={movie}&rating=3");
        await PutAsync(owner, $"/:/unscrobble?identifier=com.plexapp.plugins.library&key={movie}");
        Assert.Equal(original, SimHost.Long(await SimHost.ItemAsync(owner, movie), "updatedAt"));

        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label%5B0%5D.tag.tag=x");
        var bumped = SimHost.Long(await SimHost.ItemAsync(owner, movie), "updatedAt");
        Assert.Equal(host.Control.Now.ToUnixTimeSeconds(), bumped);
        var changed = await SimHost.ContainerAsync(owner, $"/library/sections/1/all?updatedAt%3E%3E={bumped - 1}");
        Assert.Equal(movie.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(SimHost.Metadata(changed)).GetProperty("ratingKey").GetString());
        Assert.NotNull(host.Sim.State.Item(movie));
        Assert.Equal(ItemType.Movie, host.Sim.State.Item(movie)!.Type);
    }

    [Fact]
    public async Task PutMetadata_PerItemEdit_SetsLabels()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        await PutAsync(owner, $"/library/metadata/{movie}?label%5B0%5D.tag.tag=single");
        Assert.Equal(["single"], await LabelsAsync(owner, movie));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task ShowsSeasonsAndEpisodes_SeveralLabelsLockedInOneEdit_OtherLabelsKept(int type)
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var key = host.Sim.State.ItemsOfType(2, (ItemType)type)[0].RatingKey;
        await PutAsync(owner, $"/library/sections/2/all?type={type}&id={key}&label%5B0%5D.tag.tag=own&label%5B1%5D.tag.tag=marquee%3Abob&label%5B2%5D.tag.tag=Marquee%3A4k&label.locked=1");
        Assert.Equal(["own", "marquee:bob", "Marquee:4k"], await LabelsAsync(owner, key));
        Assert.Contains((await SimHost.ItemAsync(owner, key)).GetProperty("Field").EnumerateArray(), f => f.GetProperty("name").GetString() == "label" && f.GetProperty("locked").GetBoolean());

        await PutAsync(owner, $"/library/sections/2/all?type={type}&id={key}&label[].tag.tag-=marquee%253Abob");
        Assert.Equal(["own", "Marquee:4k"], await LabelsAsync(owner, key));

        var listing = await SimHost.ContainerAsync(owner, $"/library/sections/2/all?type={type}");
        var listed = SimHost.Metadata(listing).Single(m => m.GetProperty("ratingKey").GetString() == key.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["own", "Marquee:4k"], listed.GetProperty("Label").EnumerateArray().Select(l => l.GetProperty("tag").GetString()));
    }

    [Fact]
    public async Task AddWithoutLock_LeavesFieldUnlocked_AndRemovalTouchesOnlyNamedLabels()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label%5B0%5D.tag.tag=kids&label%5B1%5D.tag.tag=marquee%3Aalice&label%5B2%5D.tag.tag=marquee%3Abob");
        Assert.False((await SimHost.ItemAsync(owner, movie)).TryGetProperty("Field", out _));

        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label%5B%5D.tag.tag-=marquee%253Aalice%2Cmarquee%253Abob&label.locked=1");
        Assert.Equal(["kids"], await LabelsAsync(owner, movie));
        Assert.True((await SimHost.ItemAsync(owner, movie)).TryGetProperty("Field", out _));
    }
}
