using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Simulators.Plex.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Plex;

/// <summary>Who may read an account's watchlist through the community GraphQL API (WATCHLISTS.md 2.4).</summary>
public enum CommunityPrivacy
{
    /// <summary>Friends (and wider) may read it.</summary>
    Friends,

    /// <summary>Private: a friend's query answers <c>User not found: User privacy prevents viewing</c>.</summary>
    Private,

    /// <summary>Hidden: a friend's query answers an empty list without an error (seen live, Sep 2026).</summary>
    Hidden,
}

/// <summary>The community side of the simulated world: each account's watchlist privacy, and titles watchlisted that no library holds.</summary>
public sealed class CommunityState
{
    private readonly ConcurrentDictionary<string, CommunityPrivacy> _privacy = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Type, string Title, int Year)> _catalogue = new(StringComparer.Ordinal);

    public CommunityPrivacy Privacy(SimAccount account) => _privacy.GetValueOrDefault(account.Uuid, CommunityPrivacy.Friends);

    public void SetPrivacy(SimAccount account, CommunityPrivacy privacy) => _privacy[account.Uuid] = privacy;

    /// <summary>Remembers a title that is on a watchlist but in no library (a movie Plex does not have yet).</summary>
    public void Describe(string key, string type, string title, int year) => _catalogue[key] = (type, title, year);

    public (string Type, string Title, int Year)? Title(string key) => _catalogue.TryGetValue(key, out var t) ? t : null;
}

/// <summary>
/// <c>community.plex.tv/api</c>: the GraphQL endpoint Plex Web reads friends and their watchlists from (WATCHLISTS.md 2).
/// POST and GET; queries are recognised by pattern (introspection is off in the real one): <c>allFriendsV2</c>,
/// <c>friendRequests</c>, and the watchlist through <c>userV2(user:{id})</c> or <c>user(id:)</c>. <c>first</c> must be
/// 10..100, cursors are opaque base64, node types are upper-case, there are no external ids; a private list answers
/// <c>User not found: User privacy prevents viewing</c> (or, hidden, an empty list), an unknown or managed uuid
/// <c>User not found: Data loader item not found</c>. Anything else is a 400 with GraphQL <c>errors</c>.
/// </summary>
internal static class CommunityEndpoints
{
    public static void MapCommunity(this IEndpointRouteBuilder app, PlexState state, CommunityState community)
    {
        app.MapPost("/api", ctx => AnswerAsync(ctx, state, community, post: true));
        app.MapGet("/api", ctx => AnswerAsync(ctx, state, community, post: false));
    }

    /// <summary>Control endpoints on the PMS's <c>/_sim</c>: a friend's watchlist and its privacy.</summary>
    public static void MapCommunityControl(this IEndpointRouteBuilder app, SimControl control)
    {
        var sim = app.MapGroup("/_sim/community");
        sim.MapPost("/{account}/watchlist", (string account, WatchlistChange change) => ControlEndpoints.Guard(() =>
        {
            var who = control.Account(account);
            var key = OnlineKey(change.Guid ?? throw new ArgumentException("guid is required (plex://movie/<24 hex> or plex://show/<24 hex>)"));
            if (change.Title is { } title)
            {
                control.Community.Describe(key, change.Guid.Contains("/show/", StringComparison.Ordinal) ? "show" : "movie", title, change.Year ?? 0);
            }

            control.State.Watchlist(who, key, change.Add ?? true);
            return Results.Ok(new { account = who.Name, key, watchlist = control.State.WatchlistOf(who).Select(e => e.Key) });
        }));
        sim.MapPut("/{account}/privacy", (string account, PrivacyChange change) => ControlEndpoints.Guard(() =>
        {
            var privacy = Enum.TryParse<CommunityPrivacy>(change.Privacy, ignoreCase: true, out var p) && Enum.IsDefined(p)
                ? p
                : throw new ArgumentException("privacy must be friends, private or hidden");
            control.Community.SetPrivacy(control.Account(account), privacy);
            return Results.Ok(new { account, privacy = privacy.ToString().ToLowerInvariant() });
        }));
    }

    private static string OnlineKey(string guid)
    {
        var key = guid[(guid.LastIndexOf('/') + 1)..];
        return guid.StartsWith("plex://", StringComparison.Ordinal) && key.Length == 24 && key.All(char.IsAsciiHexDigitLower)
            ? key
            : throw new ArgumentException($"'{guid}' is not plex://movie/<24 hex> or plex://show/<24 hex>");
    }

    private static async Task AnswerAsync(HttpContext ctx, PlexState state, CommunityState community, bool post)
    {
        var caller = state.AccountByToken(PmsHttp.Token(ctx.Request));
        if (caller is null)
        {
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await ctx.Response.WriteAsJsonAsync(new { errors = new[] { new { message = "Unauthorized", extensions = new { code = "UNAUTHENTICATED" } } } }, ctx.RequestAborted);
            return;
        }

        string? query;
        JsonObject variables;
        try
        {
            if (post)
            {
                var body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted) as JsonObject
                    ?? throw new JsonException("the body is not a JSON object");
                query = (string?)body["query"];
                variables = body["variables"] as JsonObject ?? [];
            }
            else
            {
                query = PmsHttp.Query(ctx.Request, "query");
                variables = PmsHttp.Query(ctx.Request, "variables") is { } v ? JsonNode.Parse(v) as JsonObject ?? [] : [];
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            await InvalidAsync(ctx, $"POST body must be a JSON object with a query: {e.Message}", "BAD_REQUEST");
            return;
        }

        if (string.IsNullOrWhiteSpace(query) || query.Contains("__schema", StringComparison.Ordinal) || query.Contains("__type", StringComparison.Ordinal))
        {
            await InvalidAsync(ctx, string.IsNullOrWhiteSpace(query) ? "Must provide query string." : "GraphQL introspection is not allowed", "GRAPHQL_VALIDATION_FAILED");
            return;
        }

        JsonObject data;
        if (query.Contains("allFriendsV2", StringComparison.Ordinal))
        {
            data = new JsonObject { ["allFriendsV2"] = Friends(state, caller) };
        }
        else if (query.Contains("friendRequests", StringComparison.Ordinal))
        {
            data = new JsonObject { ["friendRequests"] = new JsonObject { ["nodes"] = new JsonArray() } };
        }
        else if (query.Contains("watchlist(", StringComparison.Ordinal) && (query.Contains("userV2(", StringComparison.Ordinal) || query.Contains("user(id:", StringComparison.Ordinal)))
        {
            var v2 = query.Contains("userV2(", StringComparison.Ordinal);
            string? uuid;
            int first;
            try
            {
                uuid = v2 ? (string?)variables["user"]?["id"] : (string?)variables["uuid"];
                first = variables["first"]?.GetValue<int>() ?? 0;
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                await InvalidAsync(ctx, $"Variables of the wrong type: {e.Message}", "BAD_USER_INPUT");
                return;
            }

            if (first is < 10 or > 100)
            {
                await InvalidAsync(ctx, $"Variable \"$first\" got invalid value {variables["first"]?.ToJsonString() ?? "null"}; PaginationInt must be between 10 and 100", "BAD_USER_INPUT");
                return;
            }

            var field = v2 ? "userV2" : "user";
            var target = state.Accounts.FirstOrDefault(a => !a.IsManaged && string.Equals(a.Uuid, uuid, StringComparison.Ordinal));
            if (target is null)
            {
                await RefusedAsync(ctx, field, $"User not found: Data loader item not found: users uuid={uuid}");
                return;
            }

            var privacy = target == caller ? CommunityPrivacy.Friends : community.Privacy(target);
            if (privacy == CommunityPrivacy.Private)
            {
                await RefusedAsync(ctx, field, "User not found: User privacy prevents viewing");
                return;
            }

            string? after;
            try
            {
                after = (string?)variables["after"];
            }
            catch (InvalidOperationException)
            {
                after = "?";
            }

            if (Offset(after) is not { } offset)
            {
                await InvalidAsync(ctx, $"Invalid cursor: {after}", "BAD_USER_INPUT");
                return;
            }

            var entries = privacy == CommunityPrivacy.Hidden ? [] : state.WatchlistOf(target);
            var nodes = new JsonArray();
            foreach (var (key, _) in entries.Skip(offset).Take(first))
            {
                nodes.Add(Node(state, community, key));
            }

            var end = offset + nodes.Count;
            data = new JsonObject
            {
                [field] = new JsonObject
                {
                    ["watchlist"] = new JsonObject
                    {
                        ["nodes"] = nodes,
                        ["pageInfo"] = new JsonObject { ["hasNextPage"] = end < entries.Count, ["endCursor"] = Cursor(end) },
                    },
                },
            };
        }
        else
        {
            await InvalidAsync(ctx, "Cannot query field on type \"Query\" (the simulator knows allFriendsV2, friendRequests and the user watchlist queries).", "GRAPHQL_VALIDATION_FAILED");
            return;
        }

        await WriteAsync(ctx, new JsonObject { ["data"] = data }, query + variables.ToJsonString());
    }

    private static JsonArray Friends(PlexState state, SimAccount caller)
    {
        var friends = new JsonArray();
        if (!caller.IsOwner)
        {
            return friends;
        }

        foreach (var friend in state.Accounts.Where(a => a.Kind == SimAccountKind.Friend))
        {
            friends.Add(new JsonObject
            {
                ["user"] = new JsonObject
                {
                    ["id"] = friend.Uuid,
                    ["username"] = friend.Name,
                    ["displayName"] = friend.Name,
                    ["avatar"] = friend.Thumb,
                },
                ["createdAt"] = "2024-02-11T19:04:55.000Z",
            });
        }

        return friends;
    }

    private static JsonObject Node(PlexState state, CommunityState community, string key)
    {
        var item = state.ItemByOnlineKey(key);
        var described = community.Title(key);
        var type = item?.Type == ItemType.Show || described?.Type == "show" ? "show" : "movie";
        return new JsonObject
        {
            ["id"] = key,
            ["guid"] = item?.PrimaryGuid ?? $"plex://{type}/{key}",
            ["type"] = type.ToUpperInvariant(),
            ["title"] = item?.Title ?? described?.Title ?? "Unknown",
            ["year"] = item?.Year ?? described?.Year ?? 0,
        };
    }

    /// <summary>Opaque cursors: base64 of an offset (the real ones decode to timestamps; clients must not care).</summary>
    private static string Cursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("o:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static int? Offset(string? cursor)
    {
        if (cursor is null)
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static Task RefusedAsync(HttpContext ctx, string field, string message) =>
        WriteAsync(ctx, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["path"] = new JsonArray(field) }), ["data"] = null }, message);

    private static async Task InvalidAsync(HttpContext ctx, string message, string code)
    {
        ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
        await WriteAsync(ctx, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["extensions"] = new JsonObject { ["code"] = code } }) }, message);
    }

    private static async Task WriteAsync(HttpContext ctx, JsonObject body, string etagOf)
    {
        var text = body.ToJsonString();
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers.ETag = "W/\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(etagOf + text)))[..32] + "\"";
        await ctx.Response.WriteAsync(text, ctx.RequestAborted);
    }

    internal sealed record WatchlistChange(string? Guid, bool? Add, string? Title, int? Year);

    internal sealed record PrivacyChange(string Privacy);
}
