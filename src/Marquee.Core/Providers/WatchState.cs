using Marquee.Core.Items;

namespace Marquee.Core.Providers;

/// <summary>
/// One account's state of one item on a connection. Absent values mean "none": not watched, not rated,
/// no resume point. Ratings are 0–10. The values are kept packed (<see cref="Packed"/>): a full run holds one state per
/// listed item and side.
/// </summary>
public sealed record WatchState
{
    private readonly long _lastWatchedAt = Packed.None;
    private readonly double _rating = double.NaN;
    private readonly long _ratedAt = Packed.None;
    private readonly long _progressMs = Packed.None;
    private readonly long _progressAt = Packed.None;
    private readonly double _progressPercent = double.NaN;

    public static WatchState Empty { get; } = new();

    public int PlayCount { get; init; }

    public bool Watched => PlayCount > 0;

    public DateTimeOffset? LastWatchedAt { get => Packed.Time(_lastWatchedAt); init => _lastWatchedAt = Packed.Pack(value); }

    public double? Rating { get => Packed.Double(_rating); init => _rating = Packed.Pack(value); }

    public DateTimeOffset? RatedAt { get => Packed.Time(_ratedAt); init => _ratedAt = Packed.Pack(value); }

    public long? ProgressMs { get => Packed.Long(_progressMs); init => _progressMs = Packed.Pack(value); }

    public DateTimeOffset? ProgressAt { get => Packed.Time(_progressAt); init => _progressAt = Packed.Pack(value); }

    /// <summary>
    /// The resume point as a share of the item's length (0–100), from a provider that keeps no lengths (Trakt): the run
    /// turns it into <see cref="ProgressMs"/> with the length the other side lists for the item, or drops it.
    /// </summary>
    public double? ProgressPercent { get => Packed.Double(_progressPercent); init => _progressPercent = Packed.Pack(value); }

    /// <summary>The same state, as <see cref="Empty"/> itself when it shows nothing (so a listing of unwatched items shares one).</summary>
    public WatchState Shared() => Equals(Empty) ? Empty : this;
}
