using Marquee.Core.Providers;

namespace Marquee.Core.Sync;

/// <summary>
/// How the states of items that stand for one film are put together: the copies of an item on one side (a 4K copy
/// matched by another agent, an edition with its base's guid), and the editions a side does not have, which its base
/// version stands in for. A watch of any of them counts; nothing here removes one.
/// </summary>
public static class EditionFold
{
    /// <summary>
    /// The state of an item read from several copies that keep their own state: played when any was, the most plays and
    /// the latest play; the rating and resume point of <paramref name="lead"/> (the copy written to) unless it has none.
    /// </summary>
    public static WatchState Copies(WatchState lead, WatchState other) => new()
    {
        PlayCount = Math.Max(lead.PlayCount, other.PlayCount),
        LastWatchedAt = Latest(lead.LastWatchedAt, other.LastWatchedAt),
        Rating = lead.Rating ?? other.Rating,
        RatedAt = lead.Rating is not null ? lead.RatedAt : other.RatedAt,
        ProgressMs = lead.ProgressMs ?? other.ProgressMs,
        ProgressAt = lead.ProgressMs is not null ? lead.ProgressAt : other.ProgressAt,
    };

    /// <summary>
    /// The ledger state a base version is written from on a side that lacks some editions of it: the base's own state,
    /// with the watched part taken from those editions when one of them was watched (the latest watch wins), or when the
    /// base has no watched state of its own. Ratings and resume points stay the base's: a cut's position or rating is no
    /// measure of another cut.
    /// </summary>
    public static LedgerState Movie(LedgerState? movie, IEnumerable<LedgerState> editions)
    {
        var result = movie ?? LedgerState.Empty;
        foreach (var edition in editions)
        {
            var takes = (edition.Watched && (!result.Watched || Later(edition.WatchedAt, result.WatchedAt)))
                || (!edition.Watched && !result.Watched && Later(edition.WatchedAt, result.WatchedAt));
            if (takes)
            {
                result = result with
                {
                    Watched = edition.Watched,
                    WatchedAt = edition.WatchedAt,
                    WatchedConnectionId = edition.WatchedConnectionId,
                    PlayCount = Math.Max(result.PlayCount, edition.PlayCount),
                };
            }

            if (Later(edition.LastPlayAt, result.LastPlayAt))
            {
                result = result with { LastPlayAt = edition.LastPlayAt, LastPlayConnectionId = edition.LastPlayConnectionId };
            }
        }

        return result;
    }

    private static bool Later(DateTimeOffset? candidate, DateTimeOffset? current) => candidate is { } c && (current is not { } k || c > k);

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => Later(b, a) ? b : a;
}
