using System.Globalization;
using System.Text.Json.Nodes;
using Marquee.Simulators.Jellyfin.Model;
using Microsoft.AspNetCore.Http;

namespace Marquee.Simulators.Jellyfin;

/// <summary>Wire shapes of the OpenAPI descriptions (BaseItemDto, UserItemDataDto, UserDto, AuthenticationResult, SystemInfo).</summary>
internal static class JellyfinJson
{
    public static IResult Ok(JsonNode node) => Results.Text(node.ToJsonString(), "application/json; charset=utf-8", statusCode: 200);

    public static IResult Problem(int status, string title, string? detail = null)
    {
        var body = new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110",
            ["title"] = title,
            ["status"] = status,
        };
        if (detail is not null)
        {
            body["detail"] = detail;
        }

        return Results.Text(body.ToJsonString(), "application/problem+json; charset=utf-8", statusCode: status);
    }

    /// <summary>Dates as the server writes them: <c>2024-01-02T03:04:05.0000000Z</c>.</summary>
    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static JsonObject UserData(JfItem item, JfUserData data) => UserData(item, data, null);

    /// <summary>
    /// A user's data; for a series or season (<paramref name="episodes"/> = its episodes and how many the user
    /// played) also <c>UnplayedItemCount</c> and <c>PlayedPercentage</c>, and <c>Played</c> when all are.
    /// </summary>
    public static JsonObject UserData(JfItem item, JfUserData data, (int Total, int Played)? episodes)
    {
        var node = new JsonObject();
        if (data.Rating is { } rating)
        {
            node["Rating"] = rating;
        }

        if (!item.IsFolder && item.RunTimeTicks is > 0 && data.PlaybackPositionTicks > 0)
        {
            node["PlayedPercentage"] = Math.Round(100.0 * data.PlaybackPositionTicks / item.RunTimeTicks.Value, 2);
        }

        node["PlaybackPositionTicks"] = data.PlaybackPositionTicks;
        node["PlayCount"] = data.PlayCount;
        node["IsFavorite"] = data.IsFavorite;
        if (data.Likes is { } likes)
        {
            node["Likes"] = likes;
        }

        if (data.LastPlayedDate is { } last)
        {
            node["LastPlayedDate"] = Date(last);
        }

        if (episodes is { } counts)
        {
            node["UnplayedItemCount"] = counts.Total - counts.Played;
            if (counts.Total > 0)
            {
                node["PlayedPercentage"] = Math.Round(100.0 * counts.Played / counts.Total, 2);
            }
        }

        node["Played"] = episodes is { Total: > 0 } folder ? folder.Played == folder.Total : data.Played;
        node["Key"] = item.ProviderIds.GetValueOrDefault("Tmdb") ?? item.Id;
        node["ItemId"] = item.Id;
        return node;
    }

    public static JsonObject Item(JellyfinState state, JfItem item, JfUser? user, ISet<string> fields)
    {
        var node = new JsonObject
        {
            ["Name"] = item.Name,
            ["ServerId"] = state.ServerId,
            ["Id"] = item.Id,
        };
        if (item.Year is { } year)
        {
            node["ProductionYear"] = year;
        }

        if (item.RunTimeTicks is { } runtime)
        {
            node["RunTimeTicks"] = runtime;
        }

        if (item.IndexNumber is { } index)
        {
            node["IndexNumber"] = index;
        }

        if (item.IndexNumberEnd is { } end)
        {
            node["IndexNumberEnd"] = end;
        }

        if (item.ParentIndexNumber is { } season)
        {
            node["ParentIndexNumber"] = season;
        }

        node["IsFolder"] = item.IsFolder;
        node["Type"] = item.Type;
        if (fields.Contains("ProviderIds"))
        {
            var ids = new JsonObject();
            foreach (var (key, value) in item.ProviderIds)
            {
                ids[key] = value;
            }

            node["ProviderIds"] = ids;
        }

        if (fields.Contains("Path") && item.Path is not null)
        {
            node["Path"] = item.Path;
        }

        if (fields.Contains("DateCreated"))
        {
            node["DateCreated"] = Date(item.DateCreated);
        }

        if (fields.Contains("ParentId") && item.ParentId is not null)
        {
            node["ParentId"] = item.ParentId;
        }

        if (item.SeriesName is not null)
        {
            node["SeriesName"] = item.SeriesName;
            node["SeriesId"] = item.SeriesId;
        }

        if (item.SeasonId is not null)
        {
            node["SeasonId"] = item.SeasonId;
        }

        var episodes = item.IsFolder && (user is not null || fields.Contains("RecursiveItemCount")) ? state.Episodes(item) : null;
        if (episodes is not null && fields.Contains("RecursiveItemCount"))
        {
            node["RecursiveItemCount"] = episodes.Count;
        }

        if (user is not null)
        {
            node["UserData"] = episodes is not null
                ? UserData(item, state.Data(user, item), (episodes.Count, episodes.Count(e => state.Data(user, e).Played)))
                : UserData(item, state.Data(user, item));
        }

        node["LocationType"] = "FileSystem";
        node["MediaType"] = item.IsFolder ? "Unknown" : "Video";
        return node;
    }

    public static JsonObject User(JellyfinState state, JfUser user) => new()
    {
        ["Name"] = user.Name,
        ["ServerId"] = state.ServerId,
        ["Id"] = user.Id,
        ["HasPassword"] = true,
        ["HasConfiguredPassword"] = true,
        ["HasConfiguredEasyPassword"] = false,
        ["Policy"] = new JsonObject
        {
            ["IsAdministrator"] = user.IsAdministrator,
            ["IsHidden"] = false,
            ["IsDisabled"] = false,
            ["EnableAllFolders"] = true,
            ["AuthenticationProviderId"] = "Jellyfin.Server.Implementations.Users.DefaultAuthenticationProvider",
            ["PasswordResetProviderId"] = "Jellyfin.Server.Implementations.Users.DefaultPasswordResetProvider",
        },
    };

    public static JsonObject Authentication(JellyfinState state, JfUser user, string token, IReadOnlyDictionary<string, string> client) => new()
    {
        ["User"] = User(state, user),
        ["SessionInfo"] = new JsonObject
        {
            ["Id"] = JellyfinState.Hex("session:" + token),
            ["UserId"] = user.Id,
            ["UserName"] = user.Name,
            ["Client"] = client.GetValueOrDefault("Client") ?? string.Empty,
            ["DeviceName"] = client.GetValueOrDefault("Device") ?? string.Empty,
            ["DeviceId"] = client.GetValueOrDefault("DeviceId") ?? string.Empty,
            ["ApplicationVersion"] = client.GetValueOrDefault("Version") ?? string.Empty,
            ["ServerId"] = state.ServerId,
        },
        ["AccessToken"] = token,
        ["ServerId"] = state.ServerId,
    };

    public static JsonObject PublicSystemInfo(JellyfinState state, Uri? address) => new()
    {
        ["LocalAddress"] = address?.ToString().TrimEnd('/'),
        ["ServerName"] = state.Options.ServerName,
        ["Version"] = state.Version,
        ["ProductName"] = state.IsEmby ? "Emby Server" : "Jellyfin Server",
        ["OperatingSystem"] = "Linux",
        ["Id"] = state.ServerId,
        ["StartupWizardCompleted"] = true,
    };

    public static JsonObject SystemInfo(JellyfinState state, Uri? address)
    {
        var node = PublicSystemInfo(state, address);
        node["HasPendingRestart"] = false;
        node["IsShuttingDown"] = false;
        node["SupportsLibraryMonitor"] = true;
        node["CanSelfRestart"] = false;
        node["HasUpdateAvailable"] = false;
        return node;
    }
}
