using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Marquee.Simulators.Shoko;

/// <summary>Wire shapes of SHOKO-API.md section 6: PascalCase, nulls sent, optional blocks only when asked for.</summary>
internal static class ShokoJson
{
    public static IResult Ok(JsonNode? node, int status = 200) => Results.Text(node?.ToJsonString() ?? "null", "application/json; charset=utf-8", statusCode: status);

    /// <summary>A bare message string: text/plain, or a JSON string literal when the client asks for JSON.</summary>
    public static IResult Message(HttpContext context, int status, string message)
    {
        var accept = context.Request.Headers.Accept.ToString();
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase)
            ? Results.Text(JsonSerializer.Serialize(message), "application/json; charset=utf-8", statusCode: status)
            : Results.Text(message, "text/plain; charset=utf-8", statusCode: status);
    }

    /// <summary>A ValidationProblemDetails answer (400).</summary>
    public static IResult Validation(string field, string message) => Results.Text(
        new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            ["title"] = "One or more validation errors occurred.",
            ["status"] = 400,
            ["errors"] = new JsonObject { [field] = new JsonArray(message) },
            ["traceId"] = "00-" + Guid.NewGuid().ToString("N") + "-" + Guid.NewGuid().ToString("N")[..16] + "-00",
        }.ToJsonString(),
        "application/problem+json; charset=utf-8",
        statusCode: 400);

    public static IResult Unauthorized() => Results.StatusCode(401);

    /// <summary>UTC with <c>Z</c>, fractional seconds trimmed of trailing zeros.</summary>
    public static string? Date(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static string Duration(long ms) => TimeSpan.FromMilliseconds(ms).ToString("c", CultureInfo.InvariantCulture);

    public static string? Ticks(long? ticks) => ticks is { } t ? TimeSpan.FromTicks(t).ToString("c", CultureInfo.InvariantCulture) : null;

    public static string TypeName(AnimeEpisodeType type) => type.ToString();

    public static JsonObject Series(ShokoState state, ShokoUser user, AnimeSeries series, bool anidb)
    {
        var episodes = state.Catalog.Episodes.Where(e => e.SeriesId == series.Id).ToList();
        var local = episodes.Where(e => state.FilesOf(e).Count > 0).ToList();
        var watched = local.Where(e => state.View(user, e).Watched is not null).ToList();
        var node = new JsonObject
        {
            ["IDs"] = new JsonObject
            {
                ["ParentGroup"] = series.Id - 200,
                ["TopLevelGroup"] = series.Id - 200,
                ["AniDB"] = series.AniDbId,
                ["TvDB"] = series.TvdbShowId is { } tvdb ? new JsonArray(tvdb) : new JsonArray(),
                ["IMDB"] = new JsonArray(),
                ["TMDB"] = new JsonObject { ["Movie"] = new JsonArray(), ["Show"] = series.TmdbShowId is { } tmdb ? new JsonArray(tmdb) : new JsonArray() },
                ["MAL"] = new JsonArray(),
                ["ID"] = series.Id,
            },
            ["HasCustomName"] = false,
            ["Description"] = string.Empty,
            ["UserRating"] = null,
            ["Sizes"] = new JsonObject
            {
                ["Hidden"] = 0,
                ["Local"] = Counts(local),
                ["Watched"] = Counts(watched),
                ["Total"] = Counts(episodes),
                ["Missing"] = new JsonObject
                {
                    ["Episodes"] = episodes.Count(e => e.Type == AnimeEpisodeType.Episode && state.FilesOf(e).Count == 0),
                    ["Specials"] = episodes.Count(e => e.Type == AnimeEpisodeType.Special && state.FilesOf(e).Count == 0),
                },
            },
            ["Created"] = Date(state.Started.AddDays(-30)),
            ["Updated"] = Date(state.Started.AddDays(-1)),
            ["Name"] = series.Title,
            ["Size"] = local.Count,
        };
        if (anidb)
        {
            node["AniDB"] = new JsonObject { ["ID"] = series.AniDbId, ["Type"] = "TVSeries", ["Title"] = series.Title, ["EpisodeCount"] = episodes.Count(e => e.Type == AnimeEpisodeType.Episode) };
        }

        return node;
    }

    public static JsonObject Episode(ShokoState state, ShokoUser user, AnimeEpisode episode, bool anidb, bool xrefs, bool files)
    {
        var series = state.Series(episode.SeriesId)!;
        var view = state.View(user, episode);
        var own = state.FilesOf(episode);
        var node = new JsonObject
        {
            ["IDs"] = new JsonObject
            {
                ["ParentSeries"] = episode.SeriesId,
                ["AniDB"] = episode.AniDbId,
                ["TvDB"] = episode.TvdbEpisodeId is { } tvdb ? new JsonArray(tvdb) : new JsonArray(),
                ["IMDB"] = new JsonArray(),
                ["TMDB"] = Tmdb(series, episode),
                ["ID"] = episode.Id,
            },
            ["HasCustomName"] = false,
            ["Description"] = string.Empty,
            ["Duration"] = Duration(episode.DurationMs),
            ["ResumePosition"] = Ticks(view.ResumeTicks),
            ["WatchCount"] = view.WatchCount,
            ["IsHidden"] = false,
            ["UserRating"] = null,
            ["Watched"] = Date(view.Watched),
            ["Created"] = Date(state.Started.AddDays(-30)),
            ["Updated"] = Date(state.Started.AddDays(-1)),
        };
        if (anidb)
        {
            node["AniDB"] = new JsonObject
            {
                ["ID"] = episode.AniDbId,
                ["AnimeID"] = series.AniDbId,
                ["Type"] = TypeName(episode.Type),
                ["EpisodeNumber"] = episode.Number,
                ["AirDate"] = episode.AirDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["Title"] = episode.Title,
                ["Titles"] = new JsonArray(new JsonObject { ["Name"] = episode.Title, ["Language"] = "en", ["Type"] = "None", ["Default"] = true, ["Preferred"] = true, ["Source"] = "AniDB" }),
                ["Description"] = string.Empty,
                ["Rating"] = null,
            };
        }

        if (xrefs)
        {
            node["CrossReferences"] = new JsonArray([.. own.Select(f => (JsonNode)XRef(series, episode, f.File, f.Percentage))]);
        }

        if (files)
        {
            node["Files"] = new JsonArray([.. own.Select(f => (JsonNode)File(state, user, f.File, xrefs: false))]);
        }

        node["Name"] = episode.Title;
        node["Size"] = own.Count;
        return node;
    }

    public static JsonObject File(ShokoState state, ShokoUser user, AnimeFile file, bool xrefs)
    {
        var record = state.FileRecord(user, file);
        var node = new JsonObject
        {
            ["ID"] = file.Id,
            ["Size"] = file.Size,
            ["IsVariation"] = false,
            ["IsIgnored"] = false,
            ["Hashes"] = new JsonObject { ["ED2K"] = file.Id.ToString("X32", CultureInfo.InvariantCulture), ["SHA1"] = null, ["CRC32"] = null, ["MD5"] = null },
            ["Locations"] = new JsonArray(new JsonObject { ["ID"] = file.Id + 500, ["FileID"] = file.Id, ["ImportFolderID"] = 1, ["RelativePath"] = file.RelativePath, ["IsAccessible"] = true }),
            ["Duration"] = Duration(file.DurationMs),
            ["ResumePosition"] = record is { ResumeTicks: > 0 } r ? Ticks(r.ResumeTicks) : null,
            ["Viewed"] = Date(record?.UpdatedAt),
            ["Watched"] = Date(record?.WatchedAt),
            ["Imported"] = Date(state.Started.AddDays(-30)),
            ["Created"] = Date(state.Started.AddDays(-31)),
            ["Updated"] = Date(state.Started.AddDays(-30)),
        };
        if (xrefs)
        {
            var groups = file.Episodes.Select(x => state.Episode(x.EpisodeId)!).GroupBy(e => e.SeriesId);
            node["SeriesIDs"] = new JsonArray([.. groups.Select(g =>
            {
                var series = state.Series(g.Key)!;
                return (JsonNode)new JsonObject
                {
                    ["SeriesID"] = new JsonObject
                    {
                        ["ID"] = series.Id,
                        ["AniDB"] = series.AniDbId,
                        ["TMDB"] = new JsonObject { ["Movie"] = new JsonArray(), ["Show"] = series.TmdbShowId is { } t ? new JsonArray(t) : new JsonArray() },
                    },
                    ["EpisodeIDs"] = new JsonArray([.. g.Select(e => (JsonNode)XRef(series, e, file, file.Episodes.First(x => x.EpisodeId == e.Id).Percentage))]),
                };
            })]);
        }

        return node;
    }

    public static JsonObject UserStats(ShokoFileRecord record) => new()
    {
        ["ResumePosition"] = Ticks(record.ResumeTicks) ?? "00:00:00",
        ["WatchedCount"] = record.WatchedCount,
        ["LastWatchedAt"] = Date(record.WatchedAt),
        ["LastUpdatedAt"] = Date(record.UpdatedAt),
    };

    public static JsonObject UserData(ShokoEpisodeRecord? record) => new()
    {
        ["PlaybackCount"] = record?.WatchCount ?? 0,
        ["LastPlayedAt"] = Date(record?.WatchedAt),
        ["IsFavorite"] = record?.IsFavorite ?? false,
        ["UserTags"] = new JsonArray(),
        ["UserRating"] = null,
        ["LastUpdatedAt"] = Date(record?.UpdatedAt ?? DateTimeOffset.MinValue),
    };

    public static JsonObject User(ShokoUser user) => new()
    {
        ["ID"] = user.Id,
        ["Username"] = user.Username,
        ["IsAdmin"] = user.IsAdmin,
        ["CommunitySites"] = new JsonArray([.. user.CommunitySites.Select(s => (JsonNode)JsonValue.Create(s))]),
        ["RestrictedTags"] = new JsonArray(),
        ["Avatar"] = string.Empty,
        ["PlexUsernames"] = user.PlexUsernames,
    };

    public static JsonObject List(int total, IEnumerable<JsonNode> page) => new() { ["Total"] = total, ["List"] = new JsonArray([.. page]) };

    private static JsonObject Tmdb(AnimeSeries series, AnimeEpisode episode) => new()
    {
        ["Episode"] = episode.TmdbEpisodeId is { } id ? new JsonArray(id) : new JsonArray(),
        ["Movie"] = new JsonArray(),
        ["Show"] = episode.TmdbEpisodeId is not null && series.TmdbShowId is { } show ? new JsonArray(show) : new JsonArray(),
    };

    private static JsonObject XRef(AnimeSeries series, AnimeEpisode episode, AnimeFile file, int percentage) => new()
    {
        ["ID"] = episode.Id,
        ["AniDB"] = episode.AniDbId,
        ["TMDB"] = Tmdb(series, episode),
        ["ReleaseGroup"] = 7091,
        ["ED2K"] = file.Id.ToString("X32", CultureInfo.InvariantCulture),
        ["FileSize"] = file.Size,
        ["Percentage"] = new JsonObject { ["Start"] = 0, ["End"] = percentage, ["Size"] = percentage, ["Group"] = 1 },
        ["Source"] = "AniDB",
    };

    private static JsonObject Counts(IReadOnlyCollection<AnimeEpisode> episodes) => new()
    {
        ["Unknown"] = 0,
        ["Episodes"] = episodes.Count(e => e.Type == AnimeEpisodeType.Episode),
        ["Specials"] = episodes.Count(e => e.Type == AnimeEpisodeType.Special),
        ["Credits"] = episodes.Count(e => e.Type == AnimeEpisodeType.Credits),
        ["Trailers"] = episodes.Count(e => e.Type == AnimeEpisodeType.Trailer),
        ["Parodies"] = episodes.Count(e => e.Type == AnimeEpisodeType.Parody),
        ["Others"] = episodes.Count(e => e.Type == AnimeEpisodeType.Other),
    };
}
