namespace Marquee.Simulators.Discord;

/// <summary>Every setting of the Discord webhook simulator.</summary>
public sealed record DiscordSimulatorOptions
{
    /// <summary>Port; 0 picks a free one.</summary>
    public int Port { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>How many executions one webhook accepts per <see cref="RateWindowSeconds"/>; 0 turns the rate limit off.</summary>
    public int RateLimit { get; init; } = 5;

    /// <summary>The rate limit's window: after the limit is reached the webhook answers 429 until the window has passed.</summary>
    public double RateWindowSeconds { get; init; } = 2;

    /// <summary>The largest file one execution may upload (Discord's default, 10 MiB); past it, 413 with code 40005.</summary>
    public long MaxFileBytes { get; init; } = 10L * 1024 * 1024;

    /// <summary>
    /// The first webhook's token; null gives each simulator a token of its own, so that a sender left over from another
    /// simulator (on a port the system has handed out again) is refused with 404 instead of recorded as a message here.
    /// </summary>
    public string? WebhookToken { get; init; }

    public int Seed { get; init; } = 7;

    public int LatencyMs { get; init; }

    public double FaultRate { get; init; }
}
