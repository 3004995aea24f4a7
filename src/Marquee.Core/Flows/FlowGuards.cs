namespace Marquee.Core.Flows;

/// <summary>Limits on removals in one run; a plan over either limit is held until forced.</summary>
public sealed record FlowGuards
{
    public int MaxRemovals { get; init; } = 25;

    public double MaxRemovalPercent { get; init; } = 10;
}
