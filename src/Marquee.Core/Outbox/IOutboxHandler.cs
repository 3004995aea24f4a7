using System.Text.Json;
using Marquee.Core.Providers;

namespace Marquee.Core.Outbox;

/// <summary>
/// Delivers one kind of outbox entry (a generic HTTP request, a label edit, an unmonitor…). One handler per kind; it
/// checks payloads before they are stored and makes one attempt per call. It never retries by itself: the dispatcher
/// owns attempts, back-off and the target's circuit.
/// </summary>
public interface IOutboxHandler
{
    /// <summary>Gets the kind this handler delivers, for example <c>http</c>.</summary>
    string Kind { get; }

    /// <summary>Checks a payload; each problem names its field (under <c>payload.</c>).</summary>
    IReadOnlyList<FieldProblem> Validate(JsonElement payload);

    /// <summary>The target of a valid payload when the caller names none: deliveries to one target share a circuit.</summary>
    string Target(JsonElement payload);

    /// <summary>A short description of a valid payload for listings; it must hold no secret (no URL path or query, no header value).</summary>
    string Describe(JsonElement payload);

    /// <summary>Makes one attempt. Throwing counts as a failure worth retrying.</summary>
    Task<OutboxResult> DeliverAsync(OutboxMessage message, string payload, CancellationToken cancellationToken);
}

public enum OutboxOutcome
{
    /// <summary>The target accepted it.</summary>
    Delivered,

    /// <summary>It failed in a way that may pass later (no answer, 5xx, 429, 408).</summary>
    Retry,

    /// <summary>The target refused it for good (another 4xx): dead-lettered at once.</summary>
    Rejected,

    /// <summary>Not sent: too old to be worth sending (a notification that waited out a long outage). Kept as failed, saying why.</summary>
    Dropped,
}

/// <summary>The outcome of one attempt, with the target's status code and, for a retry, how long the target asked to wait.</summary>
public sealed record OutboxResult(OutboxOutcome Outcome, int? StatusCode, string? Reason, TimeSpan? RetryAfter)
{
    public static OutboxResult Delivered(int? statusCode) => new(OutboxOutcome.Delivered, statusCode, null, null);

    public static OutboxResult Retry(string reason, int? statusCode = null, TimeSpan? retryAfter = null) => new(OutboxOutcome.Retry, statusCode, reason, retryAfter);

    public static OutboxResult Rejected(string reason, int? statusCode = null) => new(OutboxOutcome.Rejected, statusCode, reason, null);

    public static OutboxResult Dropped(string reason) => new(OutboxOutcome.Dropped, null, reason, null);
}
