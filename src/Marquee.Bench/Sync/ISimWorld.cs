namespace Marquee.Bench.Sync;

/// <summary>
/// The simulated servers of a sync scenario, seen from the benchmark: their connections, the changes a scenario makes
/// on them before a run, and the checks of what they show afterwards. <see cref="PlexPairWorld"/> runs them in this
/// process; <see cref="RemoteSimWorld"/> runs the same world in a process of its own, so Marquee's memory and CPU are
/// measured apart from the simulators'.
/// </summary>
public interface ISimWorld : IAsyncDisposable
{
    SimWorldInfo Info { get; }

    Task SetLatencyAsync(int ms);

    /// <summary>Moves the simulators' clocks (frozen at <see cref="SimWorldInfo.ClockStart"/>) forward.</summary>
    Task AdvanceClockAsync(TimeSpan by);

    Task ResetCountsAsync();

    /// <summary>Gets the requests the simulators received since the last reset, per server and endpoint.</summary>
    Task<IReadOnlyDictionary<string, long>> CountsAsync();

    /// <summary>Changes <paramref name="share"/> of the (account, item) pairs on one side or the other and records what both must show after a sync; returns how many changed.</summary>
    Task<int> DivergeAsync(double share, int seed, bool perItem, IReadOnlyList<string>? accounts);

    /// <summary>Marks up to <paramref name="count"/> items watched for one account on the left only; returns how many.</summary>
    Task<int> WatchOnLeftAsync(string account, int count);

    Task<int> CountDisagreementsAsync(IReadOnlyList<string> accounts);

    /// <summary>Both sides agree on every paired item, and every recorded change arrived.</summary>
    Task<IReadOnlyList<Check>> CheckStatesAsync(IReadOnlyList<string> accounts);

    /// <summary>Listing pages really needed for a full (or incremental) read by these accounts.</summary>
    Task<long> ListingFloorAsync(IReadOnlyList<string> accounts, bool incremental);

    Task<IReadOnlyDictionary<string, long>> LibrarySizeAsync();

    /// <summary>
    /// The simulators' process figures (CPU time, resident memory and its peak since the last reset), resetting the
    /// peak when <paramref name="resetPeak"/> is set; null when they run in the benchmark's own process.
    /// </summary>
    Task<SimProcessStats?> StatsAsync(bool resetPeak);
}

/// <summary>What Marquee needs to know of a simulated world: its connections, accounts and plex.tv.</summary>
public sealed record SimWorldInfo(IReadOnlyList<SimConnection> Connections, IReadOnlyList<string> Accounts, string Owner, string? PlexTvUrl, DateTimeOffset Now)
{
    /// <summary>Gets the time the simulators' clocks are frozen at when the world starts; Marquee's clock starts there too.</summary>
    public static DateTimeOffset ClockStart { get; } = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
}

/// <summary>One connection Marquee makes to a simulated server: name, provider kind and settings (URL, token).</summary>
public sealed record SimConnection(string Name, string Kind, IReadOnlyDictionary<string, string?> Settings);

/// <summary>CPU time and resident memory of the simulators' process.</summary>
public sealed record SimProcessStats(double CpuSeconds, long RssBytes, long PeakRssBytes);
