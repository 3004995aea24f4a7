using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Marquee.Simulators.Arr.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Arr;

/// <summary>The <c>/api/v3</c> calls of ARR-AND-NOTIFY-API.md section 3, under the URL base, behind the API key.</summary>
internal static class ArrEndpoints
{
    private static readonly string[] RadarrSwitches =
    [
        "onGrab", "onDownload", "onUpgrade", "onRename", "onMovieAdded", "onMovieDelete", "onMovieFileDelete", "onMovieFileDeleteForUpgrade",
        "onHealthIssue", "includeHealthWarnings", "onHealthRestored", "onApplicationUpdate", "onManualInteractionRequired",
    ];

    private static readonly string[] SonarrSwitches =
    [
        "onGrab", "onDownload", "onUpgrade", "onImportComplete", "onRename", "onSeriesAdd", "onSeriesDelete", "onEpisodeFileDelete",
        "onEpisodeFileDeleteForUpgrade", "onHealthIssue", "includeHealthWarnings", "onHealthRestored", "onApplicationUpdate", "onManualInteractionRequired",
    ];

    public static void MapArr(this IEndpointRouteBuilder app, ArrState state, ArrWebhooks webhooks)
    {
        var api = app.MapGroup(state.Options.UrlBase.TrimEnd('/') + "/api/v3");
        api.AddEndpointFilter(async (context, next) => Authorized(context.HttpContext, state) ? await next(context) : Results.StatusCode(StatusCodes.Status401Unauthorized));

        api.MapGet("/system/status", () => ArrJson.Json(ArrJson.Status(state)));
        api.MapGet("/tag", () => ArrJson.Json(new JsonArray([.. state.Tags().Select(t => (JsonNode)ArrJson.Tag(t))])));
        api.MapGet("/tag/{id:int}", (int id) => state.Tags().FirstOrDefault(t => t.Id == id) is { } tag ? ArrJson.Json(ArrJson.Tag(tag)) : ArrJson.NotFound("NotFound"));
        api.MapPost("/tag", async (HttpContext ctx) =>
        {
            if (await ArrJson.BodyAsync(ctx) is not JsonObject body)
            {
                return ArrJson.Invalid("body", "The request body must be a JSON object");
            }

            var label = body["label"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            return state.AddTag(label, out var error) is { } tag ? ArrJson.Json(ArrJson.Tag(tag)) : ArrJson.Invalid("Label", error, body["label"]);
        });
        api.MapGet("/tag/detail", () => ArrJson.Json(new JsonArray([.. state.Tags().Select(t => (JsonNode)ArrJson.TagDetail(state, t))])));
        api.MapGet("/tag/detail/{id:int}", (int id) => state.Tags().FirstOrDefault(t => t.Id == id) is { } tag ? ArrJson.Json(ArrJson.TagDetail(state, tag)) : ArrJson.NotFound("NotFound"));

        api.MapGet("/notification", () => ArrJson.Json(new JsonArray([.. state.Notifications().Select(n => (JsonNode)ArrJson.Notification(state, n))])));
        api.MapGet("/notification/{id:int}", (int id) => state.Notification(id) is { } n ? ArrJson.Json(ArrJson.Notification(state, n)) : ArrJson.NotFound("NotFound"));
        api.MapPost("/notification", (Delegate)((HttpContext ctx) => SaveNotificationAsync(ctx, state, webhooks, 0)));
        api.MapPut("/notification/{id:int}", (HttpContext ctx, int id) => state.Notification(id) is null ? Task.FromResult(ArrJson.NotFound("NotFound")) : SaveNotificationAsync(ctx, state, webhooks, id));
        api.MapDelete("/notification/{id:int}", (int id) => state.DeleteNotification(id) ? ArrJson.Json(new JsonObject()) : ArrJson.NotFound("NotFound"));

        if (state.IsRadarr)
        {
            MapRadarr(api, state);
        }
        else
        {
            MapSonarr(api, state);
        }
    }

    /// <summary><c>X-Api-Key</c> or <c>apikey=</c>, compared in constant time.</summary>
    private static bool Authorized(HttpContext context, ArrState state)
    {
        var given = context.Request.Headers["X-Api-Key"].ToString();
        if (given.Length == 0)
        {
            given = context.Request.Query["apikey"].ToString();
        }

        return given.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(state.Options.ApiKey));
    }

    private static void MapRadarr(RouteGroupBuilder api, ArrState state)
    {
        api.MapGet("/movie", (HttpContext ctx) =>
        {
            var movies = state.Movies();
            if (ctx.Request.Query.ContainsKey("tmdbId"))
            {
                if (!int.TryParse(ctx.Request.Query["tmdbId"], NumberStyles.None, CultureInfo.InvariantCulture, out var tmdbId))
                {
                    return ArrJson.Invalid("tmdbId", "tmdbId must be a number", ctx.Request.Query["tmdbId"].ToString());
                }

                movies = [.. movies.Where(m => m.TmdbId == tmdbId)];
            }

            return ArrJson.Json(state.Read(_ => new JsonArray([.. movies.Select(m => (JsonNode)ArrJson.Movie(m))])));
        });
        api.MapGet("/movie/{id:int}", (int id) => state.Read(s => s.Movie(id) is { } m ? ArrJson.Json(ArrJson.Movie(m)) : ArrJson.NotFound("Movie with ID " + id + " does not exist")));
        api.MapPut("/movie/editor", async (HttpContext ctx) =>
        {
            if (await ArrJson.BodyAsync(ctx) is not JsonObject body)
            {
                return ArrJson.Invalid("body", "The request body must be a JSON object");
            }

            if (!TryInts(body["movieIds"], out var ids) || ids.Count == 0)
            {
                return ArrJson.Invalid("MovieIds", "'Movie Ids' must not be empty.", body["movieIds"]);
            }

            if (ids.FirstOrDefault(id => state.Movie(id) is null) is var missing && missing != 0)
            {
                return ArrJson.NotFound($"Movie with ID {missing} does not exist");
            }

            return EditorWrite(state, body, ids.Select(id => state.Movie(id)!.Tags).ToList(), () =>
            {
                if (body["monitored"] is JsonValue monitored && monitored.TryGetValue<bool>(out var on))
                {
                    foreach (var id in ids)
                    {
                        state.Movie(id)!.Monitored = on;
                    }
                }

                return ArrJson.Json(new JsonArray([.. ids.Select(id => (JsonNode)ArrJson.Movie(state.Movie(id)!))]), StatusCodes.Status202Accepted);
            });
        });
    }

    private static void MapSonarr(RouteGroupBuilder api, ArrState state)
    {
        api.MapGet("/series", (HttpContext ctx) =>
        {
            var series = state.Series();
            if (ctx.Request.Query.ContainsKey("tvdbId"))
            {
                if (!int.TryParse(ctx.Request.Query["tvdbId"], NumberStyles.None, CultureInfo.InvariantCulture, out var tvdbId))
                {
                    return ArrJson.Invalid("tvdbId", "tvdbId must be a number", ctx.Request.Query["tvdbId"].ToString());
                }

                series = [.. series.Where(s => s.TvdbId == tvdbId)];
            }

            return ArrJson.Json(state.Read(s =>
            {
                var episodes = s.Episodes(_ => true).ToLookup(e => e.SeriesId);
                return new JsonArray([.. series.Select(one => (JsonNode)ArrJson.Series(one, [.. episodes[one.Id]]))]);
            }));
        });
        api.MapGet("/series/{id:int}", (int id) => state.Read(s => s.OneSeries(id) is { } one
            ? ArrJson.Json(ArrJson.Series(one, s.Episodes(e => e.SeriesId == id)))
            : ArrJson.NotFound("Series with ID " + id + " does not exist")));
        api.MapGet("/episode", (HttpContext ctx) =>
        {
            var query = ctx.Request.Query;
            IReadOnlyList<ArrEpisode> episodes;
            if (query.ContainsKey("seriesId"))
            {
                if (!int.TryParse(query["seriesId"], NumberStyles.None, CultureInfo.InvariantCulture, out var seriesId))
                {
                    return ArrJson.Invalid("seriesId", "seriesId must be a number", query["seriesId"].ToString());
                }

                int? season = null;
                if (query.ContainsKey("seasonNumber"))
                {
                    if (!int.TryParse(query["seasonNumber"], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                    {
                        return ArrJson.Invalid("seasonNumber", "seasonNumber must be a number", query["seasonNumber"].ToString());
                    }

                    season = number;
                }

                if (state.OneSeries(seriesId) is null)
                {
                    return ArrJson.NotFound($"Series with ID {seriesId} does not exist");
                }

                episodes = state.Episodes(e => e.SeriesId == seriesId && (season is null || e.SeasonNumber == season));
            }
            else if (query.ContainsKey("episodeIds"))
            {
                var ids = new HashSet<int>();
                foreach (var text in query["episodeIds"])
                {
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                    {
                        return ArrJson.Invalid("episodeIds", "episodeIds must be numbers", text);
                    }

                    ids.Add(id);
                }

                episodes = state.Episodes(e => ids.Contains(e.Id));
            }
            else
            {
                return ArrJson.Invalid("seriesId", "seriesId or episodeIds must be provided");
            }

            return ArrJson.Json(state.Read(_ => new JsonArray([.. episodes.Select(e => (JsonNode)ArrJson.Episode(e))])));
        });
        api.MapGet("/episode/{id:int}", (int id) => state.Episodes(e => e.Id == id) is [var one] ? ArrJson.Json(state.Read(_ => ArrJson.Episode(one))) : ArrJson.NotFound("Episode with ID " + id + " does not exist"));
        api.MapPut("/episode/monitor", async (HttpContext ctx) =>
        {
            if (await ArrJson.BodyAsync(ctx) is not JsonObject body)
            {
                return ArrJson.Invalid("body", "The request body must be a JSON object");
            }

            if (!TryInts(body["episodeIds"], out var ids) || ids.Count == 0)
            {
                return ArrJson.Invalid("EpisodeIds", "'Episode Ids' must not be empty.", body["episodeIds"]);
            }

            if (body["monitored"] is not JsonValue flag || !flag.TryGetValue<bool>(out var monitored))
            {
                return ArrJson.Invalid("Monitored", "'Monitored' must be true or false.", body["monitored"]);
            }

            var set = ids.ToHashSet();
            var episodes = state.Episodes(e => set.Contains(e.Id));
            return state.Write(_ =>
            {
                foreach (var episode in episodes)
                {
                    episode.Monitored = monitored;
                }

                return ArrJson.Json(new JsonArray([.. episodes.Select(e => (JsonNode)ArrJson.Episode(e))]), StatusCodes.Status202Accepted);
            });
        });
        api.MapPut("/series/editor", async (HttpContext ctx) =>
        {
            if (await ArrJson.BodyAsync(ctx) is not JsonObject body)
            {
                return ArrJson.Invalid("body", "The request body must be a JSON object");
            }

            if (!TryInts(body["seriesIds"], out var ids) || ids.Count == 0)
            {
                return ArrJson.Invalid("SeriesIds", "'Series Ids' must not be empty.", body["seriesIds"]);
            }

            if (ids.FirstOrDefault(id => state.OneSeries(id) is null) is var missing && missing != 0)
            {
                return ArrJson.NotFound($"Series with ID {missing} does not exist");
            }

            return EditorWrite(state, body, ids.Select(id => state.OneSeries(id)!.Tags).ToList(), () =>
            {
                if (body["monitored"] is JsonValue monitored && monitored.TryGetValue<bool>(out var on))
                {
                    foreach (var id in ids)
                    {
                        state.OneSeries(id)!.Monitored = on;
                    }
                }

                return ArrJson.Json(new JsonArray([.. ids.Select(id => (JsonNode)ArrJson.Series(state.OneSeries(id)!, state.Episodes(e => e.SeriesId == id)))]), StatusCodes.Status202Accepted);
            });
        });
        api.MapPost("/seasonpass", async (HttpContext ctx) =>
        {
            if (await ArrJson.BodyAsync(ctx) is not JsonObject body || body["series"] is not JsonArray list)
            {
                return ArrJson.Invalid("Series", "'Series' must be a list of {id, monitored, seasons}");
            }

            var changes = new List<(ArrSeries Series, bool? Monitored, List<(int Season, bool Monitored)> Seasons)>();
            foreach (var entry in list)
            {
                if (entry is not JsonObject one || one["id"] is not JsonValue idValue || !idValue.TryGetValue<int>(out var id) || state.OneSeries(id) is not { } series)
                {
                    return ArrJson.Invalid("Series", "every entry needs the id of an existing series", entry);
                }

                bool? monitored = one["monitored"] is JsonValue m && m.TryGetValue<bool>(out var on) ? on : null;
                var seasons = new List<(int, bool)>();
                foreach (var season in one["seasons"] as JsonArray ?? [])
                {
                    if (season is not JsonObject s || s["seasonNumber"] is not JsonValue n || !n.TryGetValue<int>(out var number)
                        || s["monitored"] is not JsonValue f || !f.TryGetValue<bool>(out var flag))
                    {
                        return ArrJson.Invalid("Seasons", "every season needs seasonNumber and monitored", season);
                    }

                    seasons.Add((number, flag));
                }

                changes.Add((series, monitored, seasons));
            }

            state.Write(_ =>
            {
                foreach (var (series, monitored, seasons) in changes)
                {
                    if (monitored is { } on)
                    {
                        series.Monitored = on;
                    }

                    foreach (var (number, flag) in seasons.Where(s => series.Seasons.ContainsKey(s.Season)))
                    {
                        series.Seasons[number] = flag;

                        // A season's flag carries to its episodes, as the season pass does.
                        foreach (var episode in state.Episodes(e => e.SeriesId == series.Id && e.SeasonNumber == number))
                        {
                            episode.Monitored = flag;
                        }
                    }
                }

                return 0;
            });
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
    }

    /// <summary>The tag part of an editor call (<c>tags</c> with <c>applyTags</c>), applied to every item before <paramref name="rest"/>.</summary>
    private static IResult EditorWrite(ArrState state, JsonObject body, List<SortedSet<int>> tagSets, Func<IResult> rest)
    {
        if (body["tags"] is { } tagsNode)
        {
            if (!TryInts(tagsNode, out var tags))
            {
                return ArrJson.Invalid("Tags", "'Tags' must be a list of tag ids", tagsNode);
            }

            var apply = body["applyTags"] is JsonValue a && a.TryGetValue<string>(out var mode) ? mode : "add";
            foreach (var set in tagSets)
            {
                if (state.ApplyTags(set, tags, apply) is { } error)
                {
                    return ArrJson.Invalid("ApplyTags", error, body["applyTags"]);
                }
            }
        }

        return state.Write(_ => rest());
    }

    private static bool TryInts(JsonNode? node, out List<int> values)
    {
        values = [];
        if (node is not JsonArray array)
        {
            return false;
        }

        foreach (var item in array)
        {
            if (item is not JsonValue value || !value.TryGetValue<int>(out var number))
            {
                return false;
            }

            values.Add(number);
        }

        return true;
    }

    /// <summary>
    /// Saves a webhook connection the way the applications do: the fields are checked, a <c>Test</c> event is sent to the
    /// URL, and the save is refused unless the receiver answers 2xx (<c>forceSave=true</c> saves anyway).
    /// </summary>
    private static async Task<IResult> SaveNotificationAsync(HttpContext ctx, ArrState state, ArrWebhooks webhooks, int id)
    {
        if (await ArrJson.BodyAsync(ctx) is not JsonObject body)
        {
            return ArrJson.Invalid("body", "The request body must be a JSON object");
        }

        if (body["implementation"]?.GetValueKind() != System.Text.Json.JsonValueKind.String || (string?)body["implementation"] != "Webhook")
        {
            return ArrJson.Invalid("Implementation", "Only the Webhook connection is simulated", body["implementation"]);
        }

        if (body["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || string.IsNullOrWhiteSpace(name))
        {
            return ArrJson.Invalid("Name", "'Name' must not be empty.", body["name"]);
        }

        var fields = (body["fields"] as JsonArray ?? []).OfType<JsonObject>().Where(f => f["name"] is JsonValue).ToDictionary(f => (string)f["name"]!, f => f["value"], StringComparer.OrdinalIgnoreCase);
        if (fields.GetValueOrDefault("url") is not JsonValue urlValue || !urlValue.TryGetValue<string>(out var urlText)
            || !Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return ArrJson.Invalid("Url", "'Url' must be a valid http or https URL", fields.GetValueOrDefault("url"));
        }

        var method = fields.GetValueOrDefault("method") is JsonValue m && m.TryGetValue<int>(out var code) ? code : 1;
        if (method is not (1 or 2))
        {
            return ArrJson.Invalid("Method", "'Method' must be 1 (POST) or 2 (PUT)", fields.GetValueOrDefault("method"));
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in fields.GetValueOrDefault("headers") as JsonArray ?? [])
        {
            if (header is JsonObject h && (string?)h["key"] is { Length: > 0 } key)
            {
                headers.Add(new(key, (string?)h["value"] ?? string.Empty));
            }
        }

        // The application keeps the members its resource declares (unknown ones are dropped) and defaults every switch to false.
        var triggers = (state.IsRadarr ? RadarrSwitches : SonarrSwitches)
            .ToDictionary(name => name, name => body[name] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True, StringComparer.Ordinal);
        var resource = new JsonObject
        {
            ["name"] = name,
            ["fields"] = body["fields"]?.DeepClone() ?? new JsonArray(),
            ["implementation"] = "Webhook",
            ["configContract"] = "WebhookSettings",
            ["tags"] = body["tags"] is JsonArray tags ? tags.DeepClone() : new JsonArray(),
        };
        foreach (var (trigger, on) in triggers)
        {
            resource[trigger] = on;
        }

        var notification = new ArrNotification(id, name, url, method == 2 ? "PUT" : "POST", (string?)fields.GetValueOrDefault("username") is { Length: > 0 } user ? user : null,
            (string?)fields.GetValueOrDefault("password") is { Length: > 0 } password ? password : null, headers, triggers, resource);

        var force = string.Equals(ctx.Request.Query["forceSave"], "true", StringComparison.OrdinalIgnoreCase);
        var test = await webhooks.SendTestAsync(notification, ctx.RequestAborted);
        if (test is not null && !force)
        {
            return ArrJson.Invalid("Url", $"Unable to send test message: {test}", fields.GetValueOrDefault("url"));
        }

        return ArrJson.Json(ArrJson.Notification(state, state.SaveNotification(notification)), id == 0 ? StatusCodes.Status201Created : StatusCodes.Status202Accepted);
    }
}
