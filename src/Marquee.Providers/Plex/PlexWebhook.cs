using Marquee.Core.Webhooks;
using static Marquee.Core.Webhooks.WebhookJson;

namespace Marquee.Providers.Plex;

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
    PlexWebhookItem? Metadata)
{
    /// <summary>Gets the player's title.</summary>
    public string? PlayerTitle { get; init; }

    /// <summary>Gets the player's platform.</summary>
    public string? Platform { get; init; }
}

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
    long? LibrarySectionId)
{
    /// <summary>Gets the show's title (grandparentTitle of an episode).</summary>
    public string? ShowTitle { get; init; }

    /// <summary>Gets the season number (parentIndex of an episode).</summary>
    public long? Season { get; init; }

    /// <summary>Gets the episode number (index of an episode).</summary>
    public long? Episode { get; init; }

    /// <summary>Gets the release year.</summary>
    public long? Year { get; init; }

    /// <summary>Gets the item's poster path (<see cref="PlexPoster.Of"/>).</summary>
    public string? Poster { get; init; }
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
        using (var document = ParseObject(json))
        {
            var root = document.RootElement;
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
                    Integer(m, "librarySectionID", "Metadata.librarySectionID"))
                {
                    ShowTitle = Descriptive(() => String(m, "grandparentTitle", "Metadata.grandparentTitle")),
                    Season = Descriptive(() => Integer(m, "parentIndex", "Metadata.parentIndex")),
                    Episode = Descriptive(() => Integer(m, "index", "Metadata.index")),
                    Year = Descriptive(() => Integer(m, "year", "Metadata.year")),
                    Poster = Descriptive(() => PlexPoster.Of(
                        String(m, "type", "Metadata.type"),
                        String(m, "thumb", "Metadata.thumb"),
                        String(m, "parentThumb", "Metadata.parentThumb"),
                        String(m, "grandparentThumb", "Metadata.grandparentThumb"))),
                };
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
                item)
            {
                PlayerTitle = player is { } pt ? Descriptive(() => String(pt, "title", "Player.title")) : null,
                Platform = player is { } pp ? Descriptive(() => String(pp, "platform", "Player.platform")) : null,
            };
        }
    }
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
