using System.Globalization;
using System.Text.Json;
using Marquee.Core.Sync;
using Marquee.Core.Webhooks;
using static Marquee.Core.Webhooks.WebhookJson;

namespace Marquee.Providers.Jellyfin;

/// <summary>
/// A Jellyfin or Emby webhook, reduced to what live events use. Jellyfin's Webhook plugin (generic template) names the
/// event in <c>NotificationType</c> with flat fields; Emby's built-in webhooks name it in <c>Event</c> with
/// <c>User</c>, <c>Item</c>, <c>Server</c> and <c>PlaybackInfo</c> objects. Both are read into this one shape, with
/// Emby's events given their Jellyfin names.
/// </summary>
public sealed record JellyfinWebhook(
    string Event,
    string? ServerId,
    string? UserId,
    string? UserName,
    string? ItemId,
    string? ItemType,
    long? PositionTicks,
    long? RunTimeTicks,
    bool? PlayedToCompletion,
    bool? Played,
    bool? Favorite,
    double? Rating,
    string? SaveReason)
{
    /// <summary>Gets the item's name (an episode's own title).</summary>
    public string? Title { get; init; }

    /// <summary>Gets the series' name, for an episode or a season.</summary>
    public string? ShowTitle { get; init; }

    public int? Season { get; init; }

    public int? Episode { get; init; }

    public int? Year { get; init; }

    /// <summary>Gets the playback device's name.</summary>
    public string? Device { get; init; }

    /// <summary>Gets the playback client's name, for example <c>Jellyfin Web</c>.</summary>
    public string? Client { get; init; }

    /// <summary>Gets the event's name as the sender wrote it, when it differs from <see cref="Event"/> (Emby's <c>playback.pause</c>…).</summary>
    public string? SourceEvent { get; init; }

    /// <summary>Gets the server's session id of the playback (Emby's <c>Session.Id</c>), when the payload has it.</summary>
    public string? SessionId { get; init; }
}

/// <summary>Jellyfin Webhook plugin notification types that become live events.</summary>
public static class JellyfinEvents
{
    public const string PlaybackStart = "PlaybackStart";
    public const string PlaybackProgress = "PlaybackProgress";
    public const string PlaybackStop = "PlaybackStop";
    public const string UserDataSaved = "UserDataSaved";
    public const string ItemAdded = "ItemAdded";

    /// <summary>The <c>SaveReason</c> of a play toggled by hand and of a finished playback.</summary>
    public const string TogglePlayed = "TogglePlayed";

    public const string PlaybackFinished = "PlaybackFinished";

    public const string UpdateUserRating = "UpdateUserRating";
}

/// <summary>Parses Jellyfin Webhook plugin and Emby webhook payloads: strict about the shape, tolerant of templated values.</summary>
public static class JellyfinWebhookParser
{
    /// <summary>Emby's event names and the Jellyfin notification they match.</summary>
    private static readonly Dictionary<string, string> EmbyEvents = new(StringComparer.Ordinal)
    {
        ["playback.start"] = JellyfinEvents.PlaybackStart,
        ["playback.pause"] = JellyfinEvents.PlaybackProgress,
        ["playback.unpause"] = JellyfinEvents.PlaybackProgress,
        ["playback.stop"] = JellyfinEvents.PlaybackStop,
        ["item.markplayed"] = JellyfinEvents.UserDataSaved,
        ["item.markunplayed"] = JellyfinEvents.UserDataSaved,
        ["item.rate"] = JellyfinEvents.UserDataSaved,
        ["library.new"] = JellyfinEvents.ItemAdded,
    };

    private static readonly HashSet<string> NeedUser = new(StringComparer.Ordinal)
    {
        JellyfinEvents.PlaybackStart, JellyfinEvents.PlaybackProgress, JellyfinEvents.PlaybackStop, JellyfinEvents.UserDataSaved,
    };

    public static JellyfinWebhook Parse(ReadOnlySpan<byte> json)
    {
        using var document = ParseObject(json);
        var root = document.RootElement;
        var webhook = root.TryGetProperty("NotificationType", out _) ? Plugin(root)
            : root.TryGetProperty("Event", out _) ? Emby(root)
            : throw new WebhookFormatException("'NotificationType' (Jellyfin) or 'Event' (Emby) is missing.");
        if (webhook.Event.Length == 0)
        {
            throw new WebhookFormatException("The event name is empty.");
        }

        // Other notifications (sessions, logins, tasks, …) carry no item and are stored without events.
        if (NeedUser.Contains(webhook.Event) || webhook.Event == JellyfinEvents.ItemAdded)
        {
            if (string.IsNullOrEmpty(webhook.ItemId))
            {
                throw new WebhookFormatException($"The item id is missing; {webhook.Event} needs it.");
            }

            if (NeedUser.Contains(webhook.Event) && string.IsNullOrEmpty(webhook.UserId))
            {
                throw new WebhookFormatException($"The user id is missing; {webhook.Event} needs it.");
            }
        }

        if (webhook.PositionTicks is < 0 || webhook.Rating is < 0 or > 10)
        {
            throw new WebhookFormatException("A playback position must not be negative and a rating must be between 0 and 10.");
        }

        return webhook;
    }

    /// <summary>The Webhook plugin's generic template: flat fields, booleans and numbers possibly rendered as strings.</summary>
    private static JellyfinWebhook Plugin(JsonElement root) => new(
        String(root, "NotificationType", "NotificationType") ?? throw new WebhookFormatException("'NotificationType' must be a string."),
        Key(root, "ServerId", "ServerId"),
        Key(root, "UserId", "UserId"),
        String(root, "NotificationUsername", "NotificationUsername"),
        Key(root, "ItemId", "ItemId"),
        String(root, "ItemType", "ItemType"),
        Integer(root, "PlaybackPositionTicks", "PlaybackPositionTicks"),
        Integer(root, "RunTimeTicks", "RunTimeTicks"),
        NullableBool(root, "PlayedToCompletion", "PlayedToCompletion", strings: true),
        NullableBool(root, "Played", "Played", strings: true),
        NullableBool(root, "Favorite", "Favorite", strings: true),
        Number(root, "Rating", "Rating") ?? Number(root, "UserRating", "UserRating"),
        String(root, "SaveReason", "SaveReason"))
    {
        Title = Text(root, "Name", "Name"),
        ShowTitle = Text(root, "SeriesName", "SeriesName"),
        Season = Whole(root, "SeasonNumber", "SeasonNumber"),
        Episode = Whole(root, "EpisodeNumber", "EpisodeNumber"),
        Year = Whole(root, "Year", "Year"),
        Device = Text(root, "DeviceName", "DeviceName"),
        Client = Text(root, "ClientName", "ClientName"),
    };

    /// <summary>Emby's webhooks: <c>Event</c>, <c>User</c>, <c>Item</c>, <c>Server</c>, <c>PlaybackInfo</c>.</summary>
    private static JellyfinWebhook Emby(JsonElement root)
    {
        var name = String(root, "Event", "Event") ?? throw new WebhookFormatException("'Event' must be a string.");
        var user = Object(root, "User");
        var item = Object(root, "Item");
        var server = Object(root, "Server");
        var playback = Object(root, "PlaybackInfo");
        var session = Descriptive(() => Object(root, "Session"));
        var mapped = EmbyEvents.GetValueOrDefault(name, name);
        bool? played = name switch
        {
            "item.markplayed" => true,
            "item.markunplayed" => false,
            _ => null,
        };
        return new JellyfinWebhook(
            mapped,
            server is { } s ? Key(s, "Id", "Server.Id") : null,
            user is { } u ? Key(u, "Id", "User.Id") : null,
            user is { } n ? String(n, "Name", "User.Name") : null,
            item is { } i ? Key(i, "Id", "Item.Id") : null,
            item is { } t ? String(t, "Type", "Item.Type") : null,
            playback is { } p ? Integer(p, "PositionTicks", "PlaybackInfo.PositionTicks") : null,
            item is { } r ? Integer(r, "RunTimeTicks", "Item.RunTimeTicks") : null,
            playback is { } c ? NullableBool(c, "PlayedToCompletion", "PlaybackInfo.PlayedToCompletion", strings: true) : null,
            played,
            null,
            null,
            name is "item.markplayed" or "item.markunplayed" ? JellyfinEvents.TogglePlayed : name == "item.rate" ? JellyfinEvents.UpdateUserRating : null)
        {
            Title = Text(item, "Name", "Item.Name"),
            ShowTitle = Text(item, "SeriesName", "Item.SeriesName"),
            Season = Whole(item, "ParentIndexNumber", "Item.ParentIndexNumber"),
            Episode = Whole(item, "IndexNumber", "Item.IndexNumber"),
            Year = Whole(item, "ProductionYear", "Item.ProductionYear"),
            Device = Text(session, "DeviceName", "Session.DeviceName"),
            Client = Text(session, "Client", "Session.Client"),
            SessionId = session is { } live ? Descriptive(() => Key(live, "Id", "Session.Id")) : null,
            SourceEvent = name,
        };
    }

    /// <summary>A descriptive text field of an optional object: left out when the object or the field is missing or mistyped.</summary>
    private static string? Text(JsonElement? parent, string name, string path) => parent is { } p ? Descriptive(() => String(p, name, path)) : null;

    /// <summary>A descriptive whole number of an optional object: left out when the object or the field is missing or mistyped.</summary>
    private static int? Whole(JsonElement? parent, string name, string path) => parent is { } p ? (int?)Descriptive(() => Integer(p, name, path)) : null;
}

/// <summary>
/// Turns a Jellyfin or Emby webhook into the live events the Plex path produces: a start; a watch when a playback
/// stops played to completion or the user data is saved played by a toggle (marked by hand); a resume
/// point when a playback stops part way; a rating when the payload carries one; an added item; Emby's pause and
/// resume as their own kinds.
/// </summary>
public static class JellyfinWebhookEvents
{
    public static IReadOnlyList<LiveEvent> Create(JellyfinWebhook webhook, InboxDelivery delivery)
    {
        return webhook.Event switch
        {
            JellyfinEvents.PlaybackStart => [Event(webhook, delivery, LiveEventKind.Play, LiveEventType.Play, null)],
            JellyfinEvents.PlaybackStop when webhook.PlayedToCompletion == true => [Event(webhook, delivery, LiveEventKind.Watched, LiveEventType.Scrobble, null)],
            JellyfinEvents.PlaybackStop when webhook.PositionTicks is > 0 and var ticks =>
                [Event(webhook, delivery, LiveEventKind.Progress, LiveEventType.Stop, (ticks / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture))],
            JellyfinEvents.UserDataSaved => UserData(webhook, delivery),

            // Emby says when a playback pauses and resumes; the Webhook plugin's progress only says whether it is paused.
            JellyfinEvents.PlaybackProgress when webhook.SourceEvent == "playback.pause" => [Event(webhook, delivery, LiveEventType.Pause, LiveEventType.Pause, null)],
            JellyfinEvents.PlaybackProgress when webhook.SourceEvent == "playback.unpause" => [Event(webhook, delivery, LiveEventType.Resume, LiveEventType.Resume, null)],
            JellyfinEvents.ItemAdded => [Event(webhook, delivery, LiveEventKind.ItemAdded, LiveEventType.LibraryNew, null) with { AccountId = TargetedItem.AnyAccount, AccountName = null }],
            _ => [],
        };
    }

    private static List<LiveEvent> UserData(JellyfinWebhook webhook, InboxDelivery delivery)
    {
        var events = new List<LiveEvent>();

        // Played is the item's whole state (a partial replay of a played item saves it played too): only a toggle
        // says it was just watched; a finished playback is the PlaybackStop played to completion.
        if (webhook.Played == true && webhook.SaveReason == JellyfinEvents.TogglePlayed)
        {
            events.Add(Event(webhook, delivery, LiveEventKind.Watched, LiveEventType.Scrobble, null));
        }

        if (webhook.Rating is { } rating)
        {
            var value = rating > 0 ? Math.Round(rating, 1).ToString("0.0", CultureInfo.InvariantCulture) : null;
            events.Add(Event(webhook, delivery, LiveEventKind.Rating, LiveEventType.Rate, value));
        }

        return events;
    }

    private static LiveEvent Event(JellyfinWebhook webhook, InboxDelivery delivery, string kind, string type, string? value) =>
        new LiveEvent(
            delivery.Source,
            LiveEventOrigin.Webhook,
            webhook.ServerId,
            webhook.UserId ?? TargetedItem.AnyAccount,
            webhook.UserName,
            webhook.ItemId!,
            null,
            webhook.ItemType?.ToLowerInvariant(),
            kind,
            value,
            delivery.ReceivedAt,
            delivery.Id)
        {
            EventType = type,
            SourceEvent = webhook.SourceEvent ?? webhook.Event,
            Title = webhook.Title,
            ShowTitle = webhook.ShowTitle,
            Season = webhook.Season,
            Episode = webhook.Episode,
            Year = webhook.Year,
            Player = webhook.Device,
            Platform = webhook.Client,
            SessionKey = webhook.SessionId,
            PositionMs = webhook.PositionTicks / TimeSpan.TicksPerMillisecond,
            DurationMs = webhook.RunTimeTicks is > 0 and var runtime ? runtime / TimeSpan.TicksPerMillisecond : null,
            Rating = webhook.Rating,
        };
}
