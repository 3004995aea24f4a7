using System.Globalization;
using System.Text.Json.Nodes;

namespace Marquee.Simulators.Seerr;

/// <summary>The JSON shapes of SEERR-API.md sections 4.2, 5.2 and 6.2: camelCase, nulls sent as null, ISO dates with milliseconds.</summary>
internal static class SeerrJson
{
    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static JsonObject User(SeerrUser user, bool full, SeerrState state)
    {
        var json = new JsonObject
        {
            ["permissions"] = user.Permissions,
            ["id"] = user.Id,
            ["email"] = full ? user.Email : null,
            ["plexUsername"] = user.PlexUsername,
            ["username"] = user.Username,
            ["recoveryLinkExpirationDate"] = null,
            ["userType"] = user.UserType,
            ["plexId"] = full ? user.PlexId : null,
            ["avatar"] = user.PlexId is null ? $"/avatarproxy/{user.AvatarUuid}" : $"https://plex.tv/users/{user.AvatarUuid}/avatar?c=1731000000",
            ["movieQuotaLimit"] = null,
            ["movieQuotaDays"] = null,
            ["tvQuotaLimit"] = null,
            ["tvQuotaDays"] = null,
            ["createdAt"] = Date(user.CreatedAt),
            ["updatedAt"] = Date(user.CreatedAt),
            ["displayName"] = user.DisplayName,
        };
        if (!state.IsOverseerr)
        {
            json["jellyfinUsername"] = null;
            json["jellyfinUserId"] = null;
            json["avatarETag"] = null;
            json["avatarVersion"] = null;
        }

        if (state.Options.Flavor == SeerrFlavor.Seerr)
        {
            json["warnings"] = new JsonArray();
        }

        return json;
    }

    public static JsonObject Media(SeerrMedia media, SeerrState state, bool withSeasons)
    {
        var json = new JsonObject
        {
            ["downloadStatus"] = new JsonArray(),
            ["downloadStatus4k"] = new JsonArray(),
            ["id"] = media.Id,
            ["mediaType"] = media.MediaType,
            ["tmdbId"] = media.TmdbId,
            ["tvdbId"] = media.TvdbId,
            ["imdbId"] = null,
            ["status"] = media.Status,
            ["status4k"] = media.Status4k,
            ["createdAt"] = Date(media.CreatedAt),
            ["updatedAt"] = Date(media.UpdatedAt),
            ["lastSeasonChange"] = Date(media.CreatedAt),
            ["mediaAddedAt"] = media.MediaAddedAt is { } added ? Date(added) : null,
            ["serviceId"] = 0,
            ["serviceId4k"] = null,
            ["externalServiceId"] = null,
            ["externalServiceId4k"] = null,
            ["externalServiceSlug"] = null,
            ["externalServiceSlug4k"] = null,
            ["ratingKey"] = media.RatingKey,
            ["ratingKey4k"] = null,
        };
        if (!state.IsOverseerr)
        {
            json["jellyfinMediaId"] = null;
            json["jellyfinMediaId4k"] = null;
        }

        if (withSeasons)
        {
            json["seasons"] = new JsonArray();
        }

        return json;
    }

    public static JsonObject Request(SeerrRequest request, SeerrState state, bool listCall)
    {
        var media = state.Media(request.MediaId)!;
        var seasons = new JsonArray();
        foreach (var season in request.Seasons)
        {
            seasons.Add(new JsonObject
            {
                ["id"] = (request.Id * 100) + season,
                ["seasonNumber"] = season,
                ["status"] = request.Status,
                ["createdAt"] = Date(request.CreatedAt),
                ["updatedAt"] = Date(request.UpdatedAt),
            });
        }

        var json = new JsonObject
        {
            ["id"] = request.Id,
            ["status"] = request.Status,
            ["createdAt"] = Date(request.CreatedAt),
            ["updatedAt"] = Date(request.UpdatedAt),
            ["type"] = media.MediaType,
            ["is4k"] = request.Is4k,
            ["serverId"] = 0,
            ["profileId"] = 4,
            ["rootFolder"] = media.MediaType == "movie" ? "/data/movies" : "/data/tv",
            ["languageProfileId"] = null,
            ["tags"] = null,
            ["isAutoRequest"] = request.IsAutoRequest,
            ["media"] = Media(media, state, withSeasons: !listCall),
            ["seasons"] = seasons,
            ["modifiedBy"] = request.ModifiedBy is { } by && state.User(by) is { } modifier ? User(modifier, full: true, state) : null,
            ["requestedBy"] = User(state.User(request.RequestedBy)!, full: true, state),
            ["seasonCount"] = request.Seasons.Count,
        };
        if (listCall && state.Options.Flavor == SeerrFlavor.Seerr)
        {
            json["profileName"] = "HD-1080p";
            json["canRemove"] = true;
        }

        return json;
    }

    public static JsonObject PageInfo(int take, int skip, int total) => new()
    {
        ["pages"] = take == 0 ? 0 : (int)Math.Ceiling(total / (double)take),
        ["pageSize"] = take,
        ["results"] = total,
        ["page"] = take == 0 ? 1 : (int)Math.Ceiling(skip / (double)take) + 1,
    };

    public static string StatusName(int status, SeerrState state) => status switch
    {
        1 => "UNKNOWN",
        2 => "PENDING",
        3 => "PROCESSING",
        4 => "PARTIALLY_AVAILABLE",
        5 => "AVAILABLE",
        6 => state.Options.Flavor == SeerrFlavor.Seerr ? "BLOCKLISTED" : "BLACKLISTED",
        7 => "DELETED",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };
}
