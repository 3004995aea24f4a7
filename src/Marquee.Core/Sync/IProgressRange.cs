namespace Marquee.Core.Sync;

/// <summary>
/// A progress sink that takes only some resume points (Trakt stores a pause from 1 % to under 80 % of the length): the
/// planner skips the others with the reason instead of sending them.
/// </summary>
public interface IProgressRange
{
    /// <summary>Why the resume point cannot be written to the item, or null when it can.</summary>
    string? Refuses(string localKey, long positionMs, long? durationMs);
}
