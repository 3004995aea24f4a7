namespace Marquee.Simulators.Shoko;

/// <summary>Which Shoko Server line the simulator behaves as (SHOKO-API.md: 5.x stable, 6.0 daily).</summary>
public enum ShokoServerVersion
{
    V5,
    V6,
}

/// <summary>
/// The body of <c>GET /api/v3/Init/Version</c>, which the contract leaves unconfirmed: the component set of recent
/// servers (<c>{"Server": {"Version": …}}</c>), the list of named components of older ones
/// (<c>[{"Name": "Server", "Version": …}]</c>), or a body that names no version, so clients are tried on each.
/// </summary>
public enum ShokoVersionBody
{
    Set,
    List,
    None,
}

/// <summary>Every flag of <c>marquee sim shoko</c>.</summary>
public sealed record ShokoSimulatorOptions
{
    /// <summary>Port; 0 picks a free one.</summary>
    public int Port { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public ShokoServerVersion Version { get; init; } = ShokoServerVersion.V5;

    /// <summary>Catalog seed: the same seed gives the anime library of <c>sim plex --shoko-anime</c>.</summary>
    public int Seed { get; init; } = 7;

    public int Series { get; init; } = 6;

    /// <summary>User names in order; the first is the administrator. Each user's Plex name is its own name.</summary>
    public IReadOnlyList<string> UserNames { get; init; } = ["admin", "anna", "bob"];

    /// <summary>Password of every user (Shoko accounts often have none).</summary>
    public string Password { get; init; } = string.Empty;

    public int LatencyMs { get; init; }

    public double FaultRate { get; init; }

    /// <summary>Fixed start time of the simulator clock; null follows the system clock.</summary>
    public DateTimeOffset? ClockStart { get; init; }
}
