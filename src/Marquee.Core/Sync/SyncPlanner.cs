using System.Globalization;
using System.Text.Json;
using Marquee.Core.Flows;
using Marquee.Core.Items;
using Marquee.Core.Providers;

namespace Marquee.Core.Sync;

/// <summary>
/// One item of one target account, with the ledger's state for the profile and what the target shows now;
/// <see cref="TargetRead"/> is false when <see cref="Target"/> is the last observation rather than a read of this run.
/// </summary>
public sealed record PlanItem(long ItemId, string LocalKey, string? Title, long? DurationMs, LedgerState State, WatchState Target, bool TargetRead = true);

/// <summary>What the planner needs to know about the flow and the side it writes to.</summary>
public sealed record PlanContext(
    long FlowId,
    long FlowSourceConnectionId,
    IReadOnlyList<string> Features,
    bool Mirror,
    bool FirstRun,
    long ProfileId,
    long TargetConnectionId,
    string TargetConnectionName,
    long TargetAccountId);

/// <summary>The target's value of one feature, as written to the journal (before and after); kept packed (<see cref="Packed"/>), one or two per planned write.</summary>
public sealed record WriteValue
{
    private readonly int _playCount = Packed.NoNumber;
    private readonly long _lastWatchedAt = Packed.None;
    private readonly long _watchedAt = Packed.None;
    private readonly double _rating = double.NaN;
    private readonly long _ratedAt = Packed.None;
    private readonly long _progressMs = Packed.None;
    private readonly long _durationMs = Packed.None;

    public int? PlayCount { get => Packed.Int(_playCount); init => _playCount = Packed.Pack(value); }

    public DateTimeOffset? LastWatchedAt { get => Packed.Time(_lastWatchedAt); init => _lastWatchedAt = Packed.Pack(value); }

    public DateTimeOffset? WatchedAt { get => Packed.Time(_watchedAt); init => _watchedAt = Packed.Pack(value); }

    public double? Rating { get => Packed.Double(_rating); init => _rating = Packed.Pack(value); }

    public DateTimeOffset? RatedAt { get => Packed.Time(_ratedAt); init => _ratedAt = Packed.Pack(value); }

    public long? ProgressMs { get => Packed.Long(_progressMs); init => _progressMs = Packed.Pack(value); }

    public long? DurationMs { get => Packed.Long(_durationMs); init => _durationMs = Packed.Pack(value); }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static WriteValue? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<WriteValue>(json, Options);

    /// <summary>One feature's value as a target shows it (<paramref name="state"/> as read from it), for a journal row's before value.</summary>
    public static WriteValue Of(string feature, WatchState state, long? durationMs) => feature switch
    {
        FlowFeature.Ratings => new WriteValue { Rating = SyncRules.NormalizeRating(state.Rating), RatedAt = state.RatedAt },
        FlowFeature.Progress => new WriteValue { PlayCount = state.PlayCount, ProgressMs = state.ProgressMs, DurationMs = durationMs },
        _ => new WriteValue { PlayCount = state.PlayCount, LastWatchedAt = state.LastWatchedAt, ProgressMs = state.ProgressMs, DurationMs = durationMs },
    };
}

/// <summary>One write the plan would make, with its reason; <see cref="SkipReason"/> is set when a rule holds it back.</summary>
public sealed record PlannedWrite(
    long ProfileId,
    long ItemId,
    string? Title,
    long ConnectionId,
    string ConnectionName,
    long AccountId,
    string LocalKey,
    string Feature,
    string Action,
    WriteValue Before,
    WriteValue After,
    string Reason,
    string IdempotencyKey,
    WatchState Current,
    string? SkipReason = null,
    bool BeforeRead = true)
{
    public bool IsRemoval => WriteAction.IsRemoval(Action);
}

/// <summary>
/// Decides, per profile, item and feature, what a target must be written so it matches the ledger
/// (DESIGN.md section 4). Pure: the same input gives the same plan, which makes a finished sync plan nothing.
/// </summary>
public sealed class SyncPlanner(SyncRules rules)
{
    public IReadOnlyList<PlannedWrite> Plan(PlanContext context, IEnumerable<PlanItem> items)
    {
        var writes = new List<PlannedWrite>();
        foreach (var item in items)
        {
            if (context.Features.Contains(FlowFeature.Watched))
            {
                PlanWatched(context, item, writes);
            }

            if (context.Features.Contains(FlowFeature.Ratings))
            {
                PlanRating(context, item, writes);
            }

            if (context.Features.Contains(FlowFeature.Progress))
            {
                PlanProgress(context, item, writes);
            }
        }

        return writes;
    }

    private void PlanWatched(PlanContext context, PlanItem item, List<PlannedWrite> writes)
    {
        var state = item.State;
        var target = item.Target;
        var before = WriteValue.Of(FlowFeature.Watched, target, item.DurationMs);
        if (state.Watched)
        {
            if (!target.Watched)
            {
                writes.Add(Write(context, item, FlowFeature.Watched, WriteAction.MarkWatched, before, new WriteValue { PlayCount = 1, WatchedAt = state.WatchedAt }, $"watched at {Time(state.WatchedAt)} (from connection {state.WatchedConnectionId})", state.WatchedAt));
            }
            else if (state.LastPlayAt is { } play && state.LastPlayConnectionId != context.TargetConnectionId && (target.LastWatchedAt is not { } last || play > last))
            {
                // A rewatch observed elsewhere after the target's last play: one more play, once (its event id is in the key).
                writes.Add(Write(context, item, FlowFeature.Watched, WriteAction.Rewatch, before, new WriteValue { PlayCount = target.PlayCount + 1, WatchedAt = play }, $"played again at {Time(play)} (from connection {state.LastPlayConnectionId})", state.LastPlayAt));
            }
        }
        else if (state.WatchedAt is { } unwatchedAt && target.Watched && (target.LastWatchedAt is not { } last || last <= unwatchedAt))
        {
            writes.Add(Removal(context, Write(context, item, FlowFeature.Watched, WriteAction.MarkUnwatched, before, new WriteValue { PlayCount = 0 }, $"unwatched at {Time(unwatchedAt)} (proven on connection {state.WatchedConnectionId})", state.WatchedAt)));
        }
    }

    private static void PlanRating(PlanContext context, PlanItem item, List<PlannedWrite> writes)
    {
        var state = item.State;
        if (state.RatedAt is not { } ratedAt)
        {
            return;
        }

        var before = WriteValue.Of(FlowFeature.Ratings, item.Target, item.DurationMs);
        var current = before.Rating;
        if (state.Rating is { } rating && current != rating)
        {
            writes.Add(Write(context, item, FlowFeature.Ratings, WriteAction.SetRating, before, new WriteValue { Rating = rating, RatedAt = ratedAt }, $"rated {rating.ToString("0.0", CultureInfo.InvariantCulture)} at {Time(ratedAt)} (from connection {state.RatingConnectionId})", state.RatedAt));
        }
        else if (state.Rating is null && current is not null && (item.Target.RatedAt is not { } targetAt || targetAt <= ratedAt))
        {
            writes.Add(Removal(context, Write(context, item, FlowFeature.Ratings, WriteAction.ClearRating, before, new WriteValue(), $"rating cleared at {Time(ratedAt)} (on connection {state.RatingConnectionId})", state.RatedAt)));
        }
    }

    private void PlanProgress(PlanContext context, PlanItem item, List<PlannedWrite> writes)
    {
        var state = item.State;
        var target = item.Target;
        var before = WriteValue.Of(FlowFeature.Progress, target, item.DurationMs);
        if (state.ProgressMs is { } position)
        {
            // A watch written to this item in this plan clears the target's resume point (a scrobble does), so a
            // position newer than the watch (a rewatch under way) is written after it even when the target shows it now.
            var watchPlanned = writes.Any(w => w.ItemId == item.ItemId && w.AccountId == context.TargetAccountId && w.SkipReason is null
                && w.Action is WriteAction.MarkWatched or WriteAction.Rewatch);

            // A position the target would count as finished (its copy can be shorter) is not written: the target would
            // record a play nobody made and drop the resume point, so every later run would plan it again.
            if (position >= rules.MinProgressMs && !rules.IsFinished(position, item.DurationMs)
                && (watchPlanned || target.ProgressMs is not { } current || Math.Abs(current - position) > rules.ProgressToleranceMs))
            {
                writes.Add(Write(context, item, FlowFeature.Progress, WriteAction.SetProgress, before, new WriteValue { ProgressMs = position, DurationMs = item.DurationMs }, $"resume at {position / 1000}s since {Time(state.ProgressAt)} (from connection {state.ProgressConnectionId})", state.ProgressAt));
            }
        }

        // A finished item has no resume point in the ledger; marking it watched clears the target's (Plex's scrobble
        // does), and a target that is already watched keeps a partial rewatch's position rather than receive a
        // second play.
    }

    private static PlannedWrite Removal(PlanContext context, PlannedWrite write) =>
        !context.Mirror ? write with { SkipReason = "add-only flow never removes" }
        : context.FirstRun ? write with { SkipReason = "the first run of a flow never removes" }
        : write;

    private static PlannedWrite Write(PlanContext context, PlanItem item, string feature, string action, WriteValue before, WriteValue after, string reason, DateTimeOffset? basis) =>
        new(
            context.ProfileId,
            item.ItemId,
            item.Title,
            context.TargetConnectionId,
            context.TargetConnectionName,
            context.TargetAccountId,
            item.LocalKey,
            feature,
            action,
            before,
            after,
            reason,
            IdempotencyKey(context, item.ItemId, feature, action, after, basis),
            item.Target,
            BeforeRead: item.TargetRead);

    /// <summary>Deterministic for the same flow, profile, item, account, feature, target value and the time of the ledger change behind it, so a resumed run finds its earlier journal row.</summary>
    public static string IdempotencyKey(PlanContext context, long itemId, string feature, string action, WriteValue after, DateTimeOffset? basis) =>
        string.Create(CultureInfo.InvariantCulture, $"{context.FlowId}|{context.ProfileId}|{itemId}|{context.TargetAccountId}|{feature}|{action}|{after.Rating}|{after.ProgressMs}|{basis?.ToUnixTimeMilliseconds()}");

    private static string Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "?";
}
