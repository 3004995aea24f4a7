using Marquee.Core.Webhooks;

namespace Marquee.Providers.Plex;

/// <summary>
/// What a handled Plex webhook keeps for diagnosis: the event, who and where (account, server, player) and the item's
/// keys, ids, position, counts, rating and poster paths (a notification's thumbnail), each as the sender wrote it.
/// Descriptions, cast, other artwork links and the like are dropped; the parser reads the same webhook from the compact
/// form as from the original.
/// </summary>
public static class PlexWebhookCompactor
{
    private static readonly WebhookCompactor Fields = new(
        ["event", "user", "owner", "rating"],
        new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["Account"] = ["id", "title"],
            ["Server"] = ["title", "uuid"],
            ["Player"] = ["local", "publicAddress", "title", "uuid"],
            ["Metadata"] =
            [
                "ratingKey", "key", "guid", "Guid", "type", "title", "grandparentTitle", "parentTitle", "index", "parentIndex", "year",
                "librarySectionID", "librarySectionTitle", "viewOffset", "duration", "viewCount", "lastViewedAt", "userRating", "lastRatedAt",
                "thumb", "parentThumb", "grandparentThumb",
            ],
        });

    /// <summary>Returns the compact form of a payload, or the payload itself when it is not a JSON object.</summary>
    public static byte[] Compact(byte[] payload) => Fields.Compact(payload);
}
