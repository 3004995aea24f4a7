using System.Globalization;
using Marquee.Core.Providers;

namespace Marquee.Core.Sync;

/// <summary>
/// The pure parts of the ledger: turning an observation into events (only what changed against the baseline) and
/// folding events into state (newest wins, ties to the flow's source).
/// </summary>
public static class Ledger
{
    /// <summary>An event not yet stored: the id is assigned when it is.</summary>
    public sealed record NewEvent(string Feature, string? Value, DateTimeOffset OccurredAt);

    /// <summary>
    /// Compares what an account shows now with its baseline. With no baseline (the first import), one event per
    /// feature with its last date; afterwards only changes. An unwatch or a cleared rating is an event only when the
    /// baseline showed the opposite (the proof). Positions past the threshold count as a finished watch.
    /// </summary>
    public static IReadOnlyList<NewEvent> Observe(ObservedState? baseline, WatchState now, long? durationMs, DateTimeOffset observedAt, SyncRules rules)
    {
        // Nearly every observation of a full run changes nothing: the list is made for the first event only.
        List<NewEvent>? events = null;
        var rating = SyncRules.NormalizeRating(now.Rating);
        var finishedByProgress = now.ProgressMs is { } p && !now.Watched && rules.IsFinished(p, durationMs);
        if (baseline is null)
        {
            if (now.Watched)
            {
                (events ??= []).Add(new NewEvent(EventFeature.Watched, Count(now.PlayCount), now.LastWatchedAt ?? observedAt));
            }

            if (rating is not null)
            {
                (events ??= []).Add(new NewEvent(EventFeature.Rating, Format(rating), now.RatedAt ?? observedAt));
            }
        }
        else
        {
            if (now.PlayCount > baseline.ViewCount)
            {
                (events ??= []).Add(baseline.Watched
                    ? new NewEvent(EventFeature.Play, Count(now.PlayCount - baseline.ViewCount), now.LastWatchedAt ?? observedAt)
                    : new NewEvent(EventFeature.Watched, Count(now.PlayCount), now.LastWatchedAt ?? observedAt));
            }
            else if (baseline.Watched && !now.Watched)
            {
                (events ??= []).Add(new NewEvent(EventFeature.Unwatched, null, observedAt));
            }

            if (rating != SyncRules.NormalizeRating(baseline.Rating))
            {
                (events ??= []).Add(new NewEvent(EventFeature.Rating, rating is null ? null : Format(rating), now.RatedAt ?? observedAt));
            }
        }

        var progressChanged = baseline is null || baseline.ProgressMs is not { } b || now.ProgressMs is not { } n || Math.Abs(b - n) > rules.ProgressToleranceMs;
        if (now.ProgressMs is { } position && position >= rules.MinProgressMs && progressChanged)
        {
            (events ??= []).Add(finishedByProgress
                ? new NewEvent(EventFeature.Watched, Count(1), now.ProgressAt ?? observedAt)
                : new NewEvent(EventFeature.Progress, position.ToString(CultureInfo.InvariantCulture), now.ProgressAt ?? observedAt));
        }

        return events ?? (IReadOnlyList<NewEvent>)[];
    }

    /// <summary>
    /// The baseline an observation is compared with. A baseline Marquee set after a write (echo suppression) counts
    /// only where the item now shows the write, feature by feature; where it does not, the write did not take and the
    /// last read value stands, so a server that acknowledged a write without applying it never shows as a change made
    /// by someone (a proven unwatch or a cleared rating, which a two-way mirror would carry back to the source).
    /// </summary>
    public static ObservedState? Against(ObservedState? baseline, WatchState now, SyncRules rules)
    {
        if (baseline?.Confirmed is not { } read)
        {
            return baseline;
        }

        var against = baseline with { Confirmed = null };
        if (baseline.ViewCount != read.ViewCount)
        {
            var shown = baseline.ViewCount > read.ViewCount ? now.PlayCount > read.ViewCount : !now.Watched;
            if (!shown)
            {
                against = against with { ViewCount = read.ViewCount, LastViewedAt = read.LastViewedAt, ProgressMs = read.ProgressMs };
            }
        }

        if (SyncRules.NormalizeRating(baseline.Rating) != SyncRules.NormalizeRating(read.Rating) && SyncRules.NormalizeRating(now.Rating) != SyncRules.NormalizeRating(baseline.Rating))
        {
            against = against with { Rating = read.Rating, RatedAt = read.RatedAt };
        }

        if (baseline.ProgressMs is { } written && written != read.ProgressMs
            && (now.ProgressMs is not { } position || Math.Abs(position - written) > rules.ProgressToleranceMs))
        {
            against = against with { ProgressMs = read.ProgressMs };
        }

        return against;
    }

    public static ObservedState Baseline(WatchState now, DateTimeOffset observedAt) =>
        new(now.PlayCount, now.LastWatchedAt, SyncRules.NormalizeRating(now.Rating), now.RatedAt, now.ProgressMs, observedAt);

    /// <summary>Whether <see cref="Baseline"/> of <paramref name="now"/> would be <paramref name="baseline"/> but for its time (nothing to store).</summary>
    public static bool SameBaseline(ObservedState baseline, WatchState now) =>
        baseline.Holds(now.PlayCount, now.LastWatchedAt, SyncRules.NormalizeRating(now.Rating), now.RatedAt, now.ProgressMs);

    /// <summary>Folds one event into a state. An older event changes nothing; a tie goes to <paramref name="preferredConnectionId"/>.</summary>
    public static LedgerState Apply(LedgerState state, LedgerEvent e, long? preferredConnectionId)
    {
        // One copy of the state per event, whatever it changes: the ledger folds an event into every item a full run
        // observes, and a copy per field group made up to four of them.
        var lastEventId = Math.Max(state.LastEventId ?? 0, e.Id);
        switch (e.Feature)
        {
            case EventFeature.Watched:
            case EventFeature.Play:
                var count = ParseCount(e.Value);
                var playCount = e.Feature == EventFeature.Play ? state.PlayCount + count : Math.Max(state.PlayCount, count);
                var (lastPlayAt, lastPlayConnectionId) = e.Feature == EventFeature.Play && Wins(e, state.LastPlayAt, state.LastPlayConnectionId, preferredConnectionId)
                    ? (e.OccurredAt, e.ConnectionId)
                    : (state.LastPlayAt, state.LastPlayConnectionId);
                if (!Wins(e, state.WatchedAt, state.WatchedConnectionId, preferredConnectionId))
                {
                    return state with { LastEventId = lastEventId, PlayCount = playCount, LastPlayAt = lastPlayAt, LastPlayConnectionId = lastPlayConnectionId };
                }

                // Finishing an item clears its resume point (rule 5).
                var clearsProgress = state.ProgressAt is not { } progressAt || progressAt <= e.OccurredAt;
                return state with
                {
                    LastEventId = lastEventId,
                    PlayCount = playCount,
                    LastPlayAt = lastPlayAt,
                    LastPlayConnectionId = lastPlayConnectionId,
                    Watched = true,
                    WatchedAt = e.OccurredAt,
                    WatchedConnectionId = e.ConnectionId,
                    ProgressMs = clearsProgress ? null : state.ProgressMs,
                    ProgressAt = clearsProgress ? e.OccurredAt : state.ProgressAt,
                    ProgressConnectionId = clearsProgress ? e.ConnectionId : state.ProgressConnectionId,
                };
            case EventFeature.Unwatched when Wins(e, state.WatchedAt, state.WatchedConnectionId, preferredConnectionId):
                return state with { LastEventId = lastEventId, Watched = false, WatchedAt = e.OccurredAt, WatchedConnectionId = e.ConnectionId };
            case EventFeature.Rating when Wins(e, state.RatedAt, state.RatingConnectionId, preferredConnectionId):
                var rating = e.Value is null ? (double?)null : SyncRules.NormalizeRating(double.Parse(e.Value, CultureInfo.InvariantCulture));
                return state with { LastEventId = lastEventId, Rating = rating, RatedAt = e.OccurredAt, RatingConnectionId = e.ConnectionId };
            case EventFeature.Progress when Wins(e, state.ProgressAt, state.ProgressConnectionId, preferredConnectionId):
                return state with { LastEventId = lastEventId, ProgressMs = long.Parse(e.Value!, CultureInfo.InvariantCulture), ProgressAt = e.OccurredAt, ProgressConnectionId = e.ConnectionId };
            default:
                return state with { LastEventId = lastEventId };
        }
    }

    private static bool Wins(LedgerEvent e, DateTimeOffset? current, long? currentConnection, long? preferred) =>
        current is not { } at || e.OccurredAt > at || (e.OccurredAt == at && e.ConnectionId == preferred && currentConnection != preferred);

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static int ParseCount(string? value) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;

    private static string Format(double? rating) => rating!.Value.ToString("0.0", CultureInfo.InvariantCulture);
}
