namespace Marquee.Core.Sync;

/// <summary>How a sync is asked for.</summary>
public sealed record SyncOptions
{
    public bool DryRun { get; init; }

    public bool Force { get; init; }

    /// <summary>Gets the start of the window to read (only what changed since); null reads everything.</summary>
    public DateTimeOffset? Since { get; init; }

    public string Trigger { get; init; } = "cli";

    /// <summary>Gets what the run does when its flow is already running: refused (the default) or waits its turn.</summary>
    public WhenBusy WhenBusy { get; init; }

    /// <summary>Gets the libraries (names or keys) this run alone reads, within the flow's own; null or empty reads the flow's.</summary>
    public IReadOnlyList<string>? Libraries { get; init; }

    /// <summary>Gets the profiles this run alone syncs, within the flow's own; null or empty syncs the flow's.</summary>
    public IReadOnlyList<string>? Profiles { get; init; }

    /// <summary>Names given repeated or comma-separated (<c>--library Anime --library "TV, Films"</c>); null when none is.</summary>
    public static IReadOnlyList<string>? Names(IEnumerable<string>? given)
    {
        var names = (given ?? []).SelectMany(g => g.Split(',')).ToList();
        return names.Count == 0 ? null : names;
    }
}

public sealed record FeatureSummary(string Feature, int Planned, int Written, int Skipped, int Failed);

/// <summary>What one run did: the run row, its plan with each write's outcome, and the items it could not match.</summary>
public sealed record SyncReport(SyncRun Run, IReadOnlyList<PlannedWrite> Plan, IReadOnlyDictionary<string, string> Outcomes, IReadOnlyList<FeatureSummary> Features, IReadOnlyList<UnresolvedItem> Unresolved);

/// <summary>A listing that cannot be trusted (empty, or much smaller than before): the run fails instead of removing anything.</summary>
public sealed class SyncListingException(string message) : Exception(message);
