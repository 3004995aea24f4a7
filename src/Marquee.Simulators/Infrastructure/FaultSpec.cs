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

    /// <summary>Extra latency for this endpoint, added to the global latency.</summary>
    public int LatencyMs { get; init; }

    /// <summary>
    /// How many requests this spec meets before it lifts itself (the endpoint is clean again); null: until it is cleared.
    /// "Fail the next request once" is <c>{ Error500 = 1, Times = 1 }</c>, with no race against a second request.
    /// </summary>
    public int? Times { get; init; }

    public static FaultSpec FromRate(double rate) => new() { Error500 = rate / 2, Error503 = rate / 2 };
}
