using System.Net;
using System.Net.Http.Json;
using System.Text;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>An item's artwork (<c>/library/metadata/{id}/thumb/{ts}</c>) and the photo transcoder, with the PMS token rules.</summary>
public sealed class ArtworkTests
{
    [Theory]
    [InlineData("thumb")]
    [InlineData("transcode")]
    public async Task Artwork_WithoutOrWithABadToken_Is401(string route)
    {
        await using var host = await SimHost.StartAsync();
        var path = Path(route, Movie(host).RatingKey);

        using var none = await host.Pms(null, json: false).GetAsync(new Uri(path, UriKind.Relative));
        using var bad = await host.Pms("not-a-token", json: false).GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.DoesNotContain("image", none.Content.Headers.ContentType?.MediaType ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thumb_AsTheItemAdvertisesIt_IsASmallJpegOfThatItem_AndTheTranscoderServesTheSameImage()
    {
        await using var host = await SimHost.StartAsync();
        var movie = Movie(host);
        var other = host.Sim.State.ItemsOfType(1, ItemType.Movie)[1];

        using var thumb = await host.Pms(host.Owner.ServerToken, json: false).GetAsync(new Uri(Path("thumb", movie.RatingKey), UriKind.Relative));
        using var transcoded = await host.Pms(host.Owner.ServerToken, json: false).GetAsync(new Uri(Path("transcode", movie.RatingKey), UriKind.Relative));
        var bytes = await thumb.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, thumb.StatusCode);
        Assert.Equal("image/jpeg", thumb.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0xFF, 0xD8], bytes[..2]);
        Assert.Equal([0xFF, 0xD9], bytes[^2..]);
        Assert.InRange(bytes.Length, 100, 4096);
        Assert.Contains($"thumb {movie.RatingKey}", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(bytes, await transcoded.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/jpeg", transcoded.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(bytes, SimArtwork.Jpeg(other.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture), "thumb"));
    }

    [Theory]
    [InlineData("/library/metadata/999999/thumb/1700000000", HttpStatusCode.NotFound)]
    [InlineData("/library/metadata/{key}/poster-x/1700000000", HttpStatusCode.NotFound)]
    [InlineData("/library/metadata/{key}/thumb/notanumber", HttpStatusCode.BadRequest)]
    [InlineData("/photo/:/transcode?width=300&height=450", HttpStatusCode.BadRequest)]
    [InlineData("/photo/:/transcode?url=%2Flibrary%2Fmetadata%2F{key}%2Fthumb%2F1&width=-3&height=450", HttpStatusCode.BadRequest)]
    [InlineData("/photo/:/transcode?url=http%3A%2F%2Felsewhere.example%2Fa.jpg&width=300&height=450", HttpStatusCode.NotFound)]
    public async Task BadArtworkRequests_AreRefused(string path, HttpStatusCode expected)
    {
        await using var host = await SimHost.StartAsync();
        path = path.Replace("{key}", Movie(host).RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        using var response = await host.Pms(host.Owner.ServerToken, json: false).GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task ArtworkMode_SetThroughTheControlApi_Gives404_ALargeImage_OrHtml()
    {
        await using var host = await SimHost.StartAsync();
        var path = new Uri(Path("transcode", Movie(host).RatingKey), UriKind.Relative);
        var pms = host.Pms(host.Owner.ServerToken, json: false);
        using var control = new HttpClient { BaseAddress = host.Sim.BaseUri };

        Assert.True((await control.PutAsJsonAsync("/_sim/artwork", new { mode = "missing" })).IsSuccessStatusCode);
        using var missing = await pms.GetAsync(path);
        Assert.True((await control.PutAsJsonAsync("/_sim/artwork", new { mode = "large" })).IsSuccessStatusCode);
        using var large = await pms.GetAsync(path);
        Assert.True((await control.PutAsJsonAsync("/_sim/artwork", new { mode = "html" })).IsSuccessStatusCode);
        using var html = await pms.GetAsync(path);
        using var bad = await control.PutAsJsonAsync("/_sim/artwork", new { mode = "sideways" });

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(SimArtwork.LargeBytes, (await large.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static PlexItem Movie(SimHost host) => host.Sim.State.ItemsOfType(1, ItemType.Movie)[0];

    private static string Path(string route, int ratingKey) => route == "thumb"
        ? $"/library/metadata/{ratingKey}/thumb/1700000000"
        : $"/photo/:/transcode?url={Uri.EscapeDataString($"/library/metadata/{ratingKey}/thumb/1700000000")}&width=300&height=450&minSize=1&upscale=1";
}
