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

    public static FaultSpec FromRate(double rate) => new() { Error500 = rate / 2, Error503 = rate / 2 };
}
