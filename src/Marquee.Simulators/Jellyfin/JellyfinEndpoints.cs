using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Jellyfin.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Jellyfin;

/// <summary>
/// The server API: the routes of jellyfin-openapi-stable.json (and their legacy <c>/Users/{userId}/…</c> twins), or
/// for Emby the routes of emby-openapi-stable.json. Behaviour follows JELLYFIN-NOTES.md.
/// </summary>
internal static class JellyfinEndpoints
{
    private const int MaxBody = 64 * 1024;

    public static void MapJellyfin(this IEndpointRouteBuilder app, JellyfinState state, Func<Uri?> address)
    {
        var emby = state.IsEmby;
        app.MapGet("/System/Info/Public", () => JellyfinJson.Ok(JellyfinJson.PublicSystemInfo(state, address())));
        app.MapGet("/System/Info", (HttpContext ctx) => Authorized(ctx, state, true, _ => JellyfinJson.Ok(JellyfinJson.SystemInfo(state, address()))));
        app.MapPost("/Users/AuthenticateByName", (Func<HttpContext, Task<IResult>>)(ctx => AuthenticateAsync(ctx, state)));
        app.MapGet("/Users", (HttpContext ctx) => Authorized(ctx, state, true, _ => JellyfinJson.Ok(new JsonArray([.. state.Users.Select(u => (JsonNode)JellyfinJson.User(state, u))]))));
        app.MapGet("/Users/{userId}", (HttpContext ctx, string userId) => Authorized(ctx, state, false, caller =>
            ForUser(state, caller, userId, user => JellyfinJson.Ok(JellyfinJson.User(state, user)))));
        app.MapGet("/Users/{userId}/Items", (HttpContext ctx, string userId) => Authorized(ctx, state, false, caller =>
            ForUser(state, caller, userId, user => ListItems(ctx, state, user))));
        app.MapPost("/Users/{userId}/PlayedItems/{itemId}", (HttpContext ctx, string userId, string itemId) => Authorized(ctx, state, false, caller =>
            ForItem(state, caller, userId, itemId, (user, item) => Played(ctx, state, user, item, emby ? "DatePlayed" : "datePlayed"))));
        app.MapDelete("/Users/{userId}/PlayedItems/{itemId}", (HttpContext ctx, string userId, string itemId) => Authorized(ctx, state, false, caller =>
            ForItem(state, caller, userId, itemId, (user, item) => JellyfinJson.Ok(JellyfinJson.UserData(item, state.MarkUnplayed(user, item))))));
        app.MapPost("/Users/{userId}/FavoriteItems/{itemId}", (HttpContext ctx, string userId, string itemId) => Authorized(ctx, state, false, caller =>
            ForItem(state, caller, userId, itemId, (user, item) => JellyfinJson.Ok(JellyfinJson.UserData(item, state.SetFavorite(user, item, true))))));
        app.MapDelete("/Users/{userId}/FavoriteItems/{itemId}", (HttpContext ctx, string userId, string itemId) => Authorized(ctx, state, false, caller =>
            ForItem(state, caller, userId, itemId, (user, item) => JellyfinJson.Ok(JellyfinJson.UserData(item, state.SetFavorite(user, item, false))))));
        app.MapPost("/Users/{userId}/Items/{itemId}/Rating", (HttpContext ctx, string userId, string itemId) => Authorized(ctx, state, false, caller =>
            ForItem(state, caller, userId, itemId, (user, item) => Likes(ctx, state, user, item))));
        app.MapDelete("/Users/{userId}/Items/{itemId}/Rating", (HttpContext ctx, string userId, string itemId) => Authorized(ctx, state, false, caller =>
            ForItem(state, caller, userId, itemId, (user, item) => JellyfinJson.Ok(JellyfinJson.UserData(item, state.SetLikes(user, item, null))))));
        // Jellyfin 10.11 still serves the legacy /Users/{userId}/Views next to /UserViews.
        app.MapGet("/Users/{userId}/Views", (HttpContext ctx, string userId) => Authorized(ctx, state, false, caller =>
            ForUser(state, caller, userId, _ => Views(state))));
        if (!emby)
        {
            app.MapGet("/UserViews", (HttpContext ctx) => Authorized(ctx, state, false, caller =>
                ForUser(state, caller, ctx.Request.Query["userId"].ToString(), _ => Views(state))));
        }

        app.MapGet("/Shows/{seriesId}/Episodes", (HttpContext ctx, string seriesId) => Authorized(ctx, state, false, caller =>
            ForUserOrNone(state, caller, ctx.Request.Query["userId"].ToString(), user => Episodes(ctx, state, user, seriesId), optional: true)));
        app.MapPost("/Sessions/Playing", (Func<HttpContext, Task<IResult>>)(ctx => PlaybackAsync(ctx, state, "start")));
        app.MapPost("/Sessions/Playing/Progress", (Func<HttpContext, Task<IResult>>)(ctx => PlaybackAsync(ctx, state, "progress")));
        app.MapPost("/Sessions/Playing/Stopped", (Func<HttpContext, Task<IResult>>)(ctx => PlaybackAsync(ctx, state, "stopped")));

        if (emby)
        {
            // Emby 4.x lists items per user and has no /UserItems, /UserPlayedItems or writable UserData routes.
            app.MapGet("/Items", (HttpContext ctx) => Authorized(ctx, state, false, _ => ListItems(ctx, state, null)));
            app.MapGet("/Users/{userId}/Items/Resume", (HttpContext ctx, string userId) => Authorized(ctx, state, false, caller =>
                ForUser(state, caller, userId, user => Resume(ctx, state, user))));
            return;
        }

        app.MapGet("/Users/Me", (HttpContext ctx) => Authorized(ctx, state, false, caller =>
            caller.User is { } me ? JellyfinJson.Ok(JellyfinJson.User(state, me)) : JellyfinJson.Problem(400, "Bad Request", "The API key has no user.")));
        app.MapGet("/Items", (HttpContext ctx) => Authorized(ctx, state, false, caller =>
            ForUserOrNone(state, caller, ctx.Request.Query["userId"].ToString(), user => ListItems(ctx, state, user), optional: true)));
        app.MapPost("/UserPlayedItems/{itemId}", (HttpContext ctx, string itemId) => Authorized(ctx, state, false, caller =>
            ForItem(state, caller, ctx.Request.Query["userId"].ToString(), itemId, (user, item) => Played(ctx, state, user, item, "datePlayed"))));
        app.MapDelete("/UserPlayedItems/{itemId}", (HttpContext ctx, string itemId) => Authorized(ctx, state, false, caller =>
            ForItem(state, caller, ctx.Request.Query["userId"].ToString(), itemId, (user, item) => JellyfinJson.Ok(JellyfinJson.UserData(item, state.MarkUnplayed(user, item))))));
        app.MapGet("/UserItems/{itemId}/UserData", (HttpContext ctx, string itemId) => Authorized(ctx, state, false, caller =>
            ForItem(state, caller, ctx.Request.Query["userId"].ToString(), itemId, (user, item) => JellyfinJson.Ok(JellyfinJson.UserData(item, state.Data(user, item))))));
        app.MapPost("/UserItems/{itemId}/UserData", (HttpContext ctx, string itemId) => UpdateUserDataAsync(ctx, state, ctx.Request.Query["userId"].ToString(), itemId));
        app.MapGet("/Users/{userId}/Items/{itemId}/UserData", (HttpContext ctx, string userId, string itemId) => Authorized(ctx, state, false, caller =>
            ForItem(state, caller, userId, itemId, (user, item) => JellyfinJson.Ok(JellyfinJson.UserData(item, state.Data(user, item))))));
        app.MapPost("/Users/{userId}/Items/{itemId}/UserData", (HttpContext ctx, string userId, string itemId) => UpdateUserDataAsync(ctx, state, userId, itemId));
        app.MapPost("/UserFavoriteItems/{itemId}", (HttpContext ctx, string itemId) => Authorized(ctx, state, false, caller =>
            ForItem(state, caller, ctx.Request.Query["userId"].ToString(), itemId, (user, item) => JellyfinJson.Ok(JellyfinJson.UserData(item, state.SetFavorite(user, item, true))))));
        app.MapDelete("/UserFavoriteItems/{itemId}", (HttpContext ctx, string itemId) => Authorized(ctx, state, false, caller =>
            ForItem(state, caller, ctx.Request.Query["userId"].ToString(), itemId, (user, item) => JellyfinJson.Ok(JellyfinJson.UserData(item, state.SetFavorite(user, item, false))))));
        app.MapGet("/UserItems/Resume", (HttpContext ctx) => Authorized(ctx, state, false, caller =>
            ForUser(state, caller, ctx.Request.Query["userId"].ToString(), user => Resume(ctx, state, user))));
    }

    /// <summary>
    /// A write met by the "acknowledge without applying" fault: answered as the write would be (the item's
    /// unchanged user data, or 204 for playback reports) without changing anything.
    /// </summary>
    internal static Task AcknowledgeAsync(HttpContext ctx, JellyfinState state)
    {
        if (ctx.Request.Path.StartsWithSegments("/Sessions", StringComparison.OrdinalIgnoreCase))
        {
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        var caller = JellyfinAuth.Caller(ctx, state);
        var userId = ctx.Request.RouteValues["userId"] as string ?? ctx.Request.Query["userId"].ToString();
        var user = string.IsNullOrEmpty(userId) ? caller?.User : state.UserById(userId);
        var item = ctx.Request.RouteValues["itemId"] is string itemId ? state.Item(itemId) : null;
        if (user is null || item is null)
        {
            ctx.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        }

        return JellyfinJson.Ok(JellyfinJson.UserData(item, state.Data(user, item))).ExecuteAsync(ctx);
    }

    private static IResult Authorized(HttpContext ctx, JellyfinState state, bool adminOnly, Func<JfCaller, IResult> action)
    {
        var caller = JellyfinAuth.Caller(ctx, state);
        if (caller is null)
        {
            return Results.Text(string.Empty, statusCode: 401);
        }

        return adminOnly && !caller.IsAdministrator ? JellyfinJson.Problem(403, "Forbidden") : action(caller);
    }

    /// <summary>Resolves the user a call acts for: the id given, or the caller's own user; a non-administrator may only act for itself.</summary>
    private static IResult ForUserOrNone(JellyfinState state, JfCaller caller, string? userId, Func<JfUser?, IResult> action, bool optional)
    {
        JfUser? user;
        if (string.IsNullOrEmpty(userId))
        {
            user = caller.User;
            if (user is null && !optional)
            {
                return JellyfinJson.Problem(400, "Bad Request", "userId is required with an API key.");
            }
        }
        else
        {
            user = state.UserById(userId);
            if (user is null)
            {
                return JellyfinJson.Problem(404, "Not Found", "User not found.");
            }
        }

        if (user is not null && !caller.IsAdministrator && caller.User != user)
        {
            return JellyfinJson.Problem(403, "Forbidden");
        }

        return action(user);
    }

    private static IResult ForUser(JellyfinState state, JfCaller caller, string? userId, Func<JfUser, IResult> action) =>
        ForUserOrNone(state, caller, userId, user => action(user!), optional: false);

    private static IResult ForItem(JellyfinState state, JfCaller caller, string? userId, string itemId, Func<JfUser, JfItem, IResult> action) =>
        ForUser(state, caller, userId, user => state.Item(itemId) is { } item ? action(user, item) : JellyfinJson.Problem(404, "Not Found", "Item not found."));

    private static async Task<IResult> AuthenticateAsync(HttpContext ctx, JellyfinState state)
    {
        if (!JellyfinAuth.HasClientHeader(ctx, state))
        {
            return JellyfinJson.Problem(400, "Bad Request", "Authorization header with client information is required.");
        }

        var body = await ReadBodyAsync(ctx);
        if (body is not JsonObject login || login["Username"]?.GetValue<string>() is not { } name)
        {
            return JellyfinJson.Problem(400, "Bad Request", "Username is required.");
        }

        var password = login["Pw"]?.GetValue<string>() ?? string.Empty;
        var user = state.Authenticate(name, password);
        if (user is null)
        {
            return Results.Text("Error processing request.", statusCode: 401);
        }

        var client = JellyfinAuth.Parse(ctx.Request.Headers.Authorization.ToString()) ?? JellyfinAuth.Parse(ctx.Request.Headers["X-Emby-Authorization"].ToString()) ?? [];
        return JellyfinJson.Ok(JellyfinJson.Authentication(state, user, state.IssueToken(user), client));
    }

    private static IResult Played(HttpContext ctx, JellyfinState state, JfUser user, JfItem item, string parameter)
    {
        DateTimeOffset? date = null;
        if (ctx.Request.Query[parameter].ToString() is { Length: > 0 } text)
        {
            date = state.IsEmby ? ParseEmbyDate(text) : ParseDate(text);
            if (date is null)
            {
                return JellyfinJson.Problem(400, "Bad Request", $"{parameter} '{text}' is not a valid date.");
            }
        }

        return JellyfinJson.Ok(JellyfinJson.UserData(item, state.MarkPlayed(user, item, date)));
    }

    private static IResult Likes(HttpContext ctx, JellyfinState state, JfUser user, JfItem item)
    {
        var text = ctx.Request.Query["likes"].ToString();
        return bool.TryParse(text, out var likes)
            ? JellyfinJson.Ok(JellyfinJson.UserData(item, state.SetLikes(user, item, likes)))
            : JellyfinJson.Problem(400, "Bad Request", "likes must be true or false.");
    }

    private static async Task<IResult> UpdateUserDataAsync(HttpContext ctx, JellyfinState state, string? userId, string itemId)
    {
        var caller = JellyfinAuth.Caller(ctx, state);
        if (caller is null)
        {
            return Results.Text(string.Empty, statusCode: 401);
        }

        JsonNode? body;
        try
        {
            body = await ReadBodyAsync(ctx);
        }
        catch (InvalidDataException)
        {
            return Results.StatusCode(413);
        }

        if (body is not JsonObject update)
        {
            return JellyfinJson.Problem(400, "Bad Request", "A UpdateUserItemDataDto body is required.");
        }

        return ForItem(state, caller, userId, itemId, (user, item) =>
        {
            try
            {
                // A partial update: only the non-null fields change (JELLYFIN-NOTES.md), so a rating cannot be cleared here; no playback rule applies.
                var data = state.Update(user, item, d => d with
                {
                    PlaybackPositionTicks = Field<long?>(update, "PlaybackPositionTicks") ?? d.PlaybackPositionTicks,
                    PlayCount = Field<int?>(update, "PlayCount") ?? d.PlayCount,
                    IsFavorite = Field<bool?>(update, "IsFavorite") ?? d.IsFavorite,
                    Played = Field<bool?>(update, "Played") ?? d.Played,
                    Likes = Field<bool?>(update, "Likes") ?? d.Likes,
                    Rating = Field<double?>(update, "Rating") ?? d.Rating,
                    LastPlayedDate = update["LastPlayedDate"]?.GetValue<string>() is { } last ? ParseDate(last) ?? throw new FormatException("LastPlayedDate") : d.LastPlayedDate,
                }, "UpdateUserData");
                return JellyfinJson.Ok(JellyfinJson.UserData(item, data));
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                return JellyfinJson.Problem(400, "Bad Request", e.Message);
            }
        });
    }

    private static async Task<IResult> PlaybackAsync(HttpContext ctx, JellyfinState state, string phase)
    {
        var caller = JellyfinAuth.Caller(ctx, state);
        if (caller is null)
        {
            return Results.Text(string.Empty, statusCode: 401);
        }

        if (caller.User is not { } user)
        {
            return JellyfinJson.Problem(400, "Bad Request", "Playback reports need a user session.");
        }

        var body = await ReadBodyAsync(ctx) as JsonObject;
        if (body?["ItemId"]?.GetValue<string>() is not { } itemId || state.Item(itemId) is not { } item)
        {
            return JellyfinJson.Problem(400, "Bad Request", "ItemId is required.");
        }

        var position = Field<long?>(body, "PositionTicks") ?? 0;
        var session = body["PlaySessionId"]?.GetValue<string>() ?? "default";
        switch (phase)
        {
            case "start":
                state.PlaybackStart(user, item, session, position);
                break;
            case "progress":
                state.PlaybackProgress(user, item, session, position);
                break;
            default:
                state.PlaybackStopped(user, item, session, position);
                break;
        }

        return Results.NoContent();
    }

    private static IResult ListItems(HttpContext ctx, JellyfinState state, JfUser? user)
    {
        var q = ctx.Request.Query;
        var fields = Set(q["fields"]);
        var include = Set(q["includeItemTypes"]);
        var exclude = Set(q["excludeItemTypes"]);
        var filters = Set(q["filters"]);
        var ids = Set(q["ids"]);
        var recursive = Bool(q["recursive"]) ?? false;
        var parentId = q["parentId"].ToString();
        var isPlayed = Bool(q["isPlayed"]);
        var isFavorite = Bool(q["isFavorite"]);
        var hasImdb = Bool(q["hasImdbId"]);
        DateTimeOffset? minSaved = null;
        DateTimeOffset? minSavedForUser = null;
        if (q["minDateLastSaved"].ToString() is { Length: > 0 } saved)
        {
            minSaved = ParseDate(saved);
            if (minSaved is null)
            {
                return JellyfinJson.Problem(400, "Bad Request", "minDateLastSaved is not a date.");
            }
        }

        if (q["minDateLastSavedForUser"].ToString() is { Length: > 0 } savedForUser)
        {
            minSavedForUser = ParseDate(savedForUser);
            if (minSavedForUser is null)
            {
                return JellyfinJson.Problem(400, "Bad Request", "minDateLastSavedForUser is not a date.");
            }
        }

        var startIndex = Int(q["startIndex"]) ?? 0;
        var limit = Int(q["limit"]);
        if (startIndex < 0 || limit < 0)
        {
            return JellyfinJson.Problem(400, "Bad Request", "startIndex and limit must not be negative.");
        }

        IEnumerable<JfItem> items = state.Items();
        if (parentId.Length > 0 && state.View(parentId) is { } view)
        {
            // A library view: everything in it (recursive) or its top-level movies and series.
            items = items.Where(i => i.Library == view.Name && (recursive || i.ParentId is null));
        }
        else if (parentId.Length > 0)
        {
            var parent = state.Item(parentId);
            items = items.Where(i => recursive ? i.ParentId == parentId || i.SeriesId == parentId : i.ParentId == parentId || (parent is not null && i.SeriesId == parentId && i.Type == "Season"));
        }
        else if (!recursive && ids.Count == 0)
        {
            items = items.Where(i => i.ParentId is null);
        }

        if (include.Count > 0)
        {
            items = items.Where(i => include.Contains(i.Type));
        }

        items = items.Where(i => !exclude.Contains(i.Type));
        if (ids.Count > 0)
        {
            items = items.Where(i => ids.Contains(i.Id) || ids.Contains(i.Id.Replace("-", string.Empty, StringComparison.Ordinal)));
        }

        if (hasImdb is { } imdb)
        {
            items = items.Where(i => i.ProviderIds.ContainsKey("Imdb") == imdb);
        }

        if (minSaved is { } since)
        {
            items = items.Where(i => i.DateLastSaved >= since);
        }

        if (user is not null)
        {
            var u = user;
            if (isPlayed is { } played)
            {
                items = items.Where(i => state.Data(u, i).Played == played);
            }

            if (filters.Contains("IsPlayed"))
            {
                items = items.Where(i => state.Data(u, i).Played);
            }

            if (filters.Contains("IsUnplayed"))
            {
                items = items.Where(i => !state.Data(u, i).Played);
            }

            if (filters.Contains("IsResumable"))
            {
                items = items.Where(i => state.Data(u, i).PlaybackPositionTicks > 0);
            }

            if (isFavorite == true || filters.Contains("IsFavorite"))
            {
                items = items.Where(i => state.Data(u, i).IsFavorite);
            }

            if (minSavedForUser is { } sinceForUser)
            {
                items = items.Where(i => state.Data(u, i) is { LastSaved: var s } d && !d.IsEmpty && s >= sinceForUser);
            }
        }

        var sortBy = q["sortBy"].ToString();
        if (sortBy.Contains("SortName", StringComparison.OrdinalIgnoreCase))
        {
            items = items.OrderBy(i => i.SortName ?? i.Name, StringComparer.OrdinalIgnoreCase).ThenBy(i => i.Id, StringComparer.Ordinal);
        }
        else if (sortBy.Contains("DateCreated", StringComparison.OrdinalIgnoreCase))
        {
            items = items.OrderBy(i => i.DateCreated).ThenBy(i => i.Id, StringComparer.Ordinal);
        }

        if (q["sortOrder"].ToString().StartsWith("Desc", StringComparison.OrdinalIgnoreCase))
        {
            items = items.Reverse();
        }

        return QueryResult(state, user, fields, items.ToList(), startIndex, limit);
    }

    /// <summary>A BaseItemDtoQueryResult of one page of <paramref name="all"/> (Emby leaves out <c>StartIndex</c>).</summary>
    private static IResult QueryResult(JellyfinState state, JfUser? user, ISet<string> fields, List<JfItem> all, int startIndex, int? limit)
    {
        var page = all.Skip(startIndex);
        if (limit is { } take)
        {
            page = page.Take(take);
        }

        var result = new JsonObject
        {
            ["Items"] = new JsonArray([.. page.Select(i => (JsonNode)JellyfinJson.Item(state, i, user, fields))]),
            ["TotalRecordCount"] = all.Count,
        };
        if (!state.IsEmby)
        {
            result["StartIndex"] = startIndex;
        }

        return JellyfinJson.Ok(result);
    }

    /// <summary>
    /// <c>GET /Shows/{seriesId}/Episodes</c>: the series' episodes in season and episode order, optionally
    /// one season (<c>season</c> = its number, or <c>seasonId</c>), paged by <c>startIndex</c> and <c>limit</c>.
    /// </summary>
    private static IResult Episodes(HttpContext ctx, JellyfinState state, JfUser? user, string seriesId)
    {
        var q = ctx.Request.Query;
        if (state.Item(seriesId) is not { Type: "Series" } series)
        {
            return JellyfinJson.Problem(404, "Not Found", "Series not found.");
        }

        var startIndex = Int(q["startIndex"]) ?? 0;
        var limit = Int(q["limit"]);
        var season = Int(q["season"]);
        if (startIndex < 0 || limit < 0 || (q["season"].ToString().Length > 0 && season is null))
        {
            return JellyfinJson.Problem(400, "Bad Request", "season, startIndex and limit must be whole numbers, startIndex and limit not negative.");
        }

        var seasonId = q["seasonId"].ToString();
        var all = state.Items()
            .Where(i => i.Type == "Episode" && i.SeriesId == series.Id)
            .Where(i => season is null || i.ParentIndexNumber == season)
            .Where(i => seasonId.Length == 0 || i.SeasonId == seasonId || i.SeasonId == seasonId.Replace("-", string.Empty, StringComparison.Ordinal))
            .OrderBy(i => i.ParentIndexNumber ?? 0).ThenBy(i => i.IndexNumber ?? 0).ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList();
        return QueryResult(state, user, Set(q["fields"]), all, startIndex, limit);
    }

    /// <summary>The libraries as CollectionFolder items (BaseItemDtoQueryResult).</summary>
    private static IResult Views(JellyfinState state)
    {
        var views = state.Views.Select(v => (JsonNode)new JsonObject
        {
            ["Name"] = v.Name,
            ["ServerId"] = state.ServerId,
            ["Id"] = v.Id,
            ["IsFolder"] = true,
            ["Type"] = "CollectionFolder",
            ["CollectionType"] = v.CollectionType,
        });
        var result = new JsonObject { ["Items"] = new JsonArray([.. views]), ["TotalRecordCount"] = state.Views.Count };
        if (!state.IsEmby)
        {
            result["StartIndex"] = 0;
        }

        return JellyfinJson.Ok(result);
    }

    /// <summary>Like the real server, resume lists also carry the Season and Series folders (position 0); callers filter by Type.</summary>
    private static IResult Resume(HttpContext ctx, JellyfinState state, JfUser user)
    {
        var fields = Set(ctx.Request.Query["fields"]);
        var resumable = state.Items().Where(i => !i.IsFolder && state.Data(user, i).PlaybackPositionTicks > 0).ToList();
        var folders = resumable.SelectMany(i => new[] { i.SeasonId, i.SeriesId }).OfType<string>().Distinct(StringComparer.Ordinal).Select(state.Item).OfType<JfItem>();
        var all = resumable.Concat(folders).ToList();
        return JellyfinJson.Ok(new JsonObject
        {
            ["Items"] = new JsonArray([.. all.Select(i => (JsonNode)JellyfinJson.Item(state, i, user, fields))]),
            ["TotalRecordCount"] = all.Count,
            ["StartIndex"] = 0,
        });
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext ctx)
    {
        if (ctx.Request.ContentLength > MaxBody)
        {
            throw new InvalidDataException("Body too large.");
        }

        try
        {
            return await SimJson.ParseAsync(ctx.Request.Body, null, ctx.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static T? Field<T>(JsonObject body, string name)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            return default;
        }

        return node.GetValue<T>();
    }

    private static HashSet<string> Set(Microsoft.Extensions.Primitives.StringValues values) =>
        new(values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), StringComparer.OrdinalIgnoreCase);

    private static bool? Bool(Microsoft.Extensions.Primitives.StringValues value) => bool.TryParse(value.ToString(), out var b) ? b : null;

    private static int? Int(Microsoft.Extensions.Primitives.StringValues value) => int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    internal static DateTimeOffset? ParseDate(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date) ? date : null;

    /// <summary>Emby's DatePlayed is <c>yyyyMMddHHmmss</c> (emby-openapi-stable.json), in UTC.</summary>
    internal static DateTimeOffset? ParseEmbyDate(string text) =>
        DateTimeOffset.TryParseExact(text, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date) ? date : null;
}
