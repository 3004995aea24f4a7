using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Seerr;

/// <summary>The read API of SEERR-API.md sections 1 to 6 under <c>/api/v1</c>.</summary>
internal static class SeerrEndpoints
{
    private static readonly string[] AllFilters = ["all", "approved", "available", "pending", "processing", "unavailable", "failed"];
    private static readonly string[] NewFilters = ["completed", "deleted"];

    public static void MapSeerr(this IEndpointRouteBuilder app, SeerrState state)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/status", () => Results.Json(new JsonObject
        {
            ["version"] = state.Version,
            ["commitTag"] = "v" + state.Version,
            ["updateAvailable"] = false,
            ["commitsBehind"] = 0,
            ["restartRequired"] = false,
        }));
        api.MapGet("/settings/public", () =>
        {
            var json = new JsonObject { ["initialized"] = true, ["applicationTitle"] = state.IsOverseerr ? "Overseerr" : "Seerr" };
            if (!state.IsOverseerr)
            {
                json["mediaServerType"] = 1;
            }

            return Results.Json(json);
        });
        api.MapGet("/auth/me", (HttpContext ctx) => Authed(ctx, state, user => Results.Json(SeerrJson.User(user, full: true, state))));
        api.MapGet("/request", (HttpContext ctx) => Authed(ctx, state, user => ListRequests(ctx, state, user)));
        api.MapGet("/request/{id}", (HttpContext ctx, string id) => Authed(ctx, state, user =>
        {
            var request = int.TryParse(id, CultureInfo.InvariantCulture, out var n) ? state.Request(n) : null;
            if (request is null)
            {
                return Results.Json(new JsonObject { ["message"] = "Request not found." }, statusCode: 404);
            }

            return request.RequestedBy != user.Id && !user.Sees(SeerrUser.ManageRequests | SeerrUser.RequestView)
                ? Results.Json(new JsonObject { ["message"] = "Request not found." }, statusCode: 403)
                : Results.Json(SeerrJson.Request(request, state, listCall: false));
        }));
        api.MapGet("/user", (HttpContext ctx) => Authed(ctx, state, user =>
        {
            if (Validate(ctx, ["take", "skip", "sort", "q", "includeIds"]) is { } bad)
            {
                return bad;
            }

            var (take, skip, problem) = Paging(ctx, 10);
            if (problem is not null)
            {
                return problem;
            }

            var users = state.Users();
            var page = new JsonArray([.. users.Skip(skip).Take(take).Select(u => SeerrJson.User(u, user.Sees(SeerrUser.ManageUsers), state))]);
            return Results.Json(new JsonObject { ["pageInfo"] = SeerrJson.PageInfo(take, skip, users.Count), ["results"] = page });
        }));
        api.MapGet("/user/{id}", (HttpContext ctx, string id) => Authed(ctx, state, user =>
            int.TryParse(id, CultureInfo.InvariantCulture, out var n) && state.User(n) is { } found
                ? Results.Json(SeerrJson.User(found, user.Sees(SeerrUser.ManageUsers), state))
                : Results.Json(new JsonObject { ["message"] = "User not found." }, statusCode: 404)));
    }

    private static IResult ListRequests(HttpContext ctx, SeerrState state, SeerrUser caller)
    {
        string[] allowed = state.IsOverseerr
            ? ["take", "skip", "filter", "sort", "requestedBy"]
            : ["take", "skip", "filter", "sort", "sortDirection", "requestedBy", "mediaType"];
        if (Validate(ctx, allowed) is { } bad)
        {
            return bad;
        }

        var (take, skip, problem) = Paging(ctx, 10);
        if (problem is not null)
        {
            return problem;
        }

        var q = ctx.Request.Query;
        var filter = q["filter"].ToString() is { Length: > 0 } f ? f : "all";
        if (!AllFilters.Contains(filter) && (state.IsOverseerr || !NewFilters.Contains(filter)))
        {
            return EnumError("filter", filter);
        }

        var sort = q["sort"].ToString() is { Length: > 0 } s ? s : "added";
        if (sort is not ("added" or "modified"))
        {
            return EnumError("sort", sort);
        }

        var direction = q["sortDirection"].ToString() is { Length: > 0 } d ? d : "desc";
        if (direction is not ("asc" or "desc"))
        {
            return EnumError("sortDirection", direction);
        }

        var mediaType = q["mediaType"].ToString() is { Length: > 0 } m ? m : "all";
        if (mediaType is not ("movie" or "tv" or "all"))
        {
            return EnumError("mediaType", mediaType);
        }

        int? requestedBy = null;
        if (q["requestedBy"].ToString() is { Length: > 0 } by)
        {
            if (!int.TryParse(by, CultureInfo.InvariantCulture, out var id))
            {
                return ValidatorError("requestedBy", "must be number");
            }

            requestedBy = id;
        }

        var seesAll = caller.Sees(SeerrUser.ManageRequests | SeerrUser.RequestView);
        if (!seesAll && requestedBy is { } other && other != caller.Id)
        {
            return Results.Json(new JsonObject { ["message"] = "You do not have permission to view this user's requests." }, statusCode: 403);
        }

        var rows = state.Requests()
            .Where(r => seesAll || r.RequestedBy == caller.Id)
            .Where(r => requestedBy is null || r.RequestedBy == requestedBy)
            .Select(r => (Request: r, Media: state.Media(r.MediaId)!))
            .Where(x => mediaType == "all" || x.Media.MediaType == mediaType)
            .Where(x => Matches(filter, x.Request, x.Request.Is4k ? x.Media.Status4k : x.Media.Status, state.IsOverseerr))
            .Select(x => x.Request);
        rows = sort == "modified"
            ? (direction == "asc" ? rows.OrderBy(r => r.UpdatedAt) : rows.OrderByDescending(r => r.UpdatedAt))
            : (direction == "asc" ? rows.OrderBy(r => r.Id) : rows.OrderByDescending(r => r.Id));
        var all = rows.ToList();
        var json = new JsonObject
        {
            ["pageInfo"] = SeerrJson.PageInfo(take, skip, all.Count),
            ["results"] = new JsonArray([.. all.Skip(skip).Take(take).Select(r => SeerrJson.Request(r, state, listCall: true))]),
        };
        if (state.Options.Flavor == SeerrFlavor.Seerr)
        {
            json["serviceErrors"] = new JsonObject { ["radarr"] = new JsonArray(), ["sonarr"] = new JsonArray() };
        }

        return Results.Json(json);
    }

    /// <summary>The filter table of SEERR-API.md section 4.1 (request status set x media status set).</summary>
    private static bool Matches(string filter, SeerrRequest request, int media, bool overseerr) => filter switch
    {
        "pending" => request.Status == 1,
        "approved" => request.Status == 2,
        "processing" => request.Status == 2 && media is >= 1 and <= 4,
        "unavailable" => request.Status is 1 or 2 && media is >= 1 and <= 4,
        "available" => request.Status == (overseerr ? 2 : 5) && media == 5,
        "failed" => request.Status == 4,
        "completed" => request.Status == 5,
        "deleted" => request.Status == 5 && media == 7,
        _ => overseerr ? request.Status is >= 1 and <= 4 && media is >= 1 and <= 5 : request.Status is >= 1 and <= 5 && media is (>= 1 and <= 5) or 7,
    };

    private static (int Take, int Skip, IResult? Problem) Paging(HttpContext ctx, int defaultTake)
    {
        var take = defaultTake;
        var skip = 0;
        if (ctx.Request.Query["take"].ToString() is { Length: > 0 } t && (!int.TryParse(t, CultureInfo.InvariantCulture, out take) || take < 0))
        {
            return (0, 0, ValidatorError("take", "must be number"));
        }

        if (ctx.Request.Query["skip"].ToString() is { Length: > 0 } s && (!int.TryParse(s, CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            return (0, 0, ValidatorError("skip", "must be number"));
        }

        return (take, skip, null);
    }

    /// <summary>express-openapi-validator rejects an undeclared query parameter with 400 (section 2).</summary>
    private static IResult? Validate(HttpContext ctx, string[] allowed)
    {
        var unknown = ctx.Request.Query.Keys.FirstOrDefault(k => !allowed.Contains(k, StringComparer.Ordinal));
        return unknown is null ? null : ValidatorError(unknown, $"Unknown query parameter '{unknown}'", whole: true);
    }

    private static IResult EnumError(string name, string value) =>
        ValidatorError(name, $"must be equal to one of the allowed values (got '{value}')");

    private static IResult ValidatorError(string name, string message, bool whole = false)
    {
        var text = whole ? message : $"request/query/{name} {message}";
        return Results.Json(
            new JsonObject
            {
                ["message"] = text,
                ["errors"] = new JsonArray(new JsonObject { ["path"] = ".query." + name, ["message"] = text }),
            },
            statusCode: 400);
    }

    /// <summary>API key auth of section 3: none is the validator's 401, a wrong key 403, <c>X-Api-User</c> impersonates.</summary>
    private static IResult Authed(HttpContext ctx, SeerrState state, Func<SeerrUser, IResult> next)
    {
        var key = ctx.Request.Headers["X-Api-Key"].ToString();
        if (key.Length == 0)
        {
            var message = "cookie 'connect.sid' required";
            return Results.Json(
                new JsonObject
                {
                    ["message"] = message,
                    ["errors"] = new JsonArray(new JsonObject { ["path"] = ctx.Request.Path.Value, ["message"] = message }),
                },
                statusCode: 401);
        }

        if (!string.Equals(key, state.Options.ApiKey, StringComparison.Ordinal))
        {
            return Forbidden();
        }

        var user = state.User(1)!;
        if (ctx.Request.Headers["X-Api-User"].ToString() is { Length: > 0 } acting)
        {
            if (!int.TryParse(acting, CultureInfo.InvariantCulture, out var id) || state.User(id) is not { } impersonated)
            {
                return Forbidden();
            }

            user = impersonated;
        }

        return next(user);
    }

    private static IResult Forbidden() =>
        Results.Json(new JsonObject { ["status"] = 403, ["error"] = "You do not have permission to access this endpoint" }, statusCode: 403);
}
