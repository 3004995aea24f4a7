namespace Marquee.Simulators.Seerr;

/// <summary>Every flag of <c>marquee sim seerr</c>.</summary>
public sealed record SeerrSimulatorOptions
{
    /// <summary>Port; 0 picks a free one.</summary>
    public int Port { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The flavour answered: <c>seerr-3</c> (default), <c>jellyseerr-2.7</c> or <c>overseerr-1.34</c> (SEERR-API.md section 9).</summary>
    public string Flavor { get; init; } = SeerrFlavor.Seerr;

    /// <summary>The key every call must carry in the <c>X-Api-Key</c> header (no query form).</summary>
    public string ApiKey { get; init; } = "c2VlcnItc2ltdWxhdG9yLWtleQ==";

    /// <summary>The webhook agent's URL; empty leaves the agent off until set through the control API.</summary>
    public string WebhookUrl { get; init; } = string.Empty;

    /// <summary>The agent's optional Authorization header value.</summary>
    public string WebhookAuthorization { get; init; } = string.Empty;

    public int LatencyMs { get; init; }

    public double FaultRate { get; init; }

    public int Seed { get; init; } = 7;

    /// <summary>Fixed start time of the simulator clock; null follows the system clock.</summary>
    public DateTimeOffset? ClockStart { get; init; }
}

/// <summary>The flavour names of SEERR-API.md section 10 item 1.</summary>
public static class SeerrFlavor
{
    public const string Seerr = "seerr-3";

    public const string Jellyseerr = "jellyseerr-2.7";

    public const string Overseerr = "overseerr-1.34";

    public static bool IsKnown(string flavor) => flavor is Seerr or Jellyseerr or Overseerr;
}
