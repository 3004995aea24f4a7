using System.Text.Json;

namespace Marquee.Core.Webhooks;

/// <summary>
/// What a handled Plex webhook keeps for diagnosis: the event, who and where (account, server, player) and the item's
/// keys, ids, position, counts and rating, each as the sender wrote it. Descriptions, cast, artwork links and the like
/// are dropped; the parser reads the same webhook from the compact form as from the original.
/// </summary>
public static class PlexWebhookCompactor
{
    private static readonly string[] Top = ["event", "user", "owner", "rating"];

    private static readonly Dictionary<string, string[]> Objects = new(StringComparer.Ordinal)
    {
        ["Account"] = ["id", "title"],
        ["Server"] = ["title", "uuid"],
        ["Player"] = ["local", "publicAddress", "title", "uuid"],
        ["Metadata"] =
        [
            "ratingKey", "key", "guid", "Guid", "type", "title", "grandparentTitle", "parentTitle", "index", "parentIndex", "year",
            "librarySectionID", "librarySectionTitle", "viewOffset", "duration", "viewCount", "lastViewedAt", "userRating", "lastRatedAt",
        ],
    };

    /// <summary>Returns the compact form of a payload, or the payload itself when it is not a JSON object.</summary>
    public static byte[] Compact(byte[] payload)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return payload;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return payload;
            }

            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                Copy(document.RootElement, Top, writer);
                foreach (var (name, fields) in Objects)
                {
                    if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object)
                    {
                        writer.WriteStartObject(name);
                        Copy(value, fields, writer);
                        writer.WriteEndObject();
                    }
                }

                writer.WriteEndObject();
            }

            return buffer.Length < payload.Length ? buffer.ToArray() : payload;
        }
    }

    /// <summary>The body kept for a delivery that repeats an earlier handled one: a pointer to it.</summary>
    public static byte[] DuplicateOf(long deliveryId) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, long> { ["duplicateOf"] = deliveryId });

    private static void Copy(JsonElement from, string[] fields, Utf8JsonWriter writer)
    {
        foreach (var field in fields)
        {
            if (from.TryGetProperty(field, out var value))
            {
                writer.WritePropertyName(field);
                value.WriteTo(writer);
            }
        }
    }
}
