namespace Marquee.Core.Flows;

/// <summary>What a flow looks at. Empty lists mean "all".</summary>
public sealed record FlowFilters
{
    public IReadOnlyList<string> Libraries { get; init; } = [];

    public IReadOnlyList<string> Profiles { get; init; } = [];

    public IReadOnlyList<string> IgnoreGuidPrefixes { get; init; } = ["local://"];

    public bool RequireExternalIds { get; init; } = true;
}
