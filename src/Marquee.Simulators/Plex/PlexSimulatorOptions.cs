namespace Marquee.Simulators.Plex;

/// <summary>Every flag of <c>marquee sim plex</c>.</summary>
public sealed record PlexSimulatorOptions
{
    /// <summary>PMS port; 0 picks a free one. plex.tv and Discover always get their own free ports unless set.</summary>
    public int Port { get; init; }

    public int PlexTvPort { get; init; }

    public int DiscoverPort { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public int Seed { get; init; } = 7;

    public int Movies { get; init; } = 500;

    public int Shows { get; init; } = 40;

    public int HomeUsers { get; init; } = 2;

    public int Friends { get; init; } = 1;

    public string OwnerToken { get; init; } = "OWNER_TOKEN";

    /// <summary>Same seed, different variant: same titles under other ratingKeys and partly other agents.</summary>
    public int Variant { get; init; }

    /// <summary>Share (0..1) of items matched by a legacy agent (IMDb, TMDB, TheTVDB, HAMA).</summary>
    public double LegacyShare { get; init; } = 0.2;

    /// <summary>Share (0..1) of movies and shows left unmatched (<c>local://</c>, no ids).</summary>
    public double UnmatchedShare { get; init; } = 0.02;

    /// <summary>When false, no show goes to the HAMA-matched "Anime" library (every eighth does by default); the titles stay the same.</summary>
    public bool AnimeShows { get; init; } = true;

    /// <summary>Most regular seasons a show has (each show 1 to this many; about 30 % also have specials).</summary>
    public int Seasons { get; init; } = 5;

    /// <summary>Most episodes of a regular season (each season 6 to this many).</summary>
    public int EpisodesPerSeason { get; init; } = 12;

    public int LatencyMs { get; init; }

    public double FaultRate { get; init; }

    /// <summary>Webhook URL of the owner account.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>Played threshold of <c>/:/timeline</c>, as a share of the duration (LibraryVideoPlayedThreshold).</summary>
    public double PlayedThreshold { get; init; } = 0.9;

    /// <summary>Fixed start time of the simulator clock; null follows the system clock.</summary>
    public DateTimeOffset? ClockStart { get; init; }

    /// <summary>Server name shown in <c>/</c>, resources and webhooks.</summary>
    public string ServerName { get; init; } = "sim-server";

    /// <summary>When true, writes (scrobble, rate, label edits) also emit a <c>timeline</c> state 5 event.</summary>
    public bool TimelineOnWrites { get; init; }

    /// <summary>
    /// Adds the "Anime (Shoko)" library: the anime catalog of <c>sim shoko</c> with the same seed, matched by Shoko Relay,
    /// the legacy Shoko agent and HAMA. Off by default; the other libraries are the same either way.
    /// </summary>
    public bool ShokoAnime { get; init; }

    /// <summary>Number of series in the "Anime (Shoko)" library (the same number as <c>sim shoko --series</c>).</summary>
    public int ShokoSeries { get; init; } = 6;

    /// <summary>PIN lifetime of <c>POST /api/v2/pins</c> (strong PINs live longer in Plex; one value is enough here).</summary>
    public TimeSpan PinLifetime { get; init; } = TimeSpan.FromMinutes(15);
}
