using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Trakt;

/// <summary>Trakt API v2 as the contract describes it: OAuth device flow, <c>/sync/*</c>, <c>/scrobble/*</c>, search and settings.</summary>
internal static class TraktEndpoints
{
    private const string AccountKey = "trakt.account";

    public static void MapTrakt(this WebApplication app, TraktControl control)
    {
        var state = control.State;
        app.Use((context, next) => GateAsync(context, next, control));

        app.MapPost("/oauth/device/code", async context =>
        {
            var body = await BodyAsync(context);
            if (body?["client_id"]?.ToString() != state.Options.ClientId)
            {
                await EmptyAsync(context, 401);
                return;
            }

            var code = state.NewDeviceCode();
            await JsonAsync(context, 200, new JsonObject
            {
                ["device_code"] = code.DeviceCode,
                ["user_code"] = code.UserCode,
                ["verification_url"] = "https://trakt.tv/activate",
                ["expires_in"] = state.Options.DeviceCodeLifetimeSeconds,
                ["interval"] = state.Options.PollIntervalSeconds,
            });
        });
        app.MapPost("/oauth/device/token", async context =>
        {
            var body = await BodyAsync(context);
            if (!ClientMatches(body, state, secret: true))
            {
                await OAuthErrorAsync(context, 401, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.");
                return;
            }

            var (status, token) = state.Poll(body?["code"]?.ToString() ?? string.Empty);
            if (token is null)
            {
                await EmptyAsync(context, status);
                return;
            }

            await JsonAsync(context, 200, token.ToJson());
        });
        app.MapPost("/oauth/token", async context =>
        {
            var body = await BodyAsync(context);
            if (!ClientMatches(body, state, secret: true))
            {
                await OAuthErrorAsync(context, 401, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.");
                return;
            }

            if (body?["grant_type"]?.ToString() != "refresh_token" || state.Refresh(body["refresh_token"]?.ToString() ?? string.Empty) is not { } token)
            {
                await OAuthErrorAsync(context, state.Options.RefreshErrorStatus, "invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.");
                return;
            }

            await JsonAsync(context, 200, token.ToJson());
        });
        app.MapPost("/oauth/revoke", async context =>
        {
            var body = await BodyAsync(context);
            if (!ClientMatches(body, state, secret: true))
            {
                await OAuthErrorAsync(context, 401, "invalid_client", "Client authentication failed.");
                return;
            }

            state.Revoke(body?["token"]?.ToString() ?? string.Empty);
            await JsonAsync(context, 200, new JsonObject());
        });

        app.MapGet("/sync/last_activities", context =>
        {
            var account = Account(context);
            var result = new JsonObject();
            lock (state.Gate)
            {
                foreach (var (key, value) in account.Activities)
                {
                    var (group, field) = (key[..key.IndexOf('.', StringComparison.Ordinal)], key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..]);
                    if (result[group] is not JsonObject section)
                    {
                        result[group] = section = [];
                    }

                    section[field] = TraktJson.Date(value);
                }

                result["all"] = TraktJson.Date(account.Activities.Values.Max());
            }

            return JsonAsync(context, 200, result);
        });

        app.MapGet("/sync/history", context => HistoryAsync(context, state, null, null));
        app.MapGet("/sync/history/{type}", (HttpContext context, string type) => HistoryAsync(context, state, type, null));
        app.MapGet("/sync/history/{type}/{id}", (HttpContext context, string type, string id) => HistoryAsync(context, state, type, id));
        app.MapPost("/sync/history", context => WriteAsync(context, state, expand: true, 201, (account, bulk, _) => state.AddHistory(account, bulk)));
        app.MapPost("/sync/history/remove", context => WriteAsync(context, state, expand: true, 200, (account, bulk, body) =>
        {
            var ids = body["ids"] is JsonArray array
                ? array.Select(n => n is JsonValue v && v.TryGetValue<long>(out var id) ? id : throw new FormatException("ids must be history ids (numbers)")).ToList()
                : [];
            return state.RemoveHistory(account, bulk, ids);
        }));

        app.MapGet("/sync/watched/{type}", (HttpContext context, string type) => WatchedAsync(context, state, type));

        app.MapGet("/sync/ratings", context => RatingsAsync(context, state, null, null));
        app.MapGet("/sync/ratings/{type}", (HttpContext context, string type) => RatingsAsync(context, state, type, null));
        app.MapGet("/sync/ratings/{type}/{rating}", (HttpContext context, string type, string rating) => RatingsAsync(context, state, type, rating));
        app.MapPost("/sync/ratings", context => WriteAsync(context, state, expand: false, 201, (account, bulk, _) => state.AddRatings(account, bulk)));
        app.MapPost("/sync/ratings/remove", context => WriteAsync(context, state, expand: false, 200, (account, bulk, _) => state.RemoveRatings(account, bulk)));

        app.MapGet("/sync/watchlist", context => WatchlistAsync(context, state, null, null));
        app.MapGet("/sync/watchlist/{type}", (HttpContext context, string type) => WatchlistAsync(context, state, type, null));
        app.MapGet("/sync/watchlist/{type}/{sort}", (HttpContext context, string type, string sort) => WatchlistAsync(context, state, type, sort));
        app.MapPost("/sync/watchlist", context => WriteAsync(context, state, expand: false, 201, (account, bulk, _) => state.AddWatchlist(account, bulk)));
        app.MapPost("/sync/watchlist/remove", context => WriteAsync(context, state, expand: false, 200, (account, bulk, _) => state.RemoveWatchlist(account, bulk)));

        app.MapGet("/sync/playback", context => PlaybackAsync(context, state, null));
        app.MapGet("/sync/playback/{type}", (HttpContext context, string type) => PlaybackAsync(context, state, type));
        app.MapDelete("/sync/playback/{id}", (HttpContext context, string id) =>
            EmptyAsync(context, long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && state.DeletePlayback(Account(context), n) ? 204 : 404));

        app.MapPost("/scrobble/{action}", async (HttpContext context, string action) =>
        {
            if (action is not ("start" or "pause" or "stop"))
            {
                await EmptyAsync(context, 404);
                return;
            }

            var body = await BodyAsync(context);
            var kind = body?["movie"] is JsonObject ? TraktKind.Movie : body?["episode"] is JsonObject ? TraktKind.Episode : (TraktKind?)null;
            if (body is null || kind is null || body["progress"] is not JsonValue p || !p.TryGetValue<double>(out var progress) || progress is < 0 or > 100)
            {
                await JsonAsync(context, 422, new JsonObject { ["error"] = "a movie or episode object and a progress from 0 to 100 are required" });
                return;
            }

            if (state.Catalog.Match(kind.Value, (JsonObject)body[TraktJson.Singular(kind.Value)]!) is not { } media)
            {
                await EmptyAsync(context, 404);
                return;
            }

            await JsonAsync(context, 201, state.Scrobble(Account(context), action, media, progress));
        });

        app.MapGet("/search/{idType}/{id}", (HttpContext context, string idType, string id) => SearchAsync(context, state, idType, id));

        app.MapGet("/users/settings", context =>
        {
            var account = Account(context);
            return JsonAsync(context, 200, new JsonObject
            {
                ["user"] = new JsonObject
                {
                    ["username"] = account.Name,
                    ["private"] = false,
                    ["name"] = account.Name,
                    ["vip"] = account.Vip,
                    ["vip_ep"] = false,
                    ["ids"] = new JsonObject { ["slug"] = account.Name.ToLowerInvariant(), ["uuid"] = account.Uuid },
                },
                ["account"] = new JsonObject { ["timezone"] = "UTC", ["date_format"] = "dmy", ["time_24hr"] = true },
                ["browsing"] = new JsonObject { ["watch_only_once"] = false },
                ["limits"] = new JsonObject
                {
                    ["list"] = new JsonObject { ["count"] = 5, ["item_count"] = 250 },
                    ["watchlist"] = new JsonObject { ["item_count"] = state.WatchlistLimit },
                    ["favorites"] = new JsonObject { ["item_count"] = 50 },
                },
            });
        });
    }

    // ---- the gate: faults, headers, OAuth, locked accounts, rate limits ------------------------------------

    private static async Task GateAsync(HttpContext context, RequestDelegate next, TraktControl control)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/_sim", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var state = control.State;
        if (control.TakeStatusFault(SimHarness.EndpointName(context)) is { } fault)
        {
            await WriteStatusFaultAsync(context, control, fault);
            return;
        }

        var isPost = HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPut(context.Request.Method);
        if (isPost && context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            await EmptyAsync(context, 412);
            return;
        }

        if (path.StartsWithSegments("/oauth", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        if (context.Request.Headers["trakt-api-key"].ToString() != state.Options.ClientId || context.Request.Headers["trakt-api-version"].ToString() != "2")
        {
            await EmptyAsync(context, 403);
            return;
        }

        TraktAccount? account = null;
        var auth = context.Request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            account = state.Authenticate(auth["Bearer ".Length..].Trim());
        }

        var needsAuth = path.StartsWithSegments("/sync", StringComparison.Ordinal) || path.StartsWithSegments("/scrobble", StringComparison.Ordinal) || path.StartsWithSegments("/users/settings", StringComparison.Ordinal);
        if (needsAuth && account is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"Doorkeeper\", error=\"invalid_token\", error_description=\"The access token is invalid\"";
            await EmptyAsync(context, 401);
            return;
        }

        if (account is { Locked: true } or { Deactivated: true })
        {
            context.Response.Headers["X-Account-Locked"] = account.Locked ? "true" : "false";
            context.Response.Headers["X-Account-Deactivated"] = account.Deactivated ? "true" : "false";
            await EmptyAsync(context, 423);
            return;
        }

        var bucket = !HttpMethods.IsGet(context.Request.Method) ? TraktLimits.Post : account is null ? TraktLimits.UnauthedGet : TraktLimits.Get;
        var caller = account?.Name ?? state.Options.ClientId;
        if (control.Limits.Charge(bucket, caller) is { } limited)
        {
            context.Response.Headers.RetryAfter = limited.RetryAfter.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["X-Ratelimit"] = limited.Header;
            await EmptyAsync(context, 429);
            return;
        }

        if (account is not null)
        {
            context.Items[AccountKey] = account;
        }

        await next(context);
    }

    private static async Task WriteStatusFaultAsync(HttpContext context, TraktControl control, TraktStatusFault fault)
    {
        var headers = context.Response.Headers;
        var edge = fault.Edge || fault.Status is 520 or 521 or 522;
        switch (fault.Status)
        {
            case 429:
                headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                if (!edge)
                {
                    headers["X-Ratelimit"] = new JsonObject { ["name"] = TraktLimits.Post, ["period"] = 1, ["limit"] = 1, ["remaining"] = 0, ["until"] = TraktJson.Date(control.State.Now.AddSeconds(fault.RetryAfterSeconds)) }.ToJsonString();
                }

                var bucket = HttpMethods.IsGet(context.Request.Method) ? TraktLimits.Get : TraktLimits.Post;
                control.Limits.Block(bucket, CallerOf(context, control.State), fault.RetryAfterSeconds);
                break;
            case 420:
                headers["X-Upgrade-URL"] = "https://trakt.tv/vip";
                headers["X-VIP-User"] = "false";
                headers["X-Account-Limit"] = control.State.WatchlistLimit.ToString(CultureInfo.InvariantCulture);
                break;
            case 423:
                headers["X-Account-Locked"] = "true";
                headers["X-Account-Deactivated"] = "false";
                break;
            case 426:
                headers["X-Upgrade-URL"] = "https://trakt.tv/vip";
                break;
            case 500:
                headers["X-Error-Message"] = "Internal server error";
                break;
        }

        if (edge)
        {
            headers.Server = "cloudflare";
            context.Response.StatusCode = fault.Status;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync($"<html><head><title>{fault.Status}</title></head><body><center><h1>{fault.Status}</h1></center><hr><center>cloudflare</center></body></html>", Encoding.UTF8, context.RequestAborted);
            return;
        }

        await EmptyAsync(context, fault.Status);
    }

    private static string CallerOf(HttpContext context, TraktState state)
    {
        var auth = context.Request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && state.Authenticate(auth["Bearer ".Length..].Trim()) is { } account ? account.Name : state.Options.ClientId;
    }

    // ---- reads -----------------------------------------------------------------------------------------------

    private static Task HistoryAsync(HttpContext context, TraktState state, string? type, string? id)
    {
        var account = Account(context);
        TraktKind? kind = null;
        if (type is not null && (kind = TraktJson.KindOf(type)) is null)
        {
            return EmptyAsync(context, 404);
        }

        if (!TryDate(context, "start_at", out var start) || !TryDate(context, "end_at", out var end))
        {
            return JsonAsync(context, 400, new JsonObject { ["error"] = "start_at and end_at must be dates" });
        }

        List<TraktPlay> plays;
        lock (state.Gate)
        {
            plays = [.. account.Plays];
        }

        var filtered = plays.Where(p => kind switch
        {
            null => true,
            TraktKind.Movie => p.Media.Kind == TraktKind.Movie,
            TraktKind.Show => p.Media.Show is { } show && (id is null || show.Trakt.ToString(CultureInfo.InvariantCulture) == id),
            TraktKind.Season => p.Media.Parent is { Kind: TraktKind.Season } season && (id is null || season.Trakt.ToString(CultureInfo.InvariantCulture) == id),
            _ => p.Media.Kind == TraktKind.Episode,
        })
            .Where(p => kind is TraktKind.Show or TraktKind.Season || id is null || p.Media.Trakt.ToString(CultureInfo.InvariantCulture) == id)
            .Where(p => (start is null || p.WatchedAt >= start) && (end is null || p.WatchedAt <= end))
            .OrderByDescending(p => p.WatchedAt ?? DateTimeOffset.MinValue)
            .ThenByDescending(p => p.Id)
            .ToList();
        var rows = Page(context, filtered, optional: false, max: 250);
        return ListAsync(context, rows.Select(p => TraktJson.Row(new JsonObject { ["id"] = p.Id, ["watched_at"] = TraktJson.Date(p.WatchedAt), ["action"] = p.Action }, p.Media)));
    }

    private static Task WatchedAsync(HttpContext context, TraktState state, string type)
    {
        var account = Account(context);
        var progress = context.Request.Query["extended"].ToString().Split(',').Contains("progress", StringComparer.Ordinal);
        List<TraktPlay> plays;
        lock (state.Gate)
        {
            plays = [.. account.Plays];
        }

        if (type == "movies")
        {
            var movies = plays.Where(p => p.Media.Kind == TraktKind.Movie).GroupBy(p => p.Media)
                .Select(g => (Media: g.Key, Plays: g.Count(), Last: g.Max(p => p.WatchedAt)))
                .OrderByDescending(m => m.Last).ThenBy(m => m.Media.Trakt).ToList();
            var page = Page(context, movies, optional: false, max: progress ? 100 : 250);
            return ListAsync(context, page.Select(m => new JsonObject
            {
                ["plays"] = m.Plays,
                ["last_watched_at"] = TraktJson.Date(m.Last),
                ["last_updated_at"] = TraktJson.Date(m.Last),
                ["movie"] = TraktJson.Media(m.Media),
            }));
        }

        if (type != "shows")
        {
            return EmptyAsync(context, 404);
        }

        var shows = plays.Where(p => p.Media.Kind == TraktKind.Episode).GroupBy(p => p.Media.Show!)
            .Select(g => (Show: g.Key, Episodes: g.ToList(), Last: g.Max(p => p.WatchedAt)))
            .OrderByDescending(s => s.Last).ThenBy(s => s.Show.Trakt).ToList();
        var shown = Page(context, shows, optional: false, max: progress ? 100 : 250);
        return ListAsync(context, shown.Select(s =>
        {
            var row = new JsonObject
            {
                ["plays"] = s.Episodes.Count,
                ["last_watched_at"] = TraktJson.Date(s.Last),
                ["last_updated_at"] = TraktJson.Date(s.Last),
                ["reset_at"] = null,
                ["show"] = TraktJson.Media(s.Show),
            };
            if (progress)
            {
                row["seasons"] = new JsonArray([.. s.Episodes.GroupBy(p => p.Media.SeasonNumber!.Value).OrderBy(g => g.Key).Select(season => (JsonNode)new JsonObject
                {
                    ["number"] = season.Key,
                    ["episodes"] = new JsonArray([.. season.GroupBy(p => p.Media.Number).OrderBy(e => e.Key).Select(e => (JsonNode)new JsonObject
                    {
                        ["number"] = e.Key,
                        ["plays"] = e.Count(),
                        ["last_watched_at"] = TraktJson.Date(e.Max(p => p.WatchedAt)),
                    })]),
                })]);
            }

            return row;
        }));
    }

    private static Task RatingsAsync(HttpContext context, TraktState state, string? type, string? rating)
    {
        var account = Account(context);
        TraktKind? kind = null;
        if (type is not null && type != "all" && (kind = TraktJson.KindOf(type)) is null)
        {
            return EmptyAsync(context, 404);
        }

        var wanted = rating?.Split(',').Select(r => int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToHashSet();
        List<TraktRating> ratings;
        lock (state.Gate)
        {
            ratings = [.. account.Ratings.Values];
        }

        var rows = ratings.Where(r => (kind is null || r.Media.Kind == kind) && (wanted is null || wanted.Contains(r.Rating)))
            .OrderByDescending(r => r.RatedAt).ThenBy(r => r.Media.Trakt).ToList();
        return ListAsync(context, Page(context, rows, optional: true, max: 250)
            .Select(r => TraktJson.Row(new JsonObject { ["rated_at"] = TraktJson.Date(r.RatedAt), ["rating"] = r.Rating }, r.Media)));
    }

    private static Task WatchlistAsync(HttpContext context, TraktState state, string? type, string? sort)
    {
        var account = Account(context);
        TraktKind? kind = null;
        if (type is not null && type != "all" && (kind = TraktJson.KindOf(type)) is null)
        {
            return EmptyAsync(context, 404);
        }

        List<TraktWatchlistEntry> entries;
        lock (state.Gate)
        {
            entries = [.. account.Watchlist];
        }

        var ranked = entries.Select((e, i) => (Entry: e, Rank: i + 1)).Where(e => kind is null || e.Entry.Media.Kind == kind).ToList();
        var sorted = sort switch
        {
            "added" => ranked.OrderByDescending(e => e.Entry.ListedAt).ThenByDescending(e => e.Entry.Id).ToList(),
            "title" => ranked.OrderBy(e => e.Entry.Media.Show?.Title ?? e.Entry.Media.Title, StringComparer.OrdinalIgnoreCase).ToList(),
            _ => ranked,
        };
        context.Response.Headers["X-Sort-By"] = "rank";
        context.Response.Headers["X-Sort-How"] = "asc";
        context.Response.Headers["X-Applied-Sort-By"] = sort ?? "rank";
        context.Response.Headers["X-Applied-Sort-How"] = sort == "added" ? "desc" : "asc";
        return ListAsync(context, Page(context, sorted, optional: false, max: 250).Select(e => TraktJson.Row(
            new JsonObject { ["rank"] = e.Rank, ["id"] = e.Entry.Id, ["listed_at"] = TraktJson.Date(e.Entry.ListedAt), ["notes"] = e.Entry.Notes }, e.Entry.Media)));
    }

    private static Task PlaybackAsync(HttpContext context, TraktState state, string? type)
    {
        var account = Account(context);
        TraktKind? kind = null;
        if (type is not null && (kind = TraktJson.KindOf(type)) is not (TraktKind.Movie or TraktKind.Episode))
        {
            return EmptyAsync(context, 404);
        }

        if (!TryDate(context, "start_at", out var start) || !TryDate(context, "end_at", out var end))
        {
            return JsonAsync(context, 400, new JsonObject { ["error"] = "start_at and end_at must be dates" });
        }

        var rows = state.PlaybackOf(account).Where(p => (kind is null || p.Media.Kind == kind) && (start is null || p.PausedAt >= start) && (end is null || p.PausedAt <= end)).ToList();
        return ListAsync(context, Page(context, rows, optional: true, max: 250).Select(p => TraktJson.Row(
            new JsonObject { ["progress"] = p.Progress, ["paused_at"] = TraktJson.Date(p.PausedAt), ["id"] = p.Id }, p.Media)));
    }

    private static Task SearchAsync(HttpContext context, TraktState state, string idType, string id)
    {
        if (idType is not ("trakt" or "imdb" or "tmdb" or "tvdb"))
        {
            return EmptyAsync(context, 404);
        }

        HashSet<TraktKind>? kinds = null;
        if (context.Request.Query["type"].ToString() is { Length: > 0 } types)
        {
            kinds = [.. types.Split(',').Select(t => TraktJson.KindOf(t + "s")).OfType<TraktKind>()];
        }

        var found = state.Catalog.Search(idType, id, kinds).ToList();
        return ListAsync(context, Page(context, found, optional: false, max: 250).Select(m =>
        {
            var row = TraktJson.Row(new JsonObject(), m);
            row["score"] = null;
            return row;
        }));
    }

    // ---- writes ----------------------------------------------------------------------------------------------

    private static async Task WriteAsync(HttpContext context, TraktState state, bool expand, int status, Func<TraktAccount, TraktBulk, JsonObject, JsonObject?> apply)
    {
        var body = await BodyAsync(context);
        if (body is null)
        {
            await JsonAsync(context, 400, new JsonObject { ["error"] = "the body must be a JSON object" });
            return;
        }

        JsonObject? result;
        try
        {
            var bulk = TraktBulk.Read(state.Catalog, body, expand);
            result = apply(Account(context), bulk, body);
        }
        catch (FormatException e)
        {
            await JsonAsync(context, 422, new JsonObject { ["error"] = e.Message });
            return;
        }

        if (result is null)
        {
            context.Response.Headers["X-Upgrade-URL"] = "https://trakt.tv/vip";
            context.Response.Headers["X-VIP-User"] = Account(context).Vip ? "true" : "false";
            context.Response.Headers["X-Account-Limit"] = state.WatchlistLimit.ToString(CultureInfo.InvariantCulture);
            await EmptyAsync(context, 420);
            return;
        }

        await JsonAsync(context, status, result);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static TraktAccount Account(HttpContext context) => (TraktAccount)context.Items[AccountKey]!;

    private static bool ClientMatches(JsonObject? body, TraktState state, bool secret) =>
        body?["client_id"]?.ToString() == state.Options.ClientId && (!secret || body["client_secret"]?.ToString() == state.Options.ClientSecret);

    /// <summary>
    /// One page of <paramref name="rows"/> with the four <c>X-Pagination-*</c> headers. <c>limit</c> defaults to 100 and is
    /// clamped to <paramref name="max"/>; an "optional" endpoint asked for neither page nor limit answers everything.
    /// </summary>
    private static IEnumerable<T> Page<T>(HttpContext context, IReadOnlyList<T> rows, bool optional, int max)
    {
        var query = context.Request.Query;
        if (optional && !query.ContainsKey("page") && !query.ContainsKey("limit"))
        {
            return rows;
        }

        var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? Math.Min(l, max) : Math.Min(100, max);
        var pages = Math.Max(1, (rows.Count + limit - 1) / limit);
        var headers = context.Response.Headers;
        headers["X-Pagination-Page"] = page.ToString(CultureInfo.InvariantCulture);
        headers["X-Pagination-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["X-Pagination-Page-Count"] = pages.ToString(CultureInfo.InvariantCulture);
        headers["X-Pagination-Item-Count"] = rows.Count.ToString(CultureInfo.InvariantCulture);
        return rows.Skip((page - 1) * limit).Take(limit);
    }

    private static bool TryDate(HttpContext context, string key, out DateTimeOffset? value)
    {
        value = null;
        var text = context.Request.Query[key].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            value = date;
            return true;
        }

        return false;
    }

    private static async Task<JsonObject?> BodyAsync(HttpContext context)
    {
        try
        {
            return await SimJson.ParseAsync(context.Request.Body, null, context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task ListAsync(HttpContext context, IEnumerable<JsonObject> rows) =>
        JsonAsync(context, 200, new JsonArray([.. rows]));

    internal static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8, context.RequestAborted);
    }

    private static Task OAuthErrorAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"Doorkeeper\", error=\"{error}\", error_description=\"{description}\"";
        return JsonAsync(context, status, new JsonObject { ["error"] = error, ["error_description"] = description });
    }

    internal static Task EmptyAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
