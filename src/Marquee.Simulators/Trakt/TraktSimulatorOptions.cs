namespace Marquee.Simulators.Trakt;

/// <summary>Every flag of <c>marquee sim trakt</c>.</summary>
public sealed record TraktSimulatorOptions
{
    /// <summary>Port; 0 picks a free one.</summary>
    public int Port { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Catalogue seed: the same seed gives the titles and external ids of the Plex simulator.</summary>
    public int Seed { get; init; } = 7;

    public int Movies { get; init; } = 500;

    public int Shows { get; init; } = 40;

    /// <summary>The Plex generator's show shape (<see cref="Plex.PlexSimulatorOptions.Seasons"/>): the same value as the Plex simulator's gives the same episodes.</summary>
    public int Seasons { get; init; } = 5;

    /// <summary>The Plex generator's <see cref="Plex.PlexSimulatorOptions.EpisodesPerSeason"/>, likewise.</summary>
    public int EpisodesPerSeason { get; init; } = 12;

    /// <summary>Account names; the first is the one <see cref="AutoApprove"/> and the examples use.</summary>
    public IReadOnlyList<string> Accounts { get; init; } = ["anna", "ben"];

    /// <summary>The app's client id (<c>trakt-api-key</c>) and secret.</summary>
    public string ClientId { get; init; } = "SIM_CLIENT_ID";

    public string ClientSecret { get; init; } = "SIM_CLIENT_SECRET";

    /// <summary>Lifetime of issued access tokens (<c>expires_in</c>); Trakt documents 7 days today.</summary>
    public int TokenLifetimeSeconds { get; init; } = 604_800;

    /// <summary>Lifetime of a device code (<c>expires_in</c> of <c>/oauth/device/code</c>).</summary>
    public int DeviceCodeLifetimeSeconds { get; init; } = 600;

    /// <summary>Polling interval of the device flow; a poll sooner than this after the last one is a 429 ("slow down").</summary>
    public int PollIntervalSeconds { get; init; } = 5;

    /// <summary>When set, a pending device code is approved for this account at its second poll (for demos and scripts).</summary>
    public string? AutoApprove { get; init; }

    /// <summary>Status of a refused refresh: 401 as the classic docs say, or 400 as the 2026 contract types it.</summary>
    public int RefreshErrorStatus { get; init; } = 401;

    /// <summary>Writes (POST, PUT, DELETE) one account may make per <see cref="PostWindowMs"/>; 0 turns the limit off.</summary>
    public int PostLimit { get; init; } = 1;

    public int PostWindowMs { get; init; } = 1000;

    /// <summary>Authenticated GETs one account may make per <see cref="GetWindowSeconds"/> (the 2026 figure is 500 per 5 minutes); 0 turns it off.</summary>
    public int GetLimit { get; init; } = 500;

    public int GetWindowSeconds { get; init; } = 300;

    /// <summary>Watchlist items an account may hold before adds get 420.</summary>
    public int WatchlistLimit { get; init; } = 5000;

    public int LatencyMs { get; init; }

    public double FaultRate { get; init; }

    /// <summary>Fixed start time of the simulator clock; null follows the system clock.</summary>
    public DateTimeOffset? ClockStart { get; init; }
}
