namespace Marquee.Core.Providers;

/// <summary>
/// One account's state of one item on a connection. Absent values mean "none": not watched, not rated,
/// no resume point. Ratings are 0–10.
/// </summary>
public sealed record WatchState
{
    public static WatchState Empty { get; } = new();

    public int PlayCount { get; init; }

    public bool Watched => PlayCount > 0;

    public DateTimeOffset? LastWatchedAt { get; init; }

    public double? Rating { get; init; }

    public DateTimeOffset? RatedAt { get; init; }

    public long? ProgressMs { get; init; }

    public DateTimeOffset? ProgressAt { get; init; }

    /// <summary>
    /// The resume point as a share of the item's length (0–100), from a provider that keeps no lengths (Trakt): the run
    /// turns it into <see cref="ProgressMs"/> with the length the other side lists for the item, or drops it.
    /// </summary>
    public double? ProgressPercent { get; init; }
}
