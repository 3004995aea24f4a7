namespace Marquee.Simulators.Jellyfin;

/// <summary>Every flag of <c>marquee sim jellyfin</c> and <c>marquee sim emby</c>.</summary>
public sealed record JellyfinSimulatorOptions
{
    /// <summary>Port; 0 picks a free one.</summary>
    public int Port { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public JellyfinFlavor Flavor { get; init; } = JellyfinFlavor.Jellyfin;

    /// <summary>Library generator seed: the same seed gives the same titles and external ids as the Plex simulator.</summary>
    public int Seed { get; init; } = 7;

    public int Movies { get; init; } = 500;

    public int Shows { get; init; } = 40;

    /// <summary>Number of users; the first is the administrator.</summary>
    public int Users { get; init; } = 3;

    /// <summary>Names of the users in order (the first is the administrator); missing names are made up.</summary>
    public IReadOnlyList<string> UserNames { get; init; } = [];

    /// <summary>An API key the server accepts (acts as an administrator with no user of its own).</summary>
    public string ApiKey { get; init; } = "SIM_API_KEY";

    /// <summary>
    /// Jellyfin's <c>EnableLegacyAuthorization</c>: when false (the default of a real server), <c>X-Emby-Authorization</c>,
    /// <c>X-Emby-Token</c>, <c>X-MediaBrowser-Token</c> and <c>api_key</c> are refused. Emby always accepts them.
    /// </summary>
    public bool LegacyAuthorization { get; init; }

    public int LatencyMs { get; init; }

    public double FaultRate { get; init; }

    /// <summary>Where webhook plugin payloads are posted (Jellyfin's Webhook plugin, or Emby's built-in webhooks).</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>Fixed start time of the simulator clock; null follows the system clock.</summary>
    public DateTimeOffset? ClockStart { get; init; }

    public string ServerName { get; init; } = "sim-jellyfin";
}
