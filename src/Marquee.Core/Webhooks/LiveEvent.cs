using System.Globalization;

namespace Marquee.Core.Webhooks;

/// <summary>
/// What a live event is. Sync acts on the kinds below; every other reported event (a pause, a resume, a stop, a shared
/// user's start, a new device, a database backup…) has its <see cref="LiveEvent.EventType"/> as its kind, so consumers
/// subscribe on the kind. <see cref="Progress"/> is sync's resume point, derived from a pause or a stop that is also
/// reported as its own kind.
/// </summary>
public static class LiveEventKind
{
    /// <summary>Playback passed the watched threshold.</summary>
    public const string Watched = "watched";

    /// <summary>Playback started (media.play and playback.started are the same start).</summary>
    public const string Play = "play";

    /// <summary>A rating was set (value 0-10) or cleared (no value).</summary>
    public const string Rating = "rating";

    /// <summary>Playback stopped or paused at a position (value in milliseconds).</summary>
    public const string Progress = "progress";

    /// <summary>An item was added to a library.</summary>
    public const string ItemAdded = "item-added";
}

/// <summary>
/// What the source reported, in one vocabulary for every provider and path (Plex's webhook events name them). Each
/// event says which reported event it came from; the reported event itself reaches consumers as its own kind (play,
/// watched, rating and item-added for play, scrobble, rate and library.new; the type itself for the others).
/// </summary>
public static class LiveEventType
{
    public const string Play = "play";

    /// <summary>A shared user's playback started (the owner's copy of media.play).</summary>
    public const string PlaybackStarted = "playback.started";

    public const string Pause = "pause";

    public const string Resume = "resume";

    public const string Stop = "stop";

    /// <summary>Playback passed the watched threshold, or the item was marked watched.</summary>
    public const string Scrobble = "scrobble";

    public const string Rate = "rate";

    public const string LibraryNew = "library.new";

    public const string LibraryOnDeck = "library.on.deck";

    /// <summary>A device the server had not seen played for the first time; no item (<see cref="LiveEvent.LocalKey"/> is empty).</summary>
    public const string DeviceNew = "device.new";

    /// <summary>The server backed its database up; no item.</summary>
    public const string DatabaseBackup = "admin.database.backup";

    /// <summary>The server found its database corrupted; no item.</summary>
    public const string DatabaseCorrupted = "admin.database.corrupted";

    /// <summary>
    /// Returns the kind a reported event has: play, watched, rating and item-added for play, scrobble, rate and
    /// library.new; its type for every other.
    /// </summary>
    public static string KindOf(string type) => type switch
    {
        Play => LiveEventKind.Play,
        Scrobble => LiveEventKind.Watched,
        Rate => LiveEventKind.Rating,
        LibraryNew => LiveEventKind.ItemAdded,
        _ => type,
    };
}

/// <summary>Which path reported a live event.</summary>
public static class LiveEventOrigin
{
    public const string Webhook = "webhook";

    public const string EventStream = "event-stream";

    public const string Poll = "poll";

    /// <summary>A playback that ended before a poll saw it, settled from the server's history and the item's state.</summary>
    public const string History = "history";
}

/// <summary>
/// One thing that happened on a media server, normalised from whichever path saw it.
/// </summary>
/// <param name="Source">The provider kind, for example <c>plex</c>.</param>
/// <param name="Origin">One of <see cref="LiveEventOrigin"/>.</param>
/// <param name="ServerId">The server's machine identifier, when known.</param>
/// <param name="AccountId">The acting account as the server names it (Plex: the plex.tv id, or 1 for the owner).</param>
/// <param name="AccountName">The acting account's name, when known.</param>
/// <param name="LocalKey">The item's key on the server (Plex ratingKey); empty for a server-level event (device.new, admin.database.*).</param>
/// <param name="ItemGuid">The item's guid, when known.</param>
/// <param name="MediaType">movie, episode, show…</param>
/// <param name="Kind">One of <see cref="LiveEventKind"/>, or the <see cref="EventType"/> of a reported event sync does not act on.</param>
/// <param name="Value">The new rating, the position in milliseconds, the new device's identifier (device.new), or null.</param>
/// <param name="OccurredAt">When it happened (when the source reported it, for live paths).</param>
/// <param name="DeliveryId">The inbox delivery it came from, if any.</param>
public sealed record LiveEvent(
    string Source,
    string Origin,
    string? ServerId,
    string AccountId,
    string? AccountName,
    string LocalKey,
    string? ItemGuid,
    string? MediaType,
    string Kind,
    string? Value,
    DateTimeOffset OccurredAt,
    long? DeliveryId = null)
{
    /// <summary>Gets which reported event this one came from, one of <see cref="LiveEventType"/> (null when the source did not say).</summary>
    public string? EventType { get; init; }

    /// <summary>Gets the event as the source named it (Plex: <c>media.scrobble</c>, <c>library.new</c>…; the stream: <c>playing</c>, <c>timeline</c>).</summary>
    public string? SourceEvent { get; init; }

    /// <summary>Gets the item's title (an episode's own title).</summary>
    public string? Title { get; init; }

    /// <summary>Gets the show's title, for an episode or a season.</summary>
    public string? ShowTitle { get; init; }

    /// <summary>Gets the season number, for an episode or a season.</summary>
    public int? Season { get; init; }

    /// <summary>Gets the episode number, for an episode.</summary>
    public int? Episode { get; init; }

    /// <summary>Gets the release year.</summary>
    public int? Year { get; init; }

    /// <summary>Gets the player (device) that played, as the server names it.</summary>
    public string? Player { get; init; }

    /// <summary>Gets the player's platform, for example <c>Roku</c>.</summary>
    public string? Platform { get; init; }

    /// <summary>Gets the server's playback session key, when the path knows it.</summary>
    public string? SessionKey { get; init; }

    /// <summary>Gets the playback position in milliseconds, when known.</summary>
    public long? PositionMs { get; init; }

    /// <summary>Gets the item's duration in milliseconds, when known.</summary>
    public long? DurationMs { get; init; }

    /// <summary>Gets the rating (0-10) the event carries, when any.</summary>
    public double? Rating { get; init; }

    /// <summary>
    /// Gets the item's poster as a path on its server (Plex: <c>/library/metadata/123/thumb/1700000000</c>; an episode's is
    /// its show's), for a notification's thumbnail. Never a URL with a credential.
    /// </summary>
    public string? Poster { get; init; }

    /// <summary>Gets the store id, once stored.</summary>
    public long Id { get; init; }

    /// <summary>Gets what propagating the event did (see <see cref="Sync.TargetedOutcome"/>, with the reason), once it was propagated.</summary>
    public string? Outcome { get; init; }

    /// <summary>
    /// Gets how wide a window around <see cref="OccurredAt"/> counts as "the same" event: the same playback seen through
    /// the webhook, the event stream and the poller arrives seconds or a poll interval apart.
    /// </summary>
    public TimeSpan Window => Kind switch
    {
        LiveEventKind.Watched or LiveEventKind.Play => TimeSpan.FromMinutes(30),
        LiveEventKind.ItemAdded => TimeSpan.FromDays(36500),
        _ => TimeSpan.FromMinutes(10),
    };

    /// <summary>
    /// Gets the part of the value that must match for two events to be the same: the rating itself, or the position
    /// rounded to 30 s (the poller and the webhook see a stop a few seconds apart).
    /// </summary>
    public string ValueKey => Kind switch
    {
        LiveEventKind.Rating => Value ?? "none",
        LiveEventKind.Progress => long.TryParse(Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? Bucket30(ms) : string.Empty,
        LiveEventKind.Watched or LiveEventKind.Play or LiveEventKind.ItemAdded => string.Empty,

        // An event that only reports: a new device is told apart by its identifier; the same pause, resume or stop seen
        // by two paths is at about the same position.
        _ when Value is not null => Value,
        _ => Bucket30(PositionMs ?? 0),
    };

    /// <summary>
    /// Gets the deduplication key: account, item, kind, value key and a time bucket the size of <see cref="Window"/>.
    /// The store also looks in the neighbouring buckets, so an event near a bucket edge still matches.
    /// </summary>
    public string DedupeKey => string.Join(
        '|',
        Source,
        ServerId ?? string.Empty,
        AccountId,
        LocalKey,
        Kind,
        ValueKey,
        Bucket.ToString(CultureInfo.InvariantCulture));

    /// <summary>Gets the time bucket: <see cref="OccurredAt"/> divided by <see cref="Window"/>.</summary>
    public long Bucket => OccurredAt.ToUnixTimeMilliseconds() / (long)Window.TotalMilliseconds;

    /// <summary>Gets the prefix shared by every bucket of the same account, item, kind and value.</summary>
    public string IdentityKey => string.Join('|', Source, ServerId ?? string.Empty, AccountId, LocalKey, Kind, ValueKey);

    private static string Bucket30(long ms) => (ms / 30_000).ToString(CultureInfo.InvariantCulture);
}
