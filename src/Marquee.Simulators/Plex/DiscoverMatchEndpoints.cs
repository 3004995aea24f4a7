using Marquee.Simulators.Plex.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Plex;

/// <summary>
/// Discover's id matching (WATCHLISTS.md 1.4): <c>GET /library/metadata/matches?type=1|2&amp;guid=tmdb://603</c> with an
/// account token answers the online items whose external ids hold the guid, with <c>Guid[]</c>; <c>type</c> and
/// <c>guid</c> are both required (400 otherwise); nothing found is <c>size: 0</c> without <c>Metadata</c>.
/// </summary>
internal static class DiscoverMatchEndpoints
{
    public static void MapDiscoverMatches(this IEndpointRouteBuilder app, PlexState state) =>
        app.MapGet("/library/metadata/matches", ctx => MatchesAsync(ctx, state));

    private static async Task MatchesAsync(HttpContext ctx, PlexState state)
    {
        if (state.AccountByToken(PmsHttp.Token(ctx.Request)) is null)
        {
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await ctx.Response.WriteAsJsonAsync(new { Error = new { code = 1001, message = "User could not be authenticated", status = 401 } }, ctx.RequestAborted);
            return;
        }

        var guid = PmsHttp.Query(ctx.Request, "guid");
        var type = PmsHttp.Query(ctx.Request, "type") switch { "1" or "movie" => ItemType.Movie, "2" or "show" => ItemType.Show, _ => (ItemType?)null };
        if (type is null || string.IsNullOrEmpty(guid))
        {
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            await ctx.Response.WriteAsJsonAsync(new { Error = new { code = 400, message = type is null ? "Missing required param type!" : "Missing required param guid!", status = 400 } }, ctx.RequestAborted);
            return;
        }

        var items = state.ItemsByExternalGuid(guid, type.Value);
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("offset", 0);
        w.Num("totalSize", items.Count);
        w.Str("identifier", "tv.plex.provider.discover");
        w.Num("size", items.Count);
        if (items.Count > 0)
        {
            w.StartArray("Metadata");
            foreach (var item in items)
            {
                var key = item.PrimaryGuid[(item.PrimaryGuid.LastIndexOf('/') + 1)..];
                w.StartItem(item.Type == ItemType.Show ? "Directory" : "Video");
                w.Str("guid", item.PrimaryGuid);
                w.Str("key", $"/library/metadata/{key}");
                w.Str("ratingKey", key);
                w.Str("type", item.TypeName);
                w.Str("title", item.Title);
                w.Num("year", item.Year);
                ItemWriter.WriteGuids(w, item.ExternalGuids);
                w.EndItem();
            }

            w.EndArray();
        }

        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }
}
