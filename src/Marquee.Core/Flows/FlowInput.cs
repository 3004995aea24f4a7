namespace Marquee.Core.Flows;

/// <summary>A flow as a user writes it (CLI, API, marquee.yaml); every member may be missing or wrong until validated.</summary>
public sealed record FlowInput
{
    public string? Name { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public bool? TwoWay { get; init; }

    public IReadOnlyList<string>? Features { get; init; }

    public string? Mode { get; init; }

    /// <summary>Gets when the flow runs in full: an interval, a cron expression or off.</summary>
    public string? Schedule { get; init; }

    /// <summary>Gets when the flow runs incrementally: an interval, a cron expression or off.</summary>
    public string? Incremental { get; init; }

    public FlowFilters? Filters { get; init; }

    public FlowGuards? Guards { get; init; }

    public bool? Enabled { get; init; }
}
