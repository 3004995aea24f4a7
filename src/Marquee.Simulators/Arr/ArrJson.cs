using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Simulators.Arr.Model;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Marquee.Simulators.Arr;

/// <summary>
/// Wire shapes: the REST resources of the official descriptions (MovieResource, SeriesResource, EpisodeResource, TagResource,
/// TagDetailsResource, SystemResource, NotificationResource) and the webhook objects of ARR-AND-NOTIFY-API.md 2.3. camelCase;
/// null properties are omitted, as the applications write them.
/// </summary>
internal static class ArrJson
{
    public static IResult Json(JsonNode node, int status = StatusCodes.Status200OK) =>
        Results.Text(node.ToJsonString(), "application/json; charset=utf-8", statusCode: status);

    /// <summary>The applications' validation failure: 400 with a list of <c>{propertyName, errorMessage, …}</c>.</summary>
    public static IResult Invalid(string property, string message, JsonNode? attempted = null) => Json(
        new JsonArray(new JsonObject
        {
            ["propertyName"] = property,
            ["errorMessage"] = message,
            ["attemptedValue"] = attempted?.DeepClone(),
            ["severity"] = "error",
            ["errorCode"] = "PredicateValidator",
        }.WithoutNulls()),
        StatusCodes.Status400BadRequest);

    /// <summary>The applications' error for a missing resource: 404 with <c>{"message": …}</c>.</summary>
    public static IResult NotFound(string message) => Json(new JsonObject { ["message"] = message }, StatusCodes.Status404NotFound);

    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Status(ArrState state) => new()
    {
        ["appName"] = state.AppName,
        ["instanceName"] = state.InstanceName,
        ["version"] = state.Version,
        ["buildTime"] = "2025-10-01T00:00:00Z",
        ["isDebug"] = false,
        ["isProduction"] = true,
        ["isAdmin"] = false,
        ["isUserInteractive"] = false,
        ["startupPath"] = "/app/bin",
        ["appData"] = "/config",
        ["osName"] = "debian",
        ["osVersion"] = "12",
        ["isNetCore"] = true,
        ["isLinux"] = true,
        ["isOsx"] = false,
        ["isWindows"] = false,
        ["isDocker"] = true,
        ["mode"] = "console",
        ["branch"] = state.IsRadarr ? "master" : "main",
        ["databaseType"] = "sqLite",
        ["authentication"] = "forms",
        ["migrationVersion"] = state.IsRadarr ? 241 : 215,
        ["urlBase"] = state.Options.UrlBase,
        ["runtimeVersion"] = "8.0.12",
        ["runtimeName"] = ".NET",
        ["startTime"] = Date(state.Started),
        ["packageUpdateMechanism"] = "docker",
    };

    public static JsonObject Tag(ArrTag tag) => new() { ["id"] = tag.Id, ["label"] = tag.Label };

    public static JsonObject TagDetail(ArrState state, ArrTag tag)
    {
        var detail = new JsonObject
        {
            ["id"] = tag.Id,
            ["label"] = tag.Label,
            ["delayProfileIds"] = new JsonArray(),
            ["importListIds"] = new JsonArray(),
            ["notificationIds"] = new JsonArray(),
            [state.IsRadarr ? "releaseProfileIds" : "restrictionIds"] = new JsonArray(),
            ["indexerIds"] = new JsonArray(),
            ["downloadClientIds"] = new JsonArray(),
            ["autoTagIds"] = new JsonArray(),
        };
        detail[state.IsRadarr ? "movieIds" : "seriesIds"] = state.IsRadarr
            ? Ints(state.Movies().Where(m => m.Tags.Contains(tag.Id)).Select(m => m.Id))
            : Ints(state.Series().Where(s => s.Tags.Contains(tag.Id)).Select(s => s.Id));
        return detail;
    }

    public static JsonObject Movie(ArrMovie movie)
    {
        var node = new JsonObject
        {
            ["id"] = movie.Id,
            ["title"] = movie.Title,
            ["originalTitle"] = movie.Title,
            ["originalLanguage"] = new JsonObject { ["id"] = 1, ["name"] = "English" },
            ["sortTitle"] = movie.Title.ToLowerInvariant(),
            ["sizeOnDisk"] = movie.SizeOnDisk,
            ["status"] = "released",
            ["year"] = movie.Year,
            ["path"] = movie.Path,
            ["qualityProfileId"] = 4,
            ["hasFile"] = movie.HasFile,
            ["movieFileId"] = movie.MovieFileId,
            ["monitored"] = movie.Monitored,
            ["minimumAvailability"] = "released",
            ["isAvailable"] = true,
            ["folderName"] = movie.Path,
            ["runtime"] = movie.Runtime,
            ["imdbId"] = movie.ImdbId,
            ["tmdbId"] = movie.TmdbId,
            ["titleSlug"] = movie.TmdbId.ToString(CultureInfo.InvariantCulture),
            ["rootFolderPath"] = movie.RootFolderPath,
            ["genres"] = new JsonArray(),
            ["tags"] = Ints(movie.Tags),
            ["added"] = Date(movie.Added),
            ["popularity"] = 10.5,
            ["statistics"] = new JsonObject
            {
                ["movieFileCount"] = movie.HasFile ? 1 : 0,
                ["sizeOnDisk"] = movie.SizeOnDisk,
                ["releaseGroups"] = new JsonArray(),
            },
        };
        if (movie.HasFile)
        {
            node["movieFile"] = new JsonObject
            {
                ["id"] = movie.MovieFileId,
                ["movieId"] = movie.Id,
                ["relativePath"] = FileName(movie),
                ["path"] = $"{movie.Path}/{FileName(movie)}",
                ["size"] = movie.SizeOnDisk,
                ["dateAdded"] = Date(movie.Added),
                ["qualityCutoffNotMet"] = false,
            };
        }

        return node.WithoutNulls();
    }

    public static JsonObject Series(ArrSeries series, IReadOnlyList<ArrEpisode> episodes)
    {
        var seasons = new JsonArray();
        foreach (var (number, monitored) in series.Seasons)
        {
            var of = episodes.Where(e => e.SeasonNumber == number).ToList();
            seasons.Add(new JsonObject
            {
                ["seasonNumber"] = number,
                ["monitored"] = monitored,
                ["statistics"] = Statistics(of, null),
            });
        }

        return new JsonObject
        {
            ["id"] = series.Id,
            ["title"] = series.Title,
            ["sortTitle"] = series.Title.ToLowerInvariant(),
            ["status"] = "continuing",
            ["ended"] = false,
            ["originalLanguage"] = new JsonObject { ["id"] = series.SeriesType == "anime" ? 8 : 1, ["name"] = series.SeriesType == "anime" ? "Japanese" : "English" },
            ["seasons"] = seasons,
            ["year"] = series.Year,
            ["path"] = series.Path,
            ["qualityProfileId"] = 6,
            ["seasonFolder"] = true,
            ["monitored"] = series.Monitored,
            ["monitorNewItems"] = "all",
            ["useSceneNumbering"] = false,
            ["runtime"] = 45,
            ["tvdbId"] = series.TvdbId,
            ["tvRageId"] = 0,
            ["tvMazeId"] = 0,
            ["tmdbId"] = series.TmdbId,
            ["seriesType"] = series.SeriesType,
            ["imdbId"] = series.ImdbId,
            ["titleSlug"] = Slug(series.Title),
            ["rootFolderPath"] = series.RootFolderPath,
            ["genres"] = new JsonArray(),
            ["tags"] = Ints(series.Tags),
            ["added"] = Date(series.Added),
            ["statistics"] = Statistics(episodes, series.Seasons.Count),
            ["languageProfileId"] = 1,
        }.WithoutNulls();
    }

    public static JsonObject Episode(ArrEpisode episode) => new JsonObject
    {
        ["id"] = episode.Id,
        ["seriesId"] = episode.SeriesId,
        ["tvdbId"] = episode.TvdbId,
        ["episodeFileId"] = episode.EpisodeFileId,
        ["seasonNumber"] = episode.SeasonNumber,
        ["episodeNumber"] = episode.EpisodeNumber,
        ["title"] = episode.Title,
        ["airDate"] = episode.AirDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["airDateUtc"] = episode.AirDate is { } day ? Date(new DateTimeOffset(day.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero)) : null,
        ["runtime"] = episode.Runtime,
        ["hasFile"] = episode.HasFile,
        ["monitored"] = episode.Monitored,
        ["unverifiedSceneNumbering"] = false,
    }.WithoutNulls();

    /// <summary>The notification as stored, with the read-only members the application adds.</summary>
    public static JsonObject Notification(ArrState state, ArrNotification notification)
    {
        var node = (JsonObject)notification.Resource.DeepClone();
        node["id"] = notification.Id;
        node["implementationName"] = "Webhook";
        node["infoLink"] = $"https://wiki.servarr.com/{state.AppName.ToLowerInvariant()}/supported#webhook";
        return node;
    }

    /// <summary>The webhook <c>movie</c> object: tags as sorted labels, no monitored flag or ids of files.</summary>
    public static JsonObject WebhookMovie(ArrState state, ArrMovie movie, string? filePath = null) => new JsonObject
    {
        ["id"] = movie.Id,
        ["title"] = movie.Title,
        ["year"] = movie.Year,
        ["releaseDate"] = $"{movie.Year:D4}-01-01",
        ["folderPath"] = movie.Path,
        ["tmdbId"] = movie.TmdbId,
        ["imdbId"] = movie.ImdbId,
        ["overview"] = $"A story about {movie.Title.ToLowerInvariant()}.",
        ["genres"] = new JsonArray("Drama"),
        ["images"] = new JsonArray(new JsonObject
        {
            ["coverType"] = "poster",
            ["url"] = $"/MediaCover/{movie.Id}/poster.jpg",
            ["remoteUrl"] = $"https://image.tmdb.org/t/p/original/{movie.TmdbId}.jpg",
        }),
        ["tags"] = new JsonArray([.. state.Labels(movie.Tags).Select(l => (JsonNode)l)]),
        ["originalLanguage"] = new JsonObject { ["id"] = 1, ["name"] = "English" },
        ["filePath"] = filePath,
    }.WithoutNulls();

    public static JsonObject WebhookSeries(ArrState state, ArrSeries series) => new JsonObject
    {
        ["id"] = series.Id,
        ["title"] = series.Title,
        ["titleSlug"] = Slug(series.Title),
        ["path"] = series.Path,
        ["tvdbId"] = series.TvdbId,
        ["tvMazeId"] = 0,
        ["tmdbId"] = series.TmdbId,
        ["imdbId"] = series.ImdbId,
        ["type"] = series.SeriesType,
        ["year"] = series.Year,
        ["genres"] = new JsonArray("Drama"),
        ["images"] = new JsonArray(new JsonObject
        {
            ["coverType"] = "poster",
            ["url"] = $"/MediaCover/{series.Id}/poster.jpg",
            ["remoteUrl"] = $"https://artworks.thetvdb.com/banners/v4/series/{series.TvdbId}/posters/poster.jpg",
        }),
        ["tags"] = new JsonArray([.. state.Labels(series.Tags).Select(l => (JsonNode)l)]),
        ["originalLanguage"] = new JsonObject { ["id"] = 1, ["name"] = "English" },
    }.WithoutNulls();

    public static JsonObject WebhookEpisode(ArrEpisode episode) => new JsonObject
    {
        ["id"] = episode.Id,
        ["episodeNumber"] = episode.EpisodeNumber,
        ["seasonNumber"] = episode.SeasonNumber,
        ["title"] = episode.Title,
        ["overview"] = $"Episode {episode.EpisodeNumber} of season {episode.SeasonNumber}.",
        ["airDate"] = episode.AirDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["airDateUtc"] = episode.AirDate is { } day ? Date(new DateTimeOffset(day.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero)) : null,
        ["seriesId"] = episode.SeriesId,
        ["tvdbId"] = episode.TvdbId,
    }.WithoutNulls();

    public static string FileName(ArrMovie movie) => $"{movie.Title} ({movie.Year}) [Bluray-1080p].mkv";

    /// <summary>Removes null members, recursively: the applications omit them.</summary>
    public static JsonObject WithoutNulls(this JsonObject node)
    {
        foreach (var name in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(name);
        }

        foreach (var child in node.Select(p => p.Value).OfType<JsonObject>())
        {
            child.WithoutNulls();
        }

        return node;
    }

    /// <summary>Reads a JSON body of at most 1 MB, or null when it is not JSON.</summary>
    public static async Task<JsonNode?> BodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > 1_048_576)
        {
            return null;
        }

        try
        {
            return await SimJson.ParseAsync(context.Request.Body, null, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject Statistics(IReadOnlyList<ArrEpisode> episodes, int? seasons)
    {
        var withFile = episodes.Count(e => e.HasFile);
        var counted = episodes.Count(e => e.Monitored || e.HasFile);
        var node = new JsonObject();
        if (seasons is { } count)
        {
            node["seasonCount"] = count;
        }

        node["episodeFileCount"] = withFile;
        node["episodeCount"] = counted;
        node["totalEpisodeCount"] = episodes.Count;
        node["sizeOnDisk"] = withFile * 1_500_000_000L;
        node["releaseGroups"] = new JsonArray();
        node["percentOfEpisodes"] = counted == 0 ? 0.0 : Math.Round(100.0 * withFile / counted, 2);
        return node;
    }

    private static JsonArray Ints(IEnumerable<int> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static string Slug(string title) =>
        string.Join('-', title.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => new string([.. w.Where(char.IsLetterOrDigit)])).Where(w => w.Length > 0));
}
