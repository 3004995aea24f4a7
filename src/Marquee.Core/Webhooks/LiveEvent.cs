using System.Globalization;

namespace Marquee.Core.Webhooks;

/// <summary>What a live event says happened.</summary>
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

/// <summary>Which path reported a live event.</summary>
public static class LiveEventOrigin
{
    public const string Webhook = "webhook";

    public const string EventStream = "event-stream";

    public const string Poll = "poll";
}

/// <summary>
/// One thing that happened on a media server, normalised from whichever path saw it.
/// </summary>
/// <param name="Source">The provider kind, for example <c>plex</c>.</param>
/// <param name="Origin">One of <see cref="LiveEventOrigin"/>.</param>
/// <param name="ServerId">The server's machine identifier, when known.</param>
/// <param name="AccountId">The acting account as the server names it (Plex: the plex.tv id, or 1 for the owner).</param>
/// <param name="AccountName">The acting account's name, when known.</param>
/// <param name="LocalKey">The item's key on the server (Plex ratingKey).</param>
/// <param name="ItemGuid">The item's guid, when known.</param>
/// <param name="MediaType">movie, episode, show…</param>
/// <param name="Kind">One of <see cref="LiveEventKind"/>.</param>
/// <param name="Value">The new rating, the position in milliseconds, or null.</param>
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
        LiveEventKind.Progress when long.TryParse(Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) =>
            (ms / 30_000).ToString(CultureInfo.InvariantCulture),
        _ => string.Empty,
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
}
