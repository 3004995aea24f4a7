namespace Marquee.Core.Flows;

/// <summary>A validated flow, ready to store.</summary>
public sealed record FlowDefinition(
    string Name,
    long SourceConnectionId,
    long TargetConnectionId,
    bool TwoWay,
    IReadOnlyList<string> Features,
    string Mode,
    string? Schedule,
    FlowFilters Filters,
    FlowGuards Guards,
    bool Enabled)
{
    /// <summary>Gets when the flow runs incrementally; null for the default.</summary>
    public string? Incremental { get; init; }
}
