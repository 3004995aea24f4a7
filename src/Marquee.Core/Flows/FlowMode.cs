namespace Marquee.Core.Flows;

public static class FlowMode
{
    /// <summary>The target mirrors the source, including unwatches and cleared ratings (with proof and guards).</summary>
    public const string Mirror = "mirror";

    /// <summary>Only adds (watched marks, ratings, progress); never removes anything on the target.</summary>
    public const string AddOnly = "add-only";

    public static IReadOnlyList<string> All { get; } = [Mirror, AddOnly];
}
