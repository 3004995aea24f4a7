using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Plex;

/// <summary>What the artwork routes answer, set through <c>PUT /_sim/artwork</c> to test a client's bounds.</summary>
public enum ArtworkMode
{
    /// <summary>A small valid JPEG, its own for each item.</summary>
    Jpeg,

    /// <summary>404, as for artwork the server does not have.</summary>
    Missing,

    /// <summary>A JPEG of <see cref="SimArtwork.LargeBytes"/> bytes (padded with a comment).</summary>
    Large,

    /// <summary>200 with an HTML page instead of an image.</summary>
    Html,
}

/// <summary>The artwork the simulator serves: a tiny JPEG whose comment names the item, so a client's copy can be traced.</summary>
public sealed class SimArtwork
{
    /// <summary>The size of an image in <see cref="ArtworkMode.Large"/> mode: 3 MiB.</summary>
    public const int LargeBytes = 3 * 1024 * 1024;

    /// <summary>A 1x1 JPEG.</summary>
    public static readonly byte[] Tiny = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////2wBDAf//////////////////////////////////////////////////////////////////////////////////////wAARCAABAAEDASIAAhEBAxEB/8QAFAABAAAAAAAAAAAAAAAAAAAAA//EABQQAQAAAAAAAAAAAAAAAAAAAAD/xAAUAQEAAAAAAAAAAAAAAAAAAAAA/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAAwDAQACEQMRAD8AP//Z");

    private volatile int _mode;

    public ArtworkMode Mode
    {
        get => (ArtworkMode)_mode;
        set => _mode = (int)value;
    }

    /// <summary>
    /// The 1x1 JPEG with a comment segment (<c>FF FE</c>) after its start marker naming the item and the element, padded
    /// to <paramref name="size"/> bytes when asked (a comment segment holds at most 65,533 bytes, so the padding is
    /// several segments).
    /// </summary>
    public static byte[] Jpeg(string ratingKey, string element, int size = 0)
    {
        using var data = new MemoryStream();
        data.Write(Tiny, 0, 2);
        Comment(data, Encoding.ASCII.GetBytes($"marquee-sim {element} {ratingKey}"));
        var rest = Tiny.Length - 2;
        while (size > 0 && data.Length + rest + 4 < size)
        {
            var room = (int)Math.Min(65_533, size - data.Length - rest - 4);
            Comment(data, new byte[Math.Max(room, 0)]);
        }

        data.Write(Tiny, 2, rest);
        return data.ToArray();
    }

    private static void Comment(Stream data, byte[] text)
    {
        var length = text.Length + 2;
        data.Write([0xFF, 0xFE, (byte)(length >> 8), (byte)(length & 0xFF)]);
        data.Write(text);
    }
}

/// <summary>
/// An item's artwork (<c>GET /library/metadata/{id}/{element}/{timestamp}</c>, official spec <c>libraryMetadataGetElement</c>)
/// and the photo transcoder (<c>GET /photo/:/transcode?url=…&amp;width=…&amp;height=…</c>, <c>imageTranscode</c>), with the
/// token rules of the other PMS routes. The transcoder serves the image its <c>url</c> names as it is (no resizing).
/// </summary>
internal static class ArtworkEndpoints
{
    private static readonly HashSet<string> Elements = new(StringComparer.Ordinal) { "thumb", "art" };

    public static void MapArtwork(this IEndpointRouteBuilder app, PlexState state)
    {
        app.MapGet("/library/metadata/{id}/{element}/{timestamp}", (HttpContext ctx, string id, string element, string timestamp) => ElementAsync(ctx, state, id, element, timestamp));
        app.MapGet("/photo/:/transcode", ctx => TranscodeAsync(ctx, state));
        app.MapGet("/_sim/artwork", () => new ArtworkRequest(state.Artwork.Mode));
        app.MapPut("/_sim/artwork", (ArtworkRequest r) =>
        {
            state.Artwork.Mode = r.Mode;
            return Results.Ok();
        });
    }

    private static async Task ElementAsync(HttpContext ctx, PlexState state, string id, string element, string timestamp)
    {
        if (await PmsHttp.AuthAsync(ctx, state) is not { } account)
        {
            return;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status400BadRequest);
            return;
        }

        await ServeAsync(ctx, state, account, id, element);
    }

    private static async Task TranscodeAsync(HttpContext ctx, PlexState state)
    {
        if (await PmsHttp.AuthAsync(ctx, state) is not { } account)
        {
            return;
        }

        var url = PmsHttp.Query(ctx.Request, "url");
        var width = PmsHttp.Query(ctx.Request, "width");
        var height = PmsHttp.Query(ctx.Request, "height");
        if (url is null || !Positive(width) || !Positive(height))
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status400BadRequest);
            return;
        }

        // Only the server's own artwork: /library/metadata/{id}/{element}/{timestamp}.
        var segments = url.Split('?')[0].Trim('/').Split('/');
        if (segments.Length != 5 || segments[0] != "library" || segments[1] != "metadata" || !long.TryParse(segments[4], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
            return;
        }

        await ServeAsync(ctx, state, account, segments[2], segments[3]);
    }

    private static bool Positive(string? value) =>
        value is null || (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 10_000);

    private static async Task ServeAsync(HttpContext ctx, PlexState state, SimAccount account, string id, string element)
    {
        var item = state.Item(id);
        var mode = state.Artwork.Mode;
        if (item is null || !state.CanSee(account, item.SectionId) || !Elements.Contains(element) || mode == ArtworkMode.Missing)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
            return;
        }

        if (mode == ArtworkMode.Html)
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync("<html><body>not an image</body></html>", ctx.RequestAborted);
            return;
        }

        var image = SimArtwork.Jpeg(item.RatingKey.ToString(CultureInfo.InvariantCulture), element, mode == ArtworkMode.Large ? SimArtwork.LargeBytes : 0);
        ctx.Response.ContentType = "image/jpeg";
        ctx.Response.ContentLength = image.Length;
        await ctx.Response.Body.WriteAsync(image, ctx.RequestAborted);
    }

    internal sealed record ArtworkRequest([property: System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ArtworkMode>))] ArtworkMode Mode);
}
