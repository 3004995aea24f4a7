using Marquee.Core.Items;

namespace Marquee.Core.Sync;

/// <summary>Where a ledger event came from.</summary>
public static class EventOrigin
{
    public const string Scan = "scan";
    public const string Manual = "manual";
    public const string Webhook = "webhook";
    public const string Poll = "poll";
    public const string Marquee = "marquee";
}

/// <summary>What a ledger event records.</summary>
public static class EventFeature
{
    public const string Watched = "watched";
    public const string Unwatched = "unwatched";
    public const string Play = "play";
    public const string Rating = "rating";
    public const string Progress = "progress";
}

/// <summary>What a planned write does to the target.</summary>
public static class WriteAction
{
    public const string MarkWatched = "mark-watched";
    public const string Rewatch = "rewatch";
    public const string MarkUnwatched = "mark-unwatched";
    public const string SetRating = "set-rating";
    public const string ClearRating = "clear-rating";
    public const string SetProgress = "set-progress";
    public const string WatchlistAdd = "watchlist-add";
    public const string WatchlistRemove = "watchlist-remove";

    /// <summary>Returns true for writes that take something away (guarded, never on a first run, never in add-only mode).</summary>
    public static bool IsRemoval(string action) => action is MarkUnwatched or ClearRating or WatchlistRemove;
}

public static class RunStatus
{
    public const string Running = "running";
    public const string Done = "done";

    /// <summary>The run finished, but left something out that the user must see (a profile it skipped); its message says what.</summary>
    public const string DoneWithWarnings = "done-with-warnings";

    public const string Failed = "failed";
    public const string Held = "held";
    public const string Interrupted = "interrupted";
    public const string DryRun = "dry-run";
}

public static class WriteStatus
{
    public const string Planned = "planned";
    public const string Written = "written";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    /// <summary>The server acknowledged the write, but later reads do not show it, after every retry (see <see cref="SyncRules.NotTakenRetries"/>).</summary>
    public const string NotTaken = "not-taken";
}

public static class UnresolvedReason
{
    public const string NoIds = "no ids";
    public const string ConflictingIds = "conflicting ids";
    public const string Ambiguous = "ambiguous";
}

/// <summary>One immutable ledger row.</summary>
public sealed record LedgerEvent(
    long Id,
    long ProfileId,
    long ItemId,
    string Feature,
    string? Value,
    DateTimeOffset OccurredAt,
    DateTimeOffset ObservedAt,
    long? ConnectionId,
    long? AccountId,
    string Origin,
    long? RunId);

/// <summary>
/// The current state of one item for one profile, derived from the ledger. Each feature remembers when it last
/// changed, from which connection and through which event, so newest-wins and tie-breaking need no second look.
/// <see cref="WatchedAt"/> is the time of the last watched or proven unwatched event; a cleared rating has
/// <see cref="RatedAt"/> set and <see cref="Rating"/> null. Its values are kept packed (<see cref="Packed"/>): a full run
/// holds one state per item of a profile.
/// </summary>
public sealed record LedgerState
{
    private readonly long _watchedAt = Packed.None;
    private readonly long _watchedConnectionId = Packed.None;
    private readonly long _lastPlayAt = Packed.None;
    private readonly long _lastPlayConnectionId = Packed.None;
    private readonly double _rating = double.NaN;
    private readonly long _ratedAt = Packed.None;
    private readonly long _ratingConnectionId = Packed.None;
    private readonly long _progressMs = Packed.None;
    private readonly long _progressAt = Packed.None;
    private readonly long _progressConnectionId = Packed.None;
    private readonly long _lastEventId = Packed.None;

    public static LedgerState Empty { get; } = new();

    public bool Watched { get; init; }

    public DateTimeOffset? WatchedAt { get => Packed.Time(_watchedAt); init => _watchedAt = Packed.Pack(value); }

    public long? WatchedConnectionId { get => Packed.Long(_watchedConnectionId); init => _watchedConnectionId = Packed.Pack(value); }

    public int PlayCount { get; init; }

    public DateTimeOffset? LastPlayAt { get => Packed.Time(_lastPlayAt); init => _lastPlayAt = Packed.Pack(value); }

    public long? LastPlayConnectionId { get => Packed.Long(_lastPlayConnectionId); init => _lastPlayConnectionId = Packed.Pack(value); }

    public double? Rating { get => Packed.Double(_rating); init => _rating = Packed.Pack(value); }

    public DateTimeOffset? RatedAt { get => Packed.Time(_ratedAt); init => _ratedAt = Packed.Pack(value); }

    public long? RatingConnectionId { get => Packed.Long(_ratingConnectionId); init => _ratingConnectionId = Packed.Pack(value); }

    public long? ProgressMs { get => Packed.Long(_progressMs); init => _progressMs = Packed.Pack(value); }

    public DateTimeOffset? ProgressAt { get => Packed.Time(_progressAt); init => _progressAt = Packed.Pack(value); }

    public long? ProgressConnectionId { get => Packed.Long(_progressConnectionId); init => _progressConnectionId = Packed.Pack(value); }

    public long? LastEventId { get => Packed.Long(_lastEventId); init => _lastEventId = Packed.Pack(value); }
}

/// <summary>
/// What an account on a connection last showed for an item: the baseline that proves an unwatch or a cleared rating.
/// Its values are kept packed (<see cref="Packed"/>): a full run holds one baseline per listed item and account.
/// </summary>
public sealed record ObservedState
{
    private readonly long _lastViewedAt;
    private readonly double _rating;
    private readonly long _ratedAt;
    private readonly long _progressMs;
    private readonly long _observedAt;

    public ObservedState(int viewCount, DateTimeOffset? lastViewedAt, double? rating, DateTimeOffset? ratedAt, long? progressMs, DateTimeOffset observedAt)
    {
        ViewCount = viewCount;
        _lastViewedAt = Packed.Pack(lastViewedAt);
        _rating = Packed.Pack(rating);
        _ratedAt = Packed.Pack(ratedAt);
        _progressMs = Packed.Pack(progressMs);
        _observedAt = observedAt.UtcTicks;
    }

    public int ViewCount { get; init; }

    public DateTimeOffset? LastViewedAt { get => Packed.Time(_lastViewedAt); init => _lastViewedAt = Packed.Pack(value); }

    public double? Rating { get => Packed.Double(_rating); init => _rating = Packed.Pack(value); }

    public DateTimeOffset? RatedAt { get => Packed.Time(_ratedAt); init => _ratedAt = Packed.Pack(value); }

    public long? ProgressMs { get => Packed.Long(_progressMs); init => _progressMs = Packed.Pack(value); }

    public DateTimeOffset ObservedAt { get => new(_observedAt, TimeSpan.Zero); init => _observedAt = value.UtcTicks; }

    public bool Watched => ViewCount > 0;

    /// <summary>
    /// Whether this baseline equals, but for its time, the one made of these values (<see cref="Ledger.Baseline"/>): the
    /// same values and no read kept beside it. Compared as the record compares them, without making the other baseline
    /// (a full run asks this of every listed item and account).
    /// </summary>
    public bool Holds(int viewCount, DateTimeOffset? lastViewedAt, double? rating, DateTimeOffset? ratedAt, long? progressMs) =>
        Confirmed is null
        && ViewCount == viewCount
        && _lastViewedAt == Packed.Pack(lastViewedAt)
        && _rating.Equals(Packed.Pack(rating))
        && _ratedAt == Packed.Pack(ratedAt)
        && _progressMs == Packed.Pack(progressMs);

    /// <summary>
    /// What a read last showed, while this baseline is what Marquee's write should have made the item show and no read
    /// has shown it yet; null once a read has. See <see cref="Ledger.Against"/>.
    /// </summary>
    public ObservedState? Confirmed { get; init; }
}

/// <summary>An item of the ledger with what matching needs.</summary>
public sealed record LedgerItem(
    long Id,
    MediaKind Kind,
    string? Title,
    int? Year,
    long? ParentItemId,
    int? Season,
    int? Episode,
    string? Edition);

/// <summary>An item that could not be matched, with why.</summary>
public sealed record UnresolvedItem(
    long ConnectionId,
    string ConnectionName,
    string LocalKey,
    string? Kind,
    string? Title,
    string Reason,
    string? Detail,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt,
    int Attempts);

/// <summary>One execution of a flow (or of an undo).</summary>
public sealed record SyncRun(
    long Id,
    long? FlowId,
    string Flow,
    string Trigger,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int Planned,
    int Written,
    int Skipped,
    int Failed,
    int Unresolved,
    IReadOnlyDictionary<string, long> Requests,
    string? Message);

/// <summary>A journal row: one write a run planned or made, with the target's value before and after.</summary>
/// <summary>The outcome of one journaled write, to be stored on its row <paramref name="Id"/> (see <see cref="IRunStore.UpdateWritesAsync"/>).</summary>
public sealed record WriteOutcome(long Id, long RunId, string Status, string? After, string? Error, DateTimeOffset? WrittenAt);

public sealed record RunWrite(
    long Id,
    long RunId,
    long ConnectionId,
    long? AccountId,
    long? ProfileId,
    long? ItemId,
    string? LocalKey,
    string Feature,
    string Action,
    string? Before,
    string? After,
    string? Reason,
    string IdempotencyKey,
    string Status,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? WrittenAt)
{
    /// <summary>How many times a read contradicted this write after the server acknowledged it.</summary>
    public int NotTaken { get; init; }
}
