namespace Marquee.Core.Webhooks;

/// <summary>Where a delivery is in the inbox.</summary>
public static class InboxStatus
{
    /// <summary>Stored, waiting for the processor.</summary>
    public const string Pending = "pending";

    /// <summary>Handled: its events are in the store.</summary>
    public const string Handled = "handled";

    /// <summary>Malformed when it arrived; kept for diagnosis, never handled.</summary>
    public const string Rejected = "rejected";

    /// <summary>Handling failed too many times; kept with the last error.</summary>
    public const string Failed = "failed";
}

/// <summary>A received webhook, as stored before it is acknowledged.</summary>
/// <param name="Id">The inbox row id; 0 before it is stored.</param>
/// <param name="Source">The sender, for example <c>plex</c>.</param>
/// <param name="ReceivedAt">When the request arrived.</param>
/// <param name="ContentType">The stored body's content type.</param>
/// <param name="Headers">The request headers worth keeping, as JSON (never the URL, which holds the secret).</param>
/// <param name="Body">For an accepted Plex delivery the <c>payload</c> part (the thumbnail is dropped); for a rejected one the raw bytes.</param>
/// <param name="DedupeKey">A hash of the payload: the same delivery posted again has the same key.</param>
/// <param name="Status">One of <see cref="InboxStatus"/>.</param>
/// <param name="Attempts">How many times handling started.</param>
/// <param name="HandledAt">When handling finished.</param>
/// <param name="Error">Why it was rejected or why handling failed.</param>
public sealed record InboxDelivery(
    long Id,
    string Source,
    DateTimeOffset ReceivedAt,
    string? ContentType,
    string? Headers,
    byte[] Body,
    string? DedupeKey,
    string Status,
    int Attempts,
    DateTimeOffset? HandledAt,
    string? Error);

/// <summary>Counts per inbox status, and the number of live events stored.</summary>
public sealed record InboxCounts(IReadOnlyDictionary<string, long> ByStatus, long LiveEvents)
{
    public long Count(string status) => ByStatus.TryGetValue(status, out var n) ? n : 0;
}
