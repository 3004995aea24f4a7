namespace Marquee.Simulators.Arr;

/// <summary>Every flag of <c>marquee sim radarr</c> and <c>marquee sim sonarr</c>.</summary>
public sealed record ArrSimulatorOptions
{
    /// <summary>Port; 0 picks a free one.</summary>
    public int Port { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public ArrFlavor Flavor { get; init; } = ArrFlavor.Radarr;

    /// <summary>Library generator seed: the same seed gives the movies and series the Plex simulator holds (same tmdb, tvdb and imdb ids).</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Movies (Radarr) the Plex simulator of the same seed also generates.</summary>
    public int Movies { get; init; } = 500;

    /// <summary>Shows (Sonarr) the Plex simulator of the same seed also generates.</summary>
    public int Shows { get; init; } = 40;

    /// <summary>Items only the application holds (wanted, not downloaded yet, so not on Plex).</summary>
    public int Missing { get; init; } = 10;

    /// <summary>The key every call must carry (<c>X-Api-Key</c> header or <c>apikey</c> query).</summary>
    public string ApiKey { get; init; } = "0123456789abcdef0123456789abcdef";

    /// <summary>The URL base the application is served under (<c>/radarr</c>); empty for the root.</summary>
    public string UrlBase { get; init; } = string.Empty;

    /// <summary>The configured instance name; the application's name when empty.</summary>
    public string InstanceName { get; init; } = string.Empty;

    /// <summary>The configured external URL sent in webhooks as <c>applicationUrl</c>; omitted when empty.</summary>
    public string ApplicationUrl { get; init; } = string.Empty;

    public int LatencyMs { get; init; }

    public double FaultRate { get; init; }

    /// <summary>Fixed start time of the simulator clock; null follows the system clock.</summary>
    public DateTimeOffset? ClockStart { get; init; }
}
