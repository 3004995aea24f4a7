namespace Marquee.Simulators.Infrastructure;

/// <summary>Probabilities (0..1) of each fault for one endpoint; they are tried in declaration order.</summary>
public sealed record FaultSpec
{
    public double Error500 { get; init; }

    public double Error503 { get; init; }

    public double TooManyRequests { get; init; }

    public int RetryAfterSeconds { get; init; } = 1;

    public double Timeout { get; init; }

    public double ConnectionReset { get; init; }

    public double MalformedJson { get; init; }

    /// <summary>
    /// "Acknowledge without applying": the request is answered as a successful write (200 with an empty body,
    /// or what the simulator answers for that write) and never reaches the endpoint, so nothing changes. Meant
    /// for write endpoints (Plex's GET /:/scrobble is one).
    /// </summary>
    public double AcknowledgeWithoutApplying { get; init; }

    /// <summary>A 401, as a server answers a token it does not take (expired, revoked, or not one allowed to do this).</summary>
    public double Unauthorized { get; init; }

    /// <summary>Extra latency for this endpoint, added to the global latency.</summary>
    public int LatencyMs { get; init; }

    /// <summary>
    /// How many requests this spec meets before it lifts itself (the endpoint is clean again); null: until it is cleared.
    /// "Fail the next request once" is <c>{ Error500 = 1, Times = 1 }</c>, with no race against a second request.
    /// </summary>
    public int? Times { get; init; }

    public static FaultSpec FromRate(double rate) => new() { Error500 = rate / 2, Error503 = rate / 2 };

    /// <summary>Why the spec cannot be used (a probability outside 0..1, negative times or latency), or null.</summary>
    public string? Problem()
    {
        foreach (var (name, value) in new[]
        {
            ("error500", Error500), ("error503", Error503), ("tooManyRequests", TooManyRequests), ("timeout", Timeout),
            ("connectionReset", ConnectionReset), ("malformedJson", MalformedJson), ("acknowledgeWithoutApplying", AcknowledgeWithoutApplying),
            ("unauthorized", Unauthorized),
        })
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                return $"spec.{name} must be a probability between 0 and 1";
            }
        }

        if (Times is < 0)
        {
            return "spec.times must be 0 or more (null: until cleared)";
        }

        return LatencyMs < 0 || RetryAfterSeconds < 0 ? "spec.latencyMs and spec.retryAfterSeconds must be 0 or more" : null;
    }
}
