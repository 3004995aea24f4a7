using System.Text.Json.Serialization;

namespace Marquee.Core.Outbox;

/// <summary>Where a delivery is in the outbox.</summary>
public static class OutboxStatus
{
    /// <summary>Stored, waiting for its next attempt.</summary>
    public const string Pending = "pending";

    /// <summary>An attempt started and its answer is not recorded yet; after a crash it is pending again.</summary>
    public const string Sending = "sending";

    /// <summary>The target answered with success; never sent again.</summary>
    public const string Delivered = "delivered";

    /// <summary>Dead-lettered: refused by the target, or given up after the last attempt; kept with the reason until retried.</summary>
    public const string Failed = "failed";

    public static IReadOnlyList<string> All { get; } = [Pending, Sending, Delivered, Failed];
}

/// <summary>A write to an external system, as the outbox stores it. The payload itself is kept encrypted and never listed.</summary>
/// <param name="Id">The row id.</param>
/// <param name="IdempotencyKey">Unique: enqueuing the same key again returns this delivery instead of storing a second one.</param>
/// <param name="Kind">Which <see cref="IOutboxHandler"/> delivers it, for example <c>http</c>.</param>
/// <param name="Target">The circuit's key (a host, a channel, a connection): deliveries to one target share its back-off.</param>
/// <param name="ConnectionId">The connection written to, when there is one.</param>
/// <param name="Description">A short description without secrets, for listings.</param>
/// <param name="Status">One of <see cref="OutboxStatus"/>.</param>
/// <param name="Attempts">How many attempts started.</param>
/// <param name="NextAttemptAt">When the next attempt may start.</param>
/// <param name="LastAttemptAt">When the last attempt started.</param>
/// <param name="LastStatus">The status code of the last answer, when the target answered.</param>
/// <param name="LastError">Why the last attempt failed, or why the delivery was dead-lettered.</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="DoneAt">When it was delivered or dead-lettered.</param>
public sealed record OutboxMessage(
    long Id,
    string IdempotencyKey,
    string Kind,
    string Target,
    long? ConnectionId,
    string Description,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatus,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DoneAt)
{
    /// <summary>Gets the target's consecutive failures when the delivery was read as due (drives the back-off).</summary>
    [JsonIgnore]
    public int TargetFailures { get; init; }

    /// <summary>
    /// Gets the lane within the target: deliveries with the same key go in the order stored, one at a time; those with
    /// another key may go at the same time. Empty for one lane per target.
    /// </summary>
    [JsonIgnore]
    public string OrderKey { get; init; } = string.Empty;
}

/// <summary>What is enqueued: the payload is the kind's JSON, checked by its handler before it is stored; <paramref name="OrderKey"/> names its lane (see <see cref="OutboxMessage.OrderKey"/>).</summary>
public sealed record OutboxEntry(string Kind, string IdempotencyKey, string Target, string Description, string Payload, long? ConnectionId = null, string OrderKey = "");

/// <summary>What an attempt ended with, recorded in one transaction together with the target's circuit.</summary>
public sealed record OutboxAttempt(
    string Status, int? StatusCode, string? Error, DateTimeOffset NextAttemptAt, bool TargetFailed, DateTimeOffset? TargetBlockedUntil, DateTimeOffset At);

/// <summary>A target's circuit: consecutive failures and until when it is left alone.</summary>
public sealed record OutboxTarget(string Target, int Failures, DateTimeOffset? BlockedUntil, string? LastError);

/// <summary>Counts per status, and the targets whose circuit is open.</summary>
public sealed record OutboxCounts(IReadOnlyDictionary<string, long> ByStatus, IReadOnlyList<OutboxTarget> Targets)
{
    public long Count(string status) => ByStatus.TryGetValue(status, out var n) ? n : 0;
}
