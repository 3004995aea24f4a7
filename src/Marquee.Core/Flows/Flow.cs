namespace Marquee.Core.Flows;

/// <summary>
/// Source to target (or both ways): features, filters, mode, guards and its reconciliation: <see cref="Schedule"/> (the
/// full run) and <see cref="Incremental"/>, each an interval, a cron expression or <c>off</c> (see <see cref="Scheduling.ReconcileSchedule"/>).
/// </summary>
public sealed record Flow(
    long Id,
    string Name,
    long SourceConnectionId,
    string SourceConnection,
    long TargetConnectionId,
    string TargetConnection,
    bool TwoWay,
    IReadOnlyList<string> Features,
    string Mode,
    string? Schedule,
    FlowFilters Filters,
    FlowGuards Guards,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Gets when the flow runs incrementally (what changed since the previous run); null for the default.</summary>
    public string? Incremental { get; init; }
}
