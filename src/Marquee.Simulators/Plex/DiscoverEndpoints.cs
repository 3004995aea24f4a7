using System.Globalization;
using Marquee.Simulators.Plex.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Plex;

/// <summary>
/// Discover (watchlist read, add, remove) and the metadata provider (userState), PLEX-API.md 8.
/// Both take the plex.tv account token; online ratingKeys are the 24-hex ids of plex:// guids.
/// </summary>
internal static class DiscoverEndpoints
{
    public static void MapDiscover(this IEndpointRouteBuilder app, PlexState state)
    {
        app.MapGet("/library/sections/watchlist/{filter}", (HttpContext ctx, string filter) => WatchlistAsync(ctx, state, filter));
        app.MapMethods("/actions/addToWatchlist", ["PUT"], ctx => ChangeAsync(ctx, state, add: true));
        app.MapMethods("/actions/removeFromWatchlist", ["PUT"], ctx => ChangeAsync(ctx, state, add: false));
        app.MapGet("/library/metadata/{hex}/userState", (HttpContext ctx, string hex) => UserStateAsync(ctx, state, hex));
    }

    /// <summary>The metadata provider host: userState yes, watchlist 404 since Aug 2025.</summary>
    public static void MapMetadataProvider(this IEndpointRouteBuilder app, PlexState state)
    {
        app.MapGet("/library/metadata/{hex}/userState", (HttpContext ctx, string hex) => UserStateAsync(ctx, state, hex));
        app.MapGet("/library/sections/watchlist/{filter}", async ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            await ctx.Response.WriteAsJsonAsync(new { Error = new { code = 404, message = "Section 'watchlist' not found!", status = 404 } }, ctx.RequestAborted);
        });
    }

    private static async Task<SimAccount?> AuthAsync(HttpContext ctx, PlexState state)
    {
        var account = state.AccountByToken(PmsHttp.Token(ctx.Request));
        if (account is null)
        {
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await ctx.Response.WriteAsJsonAsync(new { Error = new { code = 1001, message = "User could not be authenticated", status = 401 } }, ctx.RequestAborted);
        }

        return account;
    }

    private static bool IsOnlineKey(string key) => key.Length == 24 && key.All(char.IsAsciiHexDigitLower);

    private static async Task WatchlistAsync(HttpContext ctx, PlexState state, string filter)
    {
        if (await AuthAsync(ctx, state) is not { } account)
        {
            return;
        }

        if (filter is not ("all" or "available" or "released"))
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
            return;
        }

        var type = PmsHttp.Query(ctx.Request, "type");
        var entries = state.WatchlistOf(account)
            .Select(e => (e.Key, e.At, Item: state.ItemByOnlineKey(e.Key)))
            .Where(e => type is null || (e.Item is not null && ((int)e.Item.Type).ToString(CultureInfo.InvariantCulture) == type))
            .ToList();
        if (PmsHttp.Query(ctx.Request, "sort") is { } sort && sort.StartsWith("titleSort", StringComparison.Ordinal))
        {
            entries.Sort((a, b) => string.Compare(a.Item?.Title, b.Item?.Title, StringComparison.OrdinalIgnoreCase));
        }

        var includeGuids = PmsHttp.Query(ctx.Request, "includeGuids") == "1";
        var (offset, count) = PmsHttp.Slice(ctx.Response, entries.Count, PmsHttp.Page(ctx.Request));
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Str("librarySectionID", "watchlist");
        w.Str("librarySectionTitle", "Watchlist");
        w.Num("offset", offset);
        w.Num("totalSize", entries.Count);
        w.Str("identifier", "tv.plex.provider.discover");
        w.Num("size", count);
        if (count > 0)
        {
            w.StartArray("Metadata");
            foreach (var (key, at, item) in entries.Skip(offset).Take(count))
            {
                var show = item?.Type == ItemType.Show;
                w.StartItem(show ? "Directory" : "Video");
                w.Str("guid", item?.PrimaryGuid ?? $"plex://movie/{key}");
                w.Str("key", show ? $"/library/metadata/{key}/children" : $"/library/metadata/{key}");
                w.Str("ratingKey", key);
                w.Str("type", item?.TypeName ?? "movie");
                w.Str("title", item?.Title ?? "Unknown");
                if (item is not null)
                {
                    w.Num("year", item.Year);
                    w.StrIf("originallyAvailableAt", item.OriginallyAvailableAt);
                }

                w.Num("addedAt", at);
                w.Str("thumb", $"https://metadata-static.plex.tv/{key[..1]}/gracenote/{key}.jpg");
                if (includeGuids && item is not null && item.ExternalGuids.Length > 0)
                {
                    ItemWriter.WriteGuids(w, item.ExternalGuids);
                }

                w.EndItem();
            }

            w.EndArray();
        }

        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task ChangeAsync(HttpContext ctx, PlexState state, bool add)
    {
        if (await AuthAsync(ctx, state) is not { } account)
        {
            return;
        }

        var key = PmsHttp.Query(ctx.Request, "ratingKey");
        if (key is null || !IsOnlineKey(key))
        {
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            await ctx.Response.WriteAsJsonAsync(new { Error = new { code = 400, message = "Invalid ratingKey", status = 400 } }, ctx.RequestAborted);
            return;
        }

        state.Watchlist(account, key, add);
    }

    private static async Task UserStateAsync(HttpContext ctx, PlexState state, string hex)
    {
        if (await AuthAsync(ctx, state) is not { } account)
        {
            return;
        }

        var item = state.ItemByOnlineKey(hex);
        if (item is null && !IsOnlineKey(hex))
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var s = item is null ? default : state.Aggregate(account, item);
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", 1);
        w.Str("identifier", "tv.plex.provider.metadata");
        w.StartObject("UserState");
        w.Str("ratingKey", hex);
        w.Str("type", item?.TypeName ?? "movie");
        w.Num("viewCount", s.ViewCount);
        if (item?.Type == ItemType.Show)
        {
            w.Num("viewedLeafCount", s.ViewedLeafCount);
        }

        w.Num("viewOffset", s.ViewOffset);
        w.NumIf("lastViewedAt", s.LastViewedAt);
        if (s.ViewCount > 0)
        {
            w.Str("viewState", "complete");
        }

        if (state.WatchlistedAt(account, hex) is { } at)
        {
            w.Num("watchlistedAt", at);
        }

        w.EndObject();
        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }
}
