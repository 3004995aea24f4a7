using Marquee.Core.Webhooks;

namespace Marquee.Providers.Jellyfin;

/// <summary>
/// What a handled Jellyfin or Emby webhook keeps for diagnosis. Jellyfin's Webhook plugin: the notification type and
/// time, the server, the user, the item (id, type, names, season and episode numbers, year, run time, provider ids),
/// the position, completion and user data, and the client and device. Emby: the same inside its <c>User</c>,
/// <c>Item</c>, <c>Server</c>, <c>Session</c> and <c>PlaybackInfo</c> objects. Overviews, taglines, image tags, stream
/// details and user policies are dropped; the parser reads the same webhook from the compact form as from the original.
/// </summary>
public static class JellyfinWebhookCompactor
{
    private static readonly WebhookCompactor Fields = new(
        [
            // Jellyfin's Webhook plugin (flat fields).
            "NotificationType", "Timestamp", "UtcTimestamp", "ServerId", "ServerName", "ServerVersion", "ServerUrl",
            "UserId", "NotificationUsername", "ItemId", "ItemType", "Name", "SeriesId", "SeriesName", "SeasonId", "SeasonNumber",
            "EpisodeNumber", "EpisodeNumberEnd", "Year", "RunTimeTicks", "RunTime", "PlaybackPositionTicks", "PlaybackPosition",
            "PlayedToCompletion", "IsPaused", "Played", "PlayCount", "Favorite", "LastPlayedDate", "Rating", "UserRating", "SaveReason",
            "ClientName", "DeviceName", "DeviceId", "Provider_*",

            // Emby's webhooks (the objects follow).
            "Event", "Title", "Date",
        ],
        new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["User"] = ["Name", "Id"],
            ["Item"] =
            [
                "Name", "Id", "Type", "ServerId", "SeriesName", "SeriesId", "SeasonId", "ParentIndexNumber", "IndexNumber", "IndexNumberEnd",
                "ProductionYear", "RunTimeTicks", "ProviderIds", "UserData",
            ],
            ["Server"] = ["Name", "Id", "Version"],
            ["Session"] = ["Id", "Client", "DeviceName", "DeviceId", "ApplicationVersion"],
            ["PlaybackInfo"] = ["PositionTicks", "PlayedToCompletion", "PlaySessionId", "MediaSourceId"],
        });

    /// <summary>Returns the compact form of a payload, or the payload itself when it is not a JSON object.</summary>
    public static byte[] Compact(byte[] payload) => Fields.Compact(payload);
}
