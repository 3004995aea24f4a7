namespace Marquee.Core.Flows;

/// <summary>Source to target (or both ways): features, filters, mode, guards and schedule.</summary>
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
    DateTimeOffset UpdatedAt);
