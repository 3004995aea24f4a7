using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Shoko;

/// <summary>The Shoko Server routes of SHOKO-API.md section 7 that a watched-state client uses, for the configured server line.</summary>
internal static class ShokoEndpoints
{
    public static void MapShoko(this IEndpointRouteBuilder app, ShokoState state)
    {
        app.MapPost("/api/auth", (HttpContext context, CancellationToken _) => LoginAsync(context, state));
        app.MapGet("/api/v3/Init/Status", () => ShokoJson.Ok(new JsonObject
        {
            ["StartupMessage"] = state.Mode == ShokoServerMode.NotStarted ? "Waiting for setup" : null,
            ["State"] = state.Mode == ShokoServerMode.NotStarted ? "Waiting" : "Started",
            ["Uptime"] = (state.Now - state.Started).ToString("c", CultureInfo.InvariantCulture),
            ["DatabaseBlocked"] = new JsonObject { ["Progress"] = null, ["Blocked"] = state.Mode == ShokoServerMode.DatabaseBlocked, ["Status"] = null },
        }));
        app.MapGet("/api/v3/Init/Version", () =>
        {
            var version = state.IsV6 ? "6.0.0-dev.412" : "5.3.3";
            return state.VersionBody switch
            {
                ShokoVersionBody.List => ShokoJson.Ok(new JsonArray(
                    new JsonObject { ["Name"] = "Server", ["Version"] = version },
                    new JsonObject { ["Name"] = "Commons", ["Version"] = "1.0.0" })),
                ShokoVersionBody.None => ShokoJson.Ok(new JsonObject { ["Server"] = new JsonObject { ["ReleaseChannel"] = state.IsV6 ? "Dev" : "Stable" } }),
                _ => ShokoJson.Ok(new JsonObject
                {
                    ["Server"] = new JsonObject { ["Version"] = version, ["ReleaseChannel"] = state.IsV6 ? "Dev" : "Stable" },
                }),
            };
        });

        app.MapGet("/api/v3/User/Current", (HttpContext c) => Authed(c, state, user => ShokoJson.Ok(ShokoJson.User(user))));
        app.MapGet("/api/v3/User", (HttpContext c) => Authed(c, state, user =>
            user.IsAdmin ? ShokoJson.Ok(new JsonArray([.. state.Users.Select(u => (JsonNode)ShokoJson.User(u))])) : Results.StatusCode(403)));

        app.MapGet("/api/v3/Series", (HttpContext c) => Authed(c, state, user =>
        {
            if (Paging(c, 50, 100) is { Problem: { } problem })
            {
                return problem;
            }

            var (size, page, _) = Paging(c, 50, 100);
            var all = state.Catalog.Series.OrderBy(s => s.Title, StringComparer.OrdinalIgnoreCase).ToList();
            return ShokoJson.Ok(ShokoJson.List(all.Count, Page(all, size, page).Select(s => (JsonNode)ShokoJson.Series(state, user, s, Includes(c, "includeDataFrom", "AniDB")))));
        }));
        app.MapGet("/api/v3/Series/{seriesID}", (HttpContext c, string seriesID) => Authed(c, state, user =>
            Id(seriesID, "seriesID") is { Problem: { } p } ? p
            : state.Series(Id(seriesID, "seriesID").Value) is { } s ? ShokoJson.Ok(ShokoJson.Series(state, user, s, Includes(c, "includeDataFrom", "AniDB")))
            : ShokoJson.Message(c, 404, "No Series entry for the given seriesID")));
        app.MapGet("/api/v3/Series/AniDB/{anidbID}/Series", (HttpContext c, string anidbID) => Authed(c, state, user =>
            Id(anidbID, "anidbID") is { Problem: { } p } ? p
            : state.Catalog.Series.FirstOrDefault(s => s.AniDbId == Id(anidbID, "anidbID").Value) is { } s ? ShokoJson.Ok(ShokoJson.Series(state, user, s, false))
            : ShokoJson.Message(c, 404, "No Series entry for the given anidbID")));
        app.MapGet("/api/v3/Series/{seriesID}/Episode", (HttpContext c, string seriesID) => Authed(c, state, user =>
        {
            if (Id(seriesID, "seriesID") is { Problem: { } p })
            {
                return p;
            }

            if (state.Series(Id(seriesID, "seriesID").Value) is not { } series)
            {
                return ShokoJson.Message(c, 404, "No Series entry for the given seriesID");
            }

            return Episodes(c, state, user, state.Catalog.Episodes.Where(e => e.SeriesId == series.Id), 20, 1000);
        }));
        app.MapGet("/api/v3/Episode", (HttpContext c) => Authed(c, state, user => Episodes(c, state, user, state.Catalog.Episodes, 20, 1000)));
        app.MapGet("/api/v3/Episode/{episodeID}", (HttpContext c, string episodeID) => Authed(c, state, user =>
            WithEpisode(c, state, episodeID, e => ShokoJson.Ok(ShokoJson.Episode(state, user, e, Includes(c, "includeDataFrom", "AniDB"), Flag(c, "includeXRefs"), Flag(c, "includeFiles"))))));
        app.MapGet("/api/v3/Episode/AniDB/{anidbEpisodeID}/Episode", (HttpContext c, string anidbEpisodeID) => Authed(c, state, user =>
            Id(anidbEpisodeID, "anidbEpisodeID") is { Problem: { } p } ? p
            : state.Catalog.Episodes.FirstOrDefault(e => e.AniDbId == Id(anidbEpisodeID, "anidbEpisodeID").Value) is { } e ? ShokoJson.Ok(ShokoJson.Episode(state, user, e, false, false, false))
            : ShokoJson.Message(c, 404, "No Episode entry for the given anidbEpisodeID")));
        app.MapPost("/api/v3/Episode/{episodeID}/Watched/{watched}", (HttpContext c, string episodeID, string watched) => Authed(c, state, user =>
        {
            if (!bool.TryParse(watched, out var value))
            {
                return ShokoJson.Validation("watched", $"The value '{watched}' is not valid.");
            }

            return WithEpisode(c, state, episodeID, e =>
            {
                state.MarkEpisode(user, e, value, !string.Equals(c.Request.Query["updateFiles"], "false", StringComparison.OrdinalIgnoreCase));
                return Results.Ok();
            });
        }));

        app.MapGet("/api/v3/File/PathEndsWith", (HttpContext c) => Authed(c, state, user => PathEndsWith(c, state, user, c.Request.Query["path"].ToString())));
        app.MapGet("/api/v3/File/{fileID}", (HttpContext c, string fileID) => Authed(c, state, user =>
            WithFile(c, state, fileID, f => ShokoJson.Ok(ShokoJson.File(state, user, f, Includes(c, "include", "XRefs"))))));
        app.MapGet("/api/v3/File/{fileID}/UserStats", (HttpContext c, string fileID) => Authed(c, state, user =>
            WithFile(c, state, fileID, f => state.FileRecord(user, f) is { } r ? ShokoJson.Ok(ShokoJson.UserStats(r)) : ShokoJson.Message(c, 404, "No FileUserStats entry for the given fileID for the current user"))));
        app.MapPut("/api/v3/File/{fileID}/UserStats", async (HttpContext c, string fileID) =>
        {
            var body = await ReadBodyAsync(c);
            return Authed(c, state, user => WithFile(c, state, fileID, f =>
            {
                if (body is not JsonObject o)
                {
                    return ShokoJson.Validation("body", "A non-empty request body is required.");
                }

                if (!TryDuration(Field(o, "ResumePosition"), out var resume) || !TryDate(Field(o, "LastWatchedAt"), out var watchedAt) || !TryDate(Field(o, "LastUpdatedAt"), out var updatedAt))
                {
                    return ShokoJson.Validation("body", "The JSON value could not be converted.");
                }

                return ShokoJson.Ok(ShokoJson.UserStats(state.PutFileStats(user, f, resume ?? 0, watchedAt, updatedAt)));
            }));
        });
        app.MapPost("/api/v3/File/{fileID}/Watched/{watched}", (HttpContext c, string fileID, string watched) => Authed(c, state, user =>
        {
            if (!bool.TryParse(watched, out var value))
            {
                return ShokoJson.Validation("watched", $"The value '{watched}' is not valid.");
            }

            return WithFile(c, state, fileID, f =>
            {
                state.MarkFile(user, f, value);
                return Results.Ok();
            });
        }));
        app.MapMethods("/api/v3/File/{fileID}/Scrobble", ["GET", "PATCH"], (HttpContext c, string fileID) => Authed(c, state, user => WithFile(c, state, fileID, f => Scrobble(c, state, user, f))));

        app.MapGet("/api/v3/Episode/{episodeID}/UserData", (HttpContext c, string episodeID) => Authed(c, state, user =>
            !state.IsV6 ? Results.NotFound() : WithEpisode(c, state, episodeID, e => ShokoJson.Ok(ShokoJson.UserData(state.EpisodeRecord(user, e))))));
        app.MapPut("/api/v3/Episode/{episodeID}/UserData", async (HttpContext c, string episodeID) =>
        {
            var body = await ReadBodyAsync(c);
            return Authed(c, state, user => !state.IsV6 ? Results.NotFound() : WithEpisode(c, state, episodeID, e =>
            {
                if (body is not JsonObject o)
                {
                    return ShokoJson.Validation("body", "A non-empty request body is required.");
                }

                if (!TryDate(Field(o, "LastPlayedAt"), out var played) || !TryDate(Field(o, "LastUpdatedAt"), out var updated) || !TryInt(Field(o, "PlaybackCount"), out var count))
                {
                    return ShokoJson.Validation("body", "The JSON value could not be converted.");
                }

                var favourite = Field(o, "IsFavorite") is JsonValue v && v.TryGetValue<bool>(out var f) && f;
                var record = state.PutEpisodeUserData(user, e, count, played, updated ?? DateTimeOffset.MinValue, favourite);
                return ShokoJson.Ok(ShokoJson.UserData(record));
            }));
        });
    }

    private static async Task<IResult> LoginAsync(HttpContext context, ShokoState state)
    {
        var body = await ReadBodyAsync(context);
        if (body is not JsonObject o)
        {
            return ShokoJson.Validation("body", "A non-empty request body is required.");
        }

        var user = (Field(o, "user") as JsonValue)?.TryGetValue<string>(out var u) == true ? u : null;
        var pass = (Field(o, "pass") as JsonValue)?.TryGetValue<string>(out var p) == true ? p : null;
        var device = (Field(o, "device") as JsonValue)?.TryGetValue<string>(out var d) == true ? d : null;
        if (string.IsNullOrWhiteSpace(user))
        {
            return ShokoJson.Validation("user", "The user field is required.");
        }

        if (string.IsNullOrWhiteSpace(device))
        {
            return ShokoJson.Validation("device", "The device field is required.");
        }

        var key = state.Authenticate(user, pass, device);
        return key is null
            ? Results.Text(new JsonObject { ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.2", ["title"] = "Unauthorized", ["status"] = 401, ["traceId"] = "00-" + Guid.NewGuid().ToString("N") + "-00" }.ToJsonString(), "application/problem+json; charset=utf-8", statusCode: 401)
            : ShokoJson.Ok(new JsonObject { ["apikey"] = key });
    }

    private static IResult Authed(HttpContext context, ShokoState state, Func<ShokoUser, IResult> action)
    {
        if (state.Mode == ShokoServerMode.NotStarted)
        {
            return ShokoJson.Message(context, 503, "The Server is not running. Use the First Time Setup Wizard to configure it.");
        }

        var key = context.Request.Headers["apikey"].ToString();
        if (string.IsNullOrEmpty(key))
        {
            key = context.Request.Query["apikey"].ToString();
        }

        if (string.IsNullOrEmpty(key) && state.IsV6 && context.Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = auth["Bearer ".Length..];
        }

        if (state.UserByKey(key) is not { } user)
        {
            return ShokoJson.Unauthorized();
        }

        if (state.Mode == ShokoServerMode.DatabaseBlocked)
        {
            return ShokoJson.Message(context, 400, "Database is Blocked");
        }

        return action(user);
    }

    private static IResult Episodes(HttpContext c, ShokoState state, ShokoUser user, IEnumerable<AnimeEpisode> source, int defaultSize, int max)
    {
        var (size, page, problem) = Paging(c, defaultSize, max);
        if (problem is not null)
        {
            return problem;
        }

        var watchedFilter = c.Request.Query["includeWatched"].ToString();
        var missingFilter = c.Request.Query["includeMissing"].ToString();
        foreach (var (name, value) in new[] { ("includeWatched", watchedFilter), ("includeMissing", missingFilter) })
        {
            if (value.Length > 0 && value is not ("true" or "false" or "only" or "True" or "False" or "Only"))
            {
                return ShokoJson.Validation(name, $"The value '{value}' is not valid.");
            }
        }

        HashSet<AnimeEpisodeType>? types = null;
        if (c.Request.Query["type"].ToString() is { Length: > 0 } typeList)
        {
            types = [];
            foreach (var t in typeList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse<AnimeEpisodeType>(t, ignoreCase: true, out var parsed))
                {
                    return ShokoJson.Validation("type", $"The value '{t}' is not valid.");
                }

                types.Add(parsed);
            }
        }

        var list = source
            .Where(e => types is null || types.Contains(e.Type))
            .Where(e => Filter(missingFilter, state.FilesOf(e).Count == 0, defaultInclude: false))
            .Where(e => Filter(watchedFilter, state.WatchedForFilter(user, e), defaultInclude: true))
            .OrderBy(e => e.SeriesId).ThenBy(e => e.Type).ThenBy(e => e.Number)
            .ToList();
        var anidb = Includes(c, "includeDataFrom", "AniDB");
        var xrefs = Flag(c, "includeXRefs");
        var files = Flag(c, "includeFiles");
        return ShokoJson.Ok(ShokoJson.List(list.Count, Page(list, size, page).Select(e => (JsonNode)ShokoJson.Episode(state, user, e, anidb, xrefs, files))));
    }

    private static IResult PathEndsWith(HttpContext c, ShokoState state, ShokoUser user, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return ShokoJson.Validation("path", "The path field is required.");
        }

        var tail = path.Replace('\\', '/').TrimStart('/');
        var found = state.Catalog.Files.Where(f => ("/" + f.RelativePath).EndsWith("/" + tail, StringComparison.OrdinalIgnoreCase)).Take(100);
        return ShokoJson.Ok(new JsonArray([.. found.Select(f => (JsonNode)ShokoJson.File(state, user, f, xrefs: true))]));
    }

    private static IResult Scrobble(HttpContext c, ShokoState state, ShokoUser user, AnimeFile file)
    {
        var ev = c.Request.Query["event"].ToString();
        if (ev.Length > 0 && ev is not ("play" or "resume" or "pause" or "stop" or "scrobble" or "user-interaction"))
        {
            return ShokoJson.Validation("event", $"The value '{ev}' is not valid.");
        }

        long? position = null;
        if (c.Request.Query["resumePosition"].ToString() is { Length: > 0 } raw)
        {
            if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ticks))
            {
                position = ticks;
            }
            else if (TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out var span))
            {
                position = span.Ticks;
            }
            else
            {
                return ShokoJson.Validation("resumePosition", $"The value '{raw}' is not valid.");
            }

            if (position < 0)
            {
                return ShokoJson.Validation("resumePosition", "The resume position cannot be negative.");
            }
        }

        bool? watched = null;
        if (c.Request.Query["watched"].ToString() is { Length: > 0 } w)
        {
            if (!bool.TryParse(w, out var value))
            {
                return ShokoJson.Validation("watched", $"The value '{w}' is not valid.");
            }

            watched = value;
        }

        state.Scrobble(user, file, position, watched);
        var message = watched == true ? "The file was marked as watched." : "The file's resume position was updated.";
        return ShokoJson.Message(c, 202, message);
    }

    private static IResult WithEpisode(HttpContext c, ShokoState state, string raw, Func<AnimeEpisode, IResult> action)
    {
        var (id, problem) = Id(raw, "episodeID");
        if (problem is not null)
        {
            return problem;
        }

        return state.Episode(id) is { } e ? action(e) : ShokoJson.Message(c, 404, "No Episode entry for the given episodeID");
    }

    private static IResult WithFile(HttpContext c, ShokoState state, string raw, Func<AnimeFile, IResult> action)
    {
        var (id, problem) = Id(raw, "fileID");
        if (problem is not null)
        {
            return problem;
        }

        return state.File(id) is { } f ? action(f) : ShokoJson.Message(c, 404, "No File entry for the given fileID");
    }

    private static (int Value, IResult? Problem) Id(string raw, string field) =>
        int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? (id, null)
            : (0, ShokoJson.Validation(field, $"The field {field} must be between 1 and {int.MaxValue}."));

    private static (int Size, int Page, IResult? Problem) Paging(HttpContext c, int defaultSize, int max)
    {
        var size = defaultSize;
        var page = 1;
        if (c.Request.Query["pageSize"].ToString() is { Length: > 0 } rawSize && (!int.TryParse(rawSize, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out size) || size < 0 || size > max))
        {
            return (0, 0, ShokoJson.Validation("pageSize", $"The field pageSize must be between 0 and {max}."));
        }

        if (c.Request.Query["page"].ToString() is { Length: > 0 } rawPage && (!int.TryParse(rawPage, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            return (0, 0, ShokoJson.Validation("page", $"The field page must be between 1 and {int.MaxValue}."));
        }

        return (size, page, null);
    }

    private static IEnumerable<T> Page<T>(IReadOnlyList<T> all, int size, int page) =>
        size == 0 ? all : all.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * size)).Take(size);

    private static bool Filter(string value, bool matches, bool defaultInclude) => value.ToLowerInvariant() switch
    {
        "only" => matches,
        "false" => !matches,
        "true" => true,
        _ => defaultInclude || !matches,
    };

    private static bool Flag(HttpContext c, string name) => string.Equals(c.Request.Query[name].ToString(), "true", StringComparison.OrdinalIgnoreCase);

    private static bool Includes(HttpContext c, string name, string value) =>
        c.Request.Query[name].ToString().Split(',', StringSplitOptions.TrimEntries).Contains(value, StringComparer.OrdinalIgnoreCase);

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await SimJson.ParseAsync(context.Request.Body, new JsonNodeOptions { PropertyNameCaseInsensitive = true }, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonNode? Field(JsonObject o, string name) => o.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static bool TryDate(JsonNode? node, out DateTimeOffset? value)
    {
        value = null;
        if (node is null)
        {
            return true;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    private static bool TryDuration(JsonNode? node, out long? ticks)
    {
        ticks = null;
        if (node is null)
        {
            return true;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s) && TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            ticks = span.Ticks;
            return true;
        }

        return false;
    }

    private static bool TryInt(JsonNode? node, out int value)
    {
        value = 0;
        return node is null || (node is JsonValue v && v.TryGetValue(out value) && value >= 0);
    }
}
