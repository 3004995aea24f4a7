namespace Marquee.Bench;

/// <summary>The outcome of one scenario: figures, requests and correctness checks.</summary>
public sealed record ScenarioResult
{
    public required string Name { get; init; }

    public required string Title { get; init; }

    /// <summary>Gets "ok", "failed" (a check failed or the scenario threw) or "not available" (see <see cref="Reason"/>).</summary>
    public required string Status { get; init; }

    public string? Reason { get; init; }

    public bool Quick { get; init; }

    /// <summary>Gets the size of the workload, for example the library or the number of writes.</summary>
    public IReadOnlyDictionary<string, long> Size { get; init; } = new Dictionary<string, long>();

    public double WallSeconds { get; init; }

    /// <summary>
    /// Gets the CPU time of the process during the measured part: Marquee's alone when <see cref="SimulatorsApart"/>,
    /// otherwise with the simulators that run in the same process.
    /// </summary>
    public double CpuSeconds { get; init; }

    /// <summary>Gets the peak resident memory of the process during the measured part (Marquee's alone when <see cref="SimulatorsApart"/>).</summary>
    public long PeakRssBytes { get; init; }

    /// <summary>Gets the resident memory of the process just before the measured part (store migrated; simulators loaded unless apart).</summary>
    public long BaselineRssBytes { get; init; }

    /// <summary>Gets the largest managed heap sampled during the measured part (objects, live or not yet collected): the rest of the peak RSS is the runtime, code and native memory.</summary>
    public long? PeakManagedBytes { get; init; }

    /// <summary>Gets the most memory the garbage collector held committed during the measured part (sampled).</summary>
    public long? PeakGcCommittedBytes { get; init; }

    /// <summary>Gets the most anonymous resident memory sampled (not mapped files): the part of the RSS the program's own work can change.</summary>
    public long? PeakAnonymousRssBytes { get; init; }

    /// <summary>Gets a value indicating whether the simulated servers ran in a process of their own.</summary>
    public bool SimulatorsApart { get; init; }

    /// <summary>Gets the simulators' CPU time during the measured part, when they ran apart.</summary>
    public double? SimulatorCpuSeconds { get; init; }

    /// <summary>Gets the simulators' peak resident memory during the measured part, when they ran apart.</summary>
    public long? SimulatorPeakRssBytes { get; init; }

    /// <summary>Gets the requests Marquee made, per connection and endpoint (the providers' own counts).</summary>
    public IReadOnlyDictionary<string, long> Requests { get; init; } = new Dictionary<string, long>();

    /// <summary>Gets the requests the simulators received, per server and endpoint.</summary>
    public IReadOnlyDictionary<string, long> SimulatorRequests { get; init; } = new Dictionary<string, long>();

    public long TotalRequests { get; init; }

    /// <summary>Gets the requests that are really needed: listing pages (page size 1,000) plus writes.</summary>
    public long FloorRequests { get; init; }

    public double? RatioToFloor => FloorRequests > 0 ? Math.Round((double)TotalRequests / FloorRequests, 3) : null;

    public long Writes { get; init; }

    /// <summary>Gets scenario figures: items/s, latency percentiles, requests/s and so on.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets where the wall time went, in seconds (read, store, write, rest).</summary>
    public IReadOnlyDictionary<string, double> Phases { get; init; } = new Dictionary<string, double>();

    public IReadOnlyList<Check> Checks { get; init; } = [];

    public bool Passed => Status != ScenarioStatus.Failed && Checks.All(c => c.Passed);
}

public sealed record Check(string Name, bool Passed, string Detail);

public static class ScenarioStatus
{
    public const string Ok = "ok";
    public const string Failed = "failed";
    public const string NotAvailable = "not available";
}

/// <summary>Everything <c>marquee bench</c> writes to <c>bench/results/latest.json</c>.</summary>
public sealed record BenchReport(
    DateTimeOffset StartedAt,
    bool Quick,
    string Command,
    BenchMachine Machine,
    IReadOnlyList<ScenarioResult> Scenarios);

/// <summary>The machine and the build a bench ran on.</summary>
/// <param name="ProcessorCount">The processors the runtime sees.</param>
/// <param name="MemoryBytes">The memory the collector may use.</param>
/// <param name="Runtime">The runtime's description.</param>
/// <param name="Os">The operating system's description.</param>
/// <param name="Build">
/// "standard" (the framework-dependent build of <c>./marquee</c>) or the name the publish profile gave it ("lean": the
/// self-contained, trimmed build of <c>-p:PublishProfile=Lean</c>), so figures of different builds are not compared unawares.
/// </param>
/// <param name="YoungGeneration">
/// Who sized the collector's young generation, which most of a run's garbage sits in: "6 MB" (Marquee's pacing,
/// <c>Marquee:Memory:YoungGenerationMB</c>), "runtime" (sized from the CPU's cache), or the owner's runtime setting.
/// </param>
public sealed record BenchMachine(int ProcessorCount, long MemoryBytes, string Runtime, string Os, string Build = BenchMachine.StandardBuild, string? YoungGeneration = null)
{
    public const string StandardBuild = "standard";
}
