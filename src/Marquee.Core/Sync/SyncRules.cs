namespace Marquee.Core.Sync;

/// <summary>The numbers behind the sync rules (DESIGN.md section 4).</summary>
public sealed record SyncRules
{
    public static SyncRules Default { get; } = new();

    /// <summary>Gets the share of an item's length past which a position means "finished" (rule 5).</summary>
    public double WatchedThreshold { get; init; } = 0.9;

    /// <summary>Gets the position under which progress is ignored (rule 5).</summary>
    public long MinProgressMs { get; init; } = 60_000;

    /// <summary>Gets the difference in position under which two resume points count as equal.</summary>
    public long ProgressToleranceMs { get; init; } = 1_000;

    /// <summary>Gets the share of the last full listing under which a new full listing is an error, not a mass change (rule 7).</summary>
    public double ShrinkRatio { get; init; } = 0.5;

    /// <summary>Gets the smallest previous listing the shrink check applies to.</summary>
    public int ShrinkMinimum { get; init; } = 10;

    public int Concurrency { get; init; } = 8;

    /// <summary>
    /// How many times a write the server acknowledged but a later read does not show is sent again (in later runs)
    /// before it is reported as not taken; a forced run sends it once more.
    /// </summary>
    public int NotTakenRetries { get; init; } = 2;

    /// <summary>Normalises a rating to 0–10 in half steps (rule 6).</summary>
    public static double? NormalizeRating(double? rating) =>
        rating is not { } r || double.IsNaN(r) ? null : Math.Clamp(Math.Round(r * 2, MidpointRounding.AwayFromZero) / 2, 0, 10);

    public bool IsFinished(long positionMs, long? durationMs) =>
        durationMs is > 0 && positionMs >= durationMs.Value * WatchedThreshold;
}
