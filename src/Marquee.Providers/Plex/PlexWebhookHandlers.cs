using System.Globalization;
using Marquee.Core.Webhooks;

namespace Marquee.Providers.Plex;

/// <summary>Turns one Plex webhook into live events. One handler per group of event types.</summary>
public interface IPlexWebhookHandler
{
    /// <summary>Gets the event names this handler takes.</summary>
    IReadOnlyCollection<string> Events { get; }

    IReadOnlyList<LiveEvent> Handle(PlexWebhook webhook, InboxDelivery delivery);
}

/// <summary>Picks the handler for an event type; events nobody handles go to <see cref="NullPlexWebhookHandler"/>.</summary>
public sealed class PlexWebhookHandlerFactory
{
    private readonly Dictionary<string, IPlexWebhookHandler> _handlers = new(StringComparer.Ordinal);

    public PlexWebhookHandlerFactory(IEnumerable<IPlexWebhookHandler> handlers)
    {
        foreach (var handler in handlers)
        {
            foreach (var name in handler.Events)
            {
                _handlers[name] = handler;
            }
        }
    }

    public IPlexWebhookHandler Create(string eventName) =>
        _handlers.TryGetValue(eventName, out var handler) ? handler : NullPlexWebhookHandler.Instance;
}

/// <summary>Events that change nothing Marquee keeps (resume, on deck, admin, devices): the format reports them as their own kind (<see cref="PlexWebhookEvents.Notice"/>).</summary>
public sealed class NullPlexWebhookHandler : IPlexWebhookHandler
{
    public static NullPlexWebhookHandler Instance { get; } = new();

    public IReadOnlyCollection<string> Events => [];

    public IReadOnlyList<LiveEvent> Handle(PlexWebhook webhook, InboxDelivery delivery) => [];
}

/// <summary>media.play, playback.started, media.pause, media.stop and media.scrobble.</summary>
public sealed class PlexPlaybackHandler(Microsoft.Extensions.Options.IOptions<WebhookOptions>? options = null) : IPlexWebhookHandler
{
    private readonly LiveOptions _live = options?.Value.Live ?? new LiveOptions();

    public IReadOnlyCollection<string> Events { get; } =
        [PlexEvents.Play, PlexEvents.PlaybackStarted, PlexEvents.Pause, PlexEvents.Stop, PlexEvents.Scrobble];

    public IReadOnlyList<LiveEvent> Handle(PlexWebhook webhook, InboxDelivery delivery)
    {
        var item = webhook.Metadata!;
        return webhook.Event switch
        {
            // The owner gets media.play for its own playback and playback.started for a shared user's: the same start.
            PlexEvents.Play or PlexEvents.PlaybackStarted => [PlexWebhookEvents.Create(webhook, delivery, LiveEventKind.Play, null)],
            PlexEvents.Scrobble => [PlexWebhookEvents.Create(webhook, delivery, LiveEventKind.Watched, null)],
            // A stop past the finished threshold is the end of a watch (the scrobble), not a resume point.
            _ when item.ViewOffsetMs is > 0 and var position && !PlaybackTracker.IsFinished(_live, item.Type, position, item.DurationMs) =>
                [PlexWebhookEvents.Create(webhook, delivery, LiveEventKind.Progress, position.ToString(CultureInfo.InvariantCulture))],
            _ => [],
        };
    }
}

/// <summary>media.rate: the new rating is the top-level <c>rating</c>; none or a negative one clears it.</summary>
public sealed class PlexRateHandler : IPlexWebhookHandler
{
    public IReadOnlyCollection<string> Events { get; } = [PlexEvents.Rate];

    public IReadOnlyList<LiveEvent> Handle(PlexWebhook webhook, InboxDelivery delivery)
    {
        var rating = webhook.Rating ?? webhook.Metadata?.UserRating;
        var value = rating is > 0 and var r ? Math.Round(r, 1).ToString("0.0", CultureInfo.InvariantCulture) : null;
        return [PlexWebhookEvents.Create(webhook, delivery, LiveEventKind.Rating, value)];
    }
}

/// <summary>library.new: one event per item whichever accounts were told about it.</summary>
public sealed class PlexLibraryNewHandler : IPlexWebhookHandler
{
    public IReadOnlyCollection<string> Events { get; } = [PlexEvents.LibraryNew];

    public IReadOnlyList<LiveEvent> Handle(PlexWebhook webhook, InboxDelivery delivery) =>
        [PlexWebhookEvents.Create(webhook, delivery, LiveEventKind.ItemAdded, null) with { AccountId = PlexWebhookEvents.AnyAccount, AccountName = null }];
}

/// <summary>Builds live events from Plex webhooks the same way for every handler.</summary>
public static class PlexWebhookEvents
{
    /// <summary>The account id of events that belong to no account (an item was added).</summary>
    public const string AnyAccount = "*";

    /// <summary>The owner's local account id on a Plex server.</summary>
    public const string OwnerAccount = "1";

    /// <summary>Plex's event names and what they are in every provider's vocabulary.</summary>
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        [PlexEvents.Play] = LiveEventType.Play,
        [PlexEvents.PlaybackStarted] = LiveEventType.PlaybackStarted,
        [PlexEvents.Pause] = LiveEventType.Pause,
        [PlexEvents.Resume] = LiveEventType.Resume,
        [PlexEvents.Stop] = LiveEventType.Stop,
        [PlexEvents.Scrobble] = LiveEventType.Scrobble,
        [PlexEvents.Rate] = LiveEventType.Rate,
        [PlexEvents.LibraryNew] = LiveEventType.LibraryNew,
        [PlexEvents.LibraryOnDeck] = LiveEventType.LibraryOnDeck,
        [PlexEvents.DeviceNew] = LiveEventType.DeviceNew,
        [PlexEvents.DatabaseBackup] = LiveEventType.DatabaseBackup,
        [PlexEvents.DatabaseCorrupted] = LiveEventType.DatabaseCorrupted,
    };

    /// <summary>Returns the <see cref="LiveEventType"/> of a Plex webhook event.</summary>
    public static string TypeOf(string plexEvent) => Types.GetValueOrDefault(plexEvent, plexEvent);

    public static LiveEvent Create(PlexWebhook webhook, InboxDelivery delivery, string kind, string? value) =>
        new LiveEvent(
            delivery.Source,
            LiveEventOrigin.Webhook,
            webhook.ServerUuid,
            AccountOf(webhook),
            webhook.AccountTitle,
            webhook.Metadata?.RatingKey ?? string.Empty,
            webhook.Metadata?.ItemGuid,
            webhook.Metadata?.Type,
            kind,
            value,
            delivery.ReceivedAt,
            delivery.Id)
        {
            EventType = TypeOf(webhook.Event),
            SourceEvent = webhook.Event,
            Title = webhook.Metadata?.Title,
            ShowTitle = webhook.Metadata?.ShowTitle,
            Season = (int?)webhook.Metadata?.Season,
            Episode = (int?)webhook.Metadata?.Episode,
            Year = (int?)webhook.Metadata?.Year,
            Player = webhook.PlayerTitle,
            Platform = webhook.Platform,
            PositionMs = webhook.Metadata?.ViewOffsetMs,
            DurationMs = webhook.Metadata?.DurationMs,
            Rating = webhook.Rating ?? webhook.Metadata?.UserRating,
            Poster = webhook.Metadata?.Poster,
        };

    /// <summary>
    /// The delivery as its own kind, for a delivery whose handler gives no event of that kind (a resume, a pause or a
    /// stop beside its resume point, a shared user's start beside the start, a new device, a database backup…). A
    /// server-level event has no item; a new device is told apart by its identifier.
    /// </summary>
    public static LiveEvent Notice(PlexWebhook webhook, InboxDelivery delivery) =>
        Create(webhook, delivery, TypeOf(webhook.Event), webhook.Event == PlexEvents.DeviceNew ? webhook.PlayerUuid : null);

    public static string AccountOf(PlexWebhook webhook) =>
        webhook.User && webhook.Owner ? OwnerAccount : webhook.AccountId ?? OwnerAccount;
}
