using System.Globalization;
using System.Text.Json;

namespace Marquee.Core.Webhooks;

/// <summary>A Plex webhook payload (PLEX-API.md 9.3): only the fields live events use.</summary>
public sealed record PlexWebhook(
    string Event,
    bool User,
    bool Owner,
    double? Rating,
    string? AccountId,
    string? AccountTitle,
    string? ServerUuid,
    string? PlayerUuid,
    PlexWebhookItem? Metadata);

/// <summary>The <c>Metadata</c> object of a Plex webhook.</summary>
public sealed record PlexWebhookItem(
    string? RatingKey,
    string? ItemGuid,
    string? Type,
    string? Title,
    long? ViewOffsetMs,
    long? DurationMs,
    int? ViewCount,
    DateTimeOffset? LastViewedAt,
    double? UserRating,
    DateTimeOffset? LastRatedAt,
    long? LibrarySectionId);

/// <summary>The payload is not a Plex webhook we can use; the message says why.</summary>
public sealed class WebhookFormatException(string message) : Exception(message)
{
}

/// <summary>Parses Plex webhook payloads: tolerant of numbers sent as strings, strict about the shape.</summary>
public static class PlexWebhookParser
{
    /// <summary>Every event Plex documents (PLEX-API.md 9.2). Anything else is rejected.</summary>
    public static IReadOnlySet<string> KnownEvents { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        PlexEvents.Play, PlexEvents.Pause, PlexEvents.Resume, PlexEvents.Stop, PlexEvents.Scrobble, PlexEvents.Rate,
        PlexEvents.LibraryNew, PlexEvents.LibraryOnDeck, PlexEvents.DatabaseBackup, PlexEvents.DatabaseCorrupted,
        PlexEvents.DeviceNew, PlexEvents.PlaybackStarted,
    };

    private static readonly HashSet<string> NeedMetadata = new(StringComparer.Ordinal)
    {
        PlexEvents.Play, PlexEvents.Pause, PlexEvents.Resume, PlexEvents.Stop, PlexEvents.Scrobble, PlexEvents.Rate,
        PlexEvents.LibraryNew, PlexEvents.PlaybackStarted,
    };

    public static PlexWebhook Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new WebhookFormatException($"The payload is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new WebhookFormatException("The payload must be a JSON object.");
            }

            var name = String(root, "event", "event") ?? throw new WebhookFormatException("'event' is missing.");
            if (!KnownEvents.Contains(name))
            {
                throw new WebhookFormatException($"'{Clip(name)}' is not a Plex webhook event.");
            }

            var account = Object(root, "Account");
            var server = Object(root, "Server");
            var player = Object(root, "Player");
            var metadata = Object(root, "Metadata");
            var accountId = account is { } a ? Key(a, "id", "Account.id") : null;
            if (NeedMetadata.Contains(name))
            {
                if (metadata is null)
                {
                    throw new WebhookFormatException($"'Metadata' is missing; {name} needs it.");
                }

                if (accountId is null)
                {
                    throw new WebhookFormatException($"'Account.id' is missing; {name} needs it.");
                }
            }

            PlexWebhookItem? item = null;
            if (metadata is { } m)
            {
                item = new PlexWebhookItem(
                    Key(m, "ratingKey", "Metadata.ratingKey"),
                    String(m, "guid", "Metadata.guid"),
                    String(m, "type", "Metadata.type"),
                    String(m, "title", "Metadata.title"),
                    Integer(m, "viewOffset", "Metadata.viewOffset"),
                    Integer(m, "duration", "Metadata.duration"),
                    (int?)Integer(m, "viewCount", "Metadata.viewCount"),
                    Seconds(Integer(m, "lastViewedAt", "Metadata.lastViewedAt")),
                    Number(m, "userRating", "Metadata.userRating"),
                    Seconds(Integer(m, "lastRatedAt", "Metadata.lastRatedAt")),
                    Integer(m, "librarySectionID", "Metadata.librarySectionID"));
                if (NeedMetadata.Contains(name) && item.RatingKey is null)
                {
                    throw new WebhookFormatException("'Metadata.ratingKey' is missing.");
                }
            }

            var rating = Number(root, "rating", "rating");
            if (name == PlexEvents.Rate && rating is < 0 or > 10)
            {
                throw new WebhookFormatException("'rating' must be between 0 and 10.");
            }

            return new PlexWebhook(
                name,
                Bool(root, "user", "user"),
                Bool(root, "owner", "owner"),
                rating,
                accountId,
                account is { } at ? String(at, "title", "Account.title") : null,
                server is { } s ? String(s, "uuid", "Server.uuid") : null,
                player is { } p ? String(p, "uuid", "Player.uuid") : null,
                item);
        }
    }

    private static JsonElement? Object(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw new WebhookFormatException($"'{name}' must be an object.");
    }

    private static string? String(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Mistyped(path, "a string");
    }

    // Ids and keys: Plex sends them as strings or numbers depending on the version; both are accepted.
    private static string? Key(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String when value.GetString() is { Length: > 0 and <= 64 } s => s,
            JsonValueKind.Number when value.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
            _ => throw Mistyped(path, "a number or a non-empty string"),
        };
    }

    private static long? Integer(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.Number when value.TryGetDouble(out var d) && d is >= long.MinValue and <= long.MaxValue => (long)d,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => throw Mistyped(path, "a number"),
        };
    }

    private static double? Number(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
            _ => throw Mistyped(path, "a number"),
        };
    }

    private static bool Bool(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out var n) => n != 0,
            _ => throw Mistyped(path, "a boolean"),
        };
    }

    private static DateTimeOffset? Seconds(long? value) =>
        value is { } s && s > 0 && s < 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    private static WebhookFormatException Mistyped(string path, string expected) => new($"'{path}' must be {expected}.");

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

/// <summary>Plex webhook event names (PLEX-API.md 9.2).</summary>
public static class PlexEvents
{
    public const string Play = "media.play";
    public const string Pause = "media.pause";
    public const string Resume = "media.resume";
    public const string Stop = "media.stop";
    public const string Scrobble = "media.scrobble";
    public const string Rate = "media.rate";
    public const string LibraryNew = "library.new";
    public const string LibraryOnDeck = "library.on.deck";
    public const string DatabaseBackup = "admin.database.backup";
    public const string DatabaseCorrupted = "admin.database.corrupted";
    public const string DeviceNew = "device.new";
    public const string PlaybackStarted = "playback.started";
}
