using System.Globalization;
using Marquee.Core.Providers;
using Marquee.Core.Validation;

namespace Marquee.Core.Sync;

/// <summary>
/// Reverts a run's writes from the journal, newest first, as a run of its own (journaled too). Each item is read from
/// its target first: a write is reverted only while the item still holds what the run left (an item watched, played
/// or rated again since is skipped with the reason), and the revert's journal row records that read as its before
/// value. A run is undone once: a second undo is refused while the first is running or done (a failed one can be run
/// again and reverts what is left). The target gets back the value it had before; the baseline follows, so the revert
/// is not seen as a new change. Plex cannot take a watch date, so undoing an unwatch marks the item watched now.
/// </summary>
public sealed class UndoService(IRunStore runs, ILedgerStore ledger, ProviderFactory providers, IConnectionStoreAccounts accounts, SyncRules rules, TimeProvider clock, IEnumerable<IExternalWriteUndo> external)
{
    private readonly Dictionary<string, IExternalWriteUndo> _external = external.ToDictionary(e => e.Feature, StringComparer.Ordinal);

    /// <summary>How far a server's clock may be ahead of Marquee's before a watch it dates after a write counts as a newer one.</summary>
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(2);

    internal static NotFoundException NoSuchRun(long runId) => new("run", runId.ToString(CultureInfo.InvariantCulture));

    public async Task<SyncRun> UndoAsync(long runId, CancellationToken cancellationToken) =>
        await UndoAsync(await runs.GetAsync(runId, cancellationToken) ?? throw NoSuchRun(runId), cancellationToken);

    /// <summary>Undoes <paramref name="run"/> as read by the caller (the flow runner reads it once, to lock its flow).</summary>
    public async Task<SyncRun> UndoAsync(SyncRun run, CancellationToken cancellationToken)
    {
        var runId = run.Id;
        var start = await runs.StartUndoAsync(runId, run.FlowId, run.Flow, clock.GetUtcNow(), cancellationToken);
        if (!start.Started)
        {
            throw new ConflictException("id", $"run {runId} was already undone by run {start.RunId}; a run is undone once (run {start.RunId} can itself be undone to redo it).");
        }

        var undoId = start.RunId;
        var started = clock.GetUtcNow();
        var writes = (await runs.ListWritesAsync(runId, cancellationToken)).Where(w => w.Status == WriteStatus.Written).ToList();
        var sides = new Dictionary<long, SyncSide>();
        var tally = new Tally();

        try
        {
            // Writes a provider made outside sync (an unmonitor) are reverted by that provider, newest first.
            foreach (var group in writes.Where(w => _external.ContainsKey(w.Feature)).GroupBy(w => w.Feature))
            {
                var reverted = await _external[group.Key].UndoAsync(runId, undoId, [.. group.OrderByDescending(w => w.Id)], cancellationToken);
                tally.Written += reverted.Written;
                foreach (var (why, count) in reverted.Skipped)
                {
                    tally.Skip(count, why);
                }

                if (reverted.Failed > 0)
                {
                    tally.Fail(reverted.Failed, reverted.Error ?? "failed");
                }
            }

            writes = [.. writes.Where(w => !_external.ContainsKey(w.Feature))];

            // Newest item first, and within an item newest write first, as the run made them.
            var items = writes.GroupBy(w => (w.ConnectionId, w.AccountId, w.LocalKey)).OrderByDescending(g => g.Max(w => w.Id));
            foreach (var item in items)
            {
                if (!sides.TryGetValue(item.Key.ConnectionId, out var side))
                {
                    side = sides[item.Key.ConnectionId] = await providers.CreateAsync(item.Key.ConnectionId, cancellationToken);
                }

                await UndoItemAsync(runId, undoId, item.OrderBy(w => w.Id).ToList(), side, tally, cancellationToken);
            }
        }
        catch (Exception ex)
        {
            // An undo that stops part-way is recorded as failed, so it can be run again for what it did not revert.
            await runs.FinishAsync(new SyncRun(undoId, run.FlowId, run.Flow, "undo", RunStatus.Failed, started, clock.GetUtcNow(), tally.Written + tally.Failed, tally.Written, tally.Skipped, tally.Failed, 0, new Dictionary<string, long>(), $"undo of run {runId} stopped: {ex.Message}"), CancellationToken.None);
            throw;
        }

        var requests = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var side in sides.Values)
        {
            foreach (var (endpoint, count) in side.Requests.Snapshot())
            {
                requests[$"{side.Connection.Name} {endpoint}"] = count;
            }
        }

        var summary = $"undo of run {runId}" + string.Concat(tally.NotReverted.Select(n => $"; {n.Value} write(s) not reverted: {n.Key}"));
        var result = new SyncRun(undoId, run.FlowId, run.Flow, "undo", tally.Failed > 0 ? RunStatus.Failed : RunStatus.Done, started, clock.GetUtcNow(), tally.Written + tally.Failed, tally.Written, tally.Skipped, tally.Failed, 0, requests, tally.Message is null ? summary : summary + "; " + tally.Message);
        await runs.FinishAsync(result, cancellationToken);
        return result;
    }

    /// <summary>Reverts the run's writes to one item of one account (<paramref name="writes"/> oldest first), after reading the item.</summary>
    private async Task UndoItemAsync(long runId, long undoId, IReadOnlyList<RunWrite> writes, SyncSide side, Tally tally, CancellationToken cancellationToken)
    {
        var first = writes[0];
        var account = await accounts.GetProviderAccountAsync(first.AccountId ?? 0, cancellationToken);
        if (account is null || first.LocalKey is null)
        {
            tally.Skip(writes.Count, "the account or item is no longer known");
            return;
        }

        SourceItemState? current;
        try
        {
            current = await side.Source.ReadItemAsync(account, first.LocalKey, cancellationToken);
        }
        catch (ProviderException ex)
        {
            tally.Fail(writes.Count, ex.Message);
            return;
        }

        if (current is null)
        {
            tally.Skip(writes.Count, "the item is no longer on the target");
            return;
        }

        var watchUnit = writes.Where(w => w.Feature is not Flows.FlowFeature.Ratings).ToList();
        var ratingUnit = writes.Where(w => w.Feature is Flows.FlowFeature.Ratings).ToList();
        var changed = new Dictionary<long, string>();
        foreach (var (unit, why) in new[] { (watchUnit, WatchChanged(watchUnit, current.State)), (ratingUnit, RatingChanged(ratingUnit, current.State)) })
        {
            foreach (var write in why is null ? [] : unit)
            {
                changed[write.Id] = why!;
            }
        }

        var wrote = false;
        foreach (var write in writes.Reverse())
        {
            var before = WriteValue.Parse(write.Before);
            if (before is null)
            {
                tally.Skip(1, "the journal holds no value read from the target before the run");
                continue;
            }

            var (action, value) = Reverse(write.Action, before);
            if (action is null)
            {
                tally.Skip(1, NotRevertible(write.Action, before));
                continue;
            }

            if (changed.TryGetValue(write.Id, out var why))
            {
                tally.Skip(1, why);
                continue;
            }

            if (wrote)
            {
                // An earlier revert changed the item: what this one journals as "before" is read again, never assumed.
                try
                {
                    current = await side.Source.ReadItemAsync(account, first.LocalKey, cancellationToken) ?? current;
                }
                catch (ProviderException ex)
                {
                    tally.Fail(1, ex.Message);
                    continue;
                }
            }

            var journalId = await runs.InsertWriteAsync(
                new RunWrite(0, undoId, write.ConnectionId, write.AccountId, write.ProfileId, write.ItemId, write.LocalKey, write.Feature, action, WriteValue.Of(write.Feature, current.State, current.Item.DurationMs).ToJson(), value.ToJson(), $"undo of run {runId}", $"undo:{write.Id}:{undoId.ToString(CultureInfo.InvariantCulture)}", WriteStatus.Planned, null, clock.GetUtcNow(), null),
                cancellationToken);
            try
            {
                await SyncExecutor.SendAsync(side, account, first.LocalKey, action, value, cancellationToken);
                await runs.UpdateWriteAsync(journalId, undoId, WriteStatus.Written, value.ToJson(), null, clock.GetUtcNow(), cancellationToken);
                tally.Written++;
                wrote = true;
            }
            catch (ProviderException ex)
            {
                await runs.UpdateWriteAsync(journalId, undoId, WriteStatus.Failed, value.ToJson(), ex.Message, null, cancellationToken);
                tally.Fail(1, ex.Message);
            }
        }

        if (wrote && await side.Source.ReadItemAsync(account, first.LocalKey, cancellationToken) is { } now)
        {
            await ledger.CommitAsync(new LedgerCommit([], new Dictionary<(long, long), LedgerState>(), [new BaselineRow(first.AccountId!.Value, first.LocalKey, Ledger.Baseline(now.State, clock.GetUtcNow()))]), cancellationToken);
        }
    }

    /// <summary>
    /// Returns why the item no longer holds what the run's watch and resume-point writes left (oldest first), or null
    /// when it does: a play dated after the run, a watch the run took away, an unwatch since, or another resume point.
    /// </summary>
    private string? WatchChanged(IReadOnlyList<RunWrite> unit, WatchState now)
    {
        if (unit.Count == 0)
        {
            return null;
        }

        var writtenAt = unit.Max(w => w.WrittenAt ?? w.CreatedAt);
        if (now.LastWatchedAt is { } last && last > writtenAt + ClockSlack)
        {
            return "watched again after the run";
        }

        var lastWatch = unit.LastOrDefault(w => w.Action is WriteAction.MarkWatched or WriteAction.Rewatch or WriteAction.MarkUnwatched);
        if (lastWatch?.Action == WriteAction.MarkUnwatched && now.Watched)
        {
            return "watched again after the run";
        }

        if (lastWatch is not null && lastWatch.Action != WriteAction.MarkUnwatched && !now.Watched)
        {
            return "unwatched after the run";
        }

        // The resume point the item should show: the run's own when it set one after its last watch, else the one it had before.
        var progress = unit.LastOrDefault(w => w.Action == WriteAction.SetProgress);
        long? expected = progress is not null && (lastWatch is null || progress.Id > lastWatch.Id)
            ? WriteValue.Parse(progress.After)?.ProgressMs
            : WriteValue.Parse(unit[0].Before)?.ProgressMs;
        var shown = now.ProgressMs is > 0 ? now.ProgressMs : null;
        var wanted = expected is > 0 ? expected : null;
        return shown == wanted || (shown is { } s && wanted is { } w && Math.Abs(s - w) <= rules.ProgressToleranceMs)
            ? null
            : "played again after the run";
    }

    /// <summary>Returns why the item no longer holds the rating the run's last rating write left, or null when it does.</summary>
    private static string? RatingChanged(IReadOnlyList<RunWrite> unit, WatchState now) =>
        unit.Count == 0 || SyncRules.NormalizeRating(now.Rating) == WriteValue.Parse(unit[^1].After)?.Rating
            ? null
            : "rated again after the run";

    private static string NotRevertible(string action, WriteValue before) => action switch
    {
        WriteAction.Rewatch => "an added play cannot be taken back (the providers have no call that removes one play)",
        WriteAction.MarkWatched when before.PlayCount is > 0 => "the item was already watched before the run",
        WriteAction.SetProgress => "the item was watched before the run and the providers cannot clear only a resume point",
        _ => $"'{action}' has no reverse",
    };

    private static (string? Action, WriteValue Value) Reverse(string action, WriteValue before) => action switch
    {
        WriteAction.MarkWatched => (before.PlayCount is > 0 ? null : WriteAction.MarkUnwatched, new WriteValue { PlayCount = 0 }),
        WriteAction.MarkUnwatched => (WriteAction.MarkWatched, new WriteValue { PlayCount = before.PlayCount, WatchedAt = before.LastWatchedAt }),
        WriteAction.SetRating or WriteAction.ClearRating => (before.Rating is null ? WriteAction.ClearRating : WriteAction.SetRating, new WriteValue { Rating = before.Rating, RatedAt = before.RatedAt }),
        // Plex has no call that clears a resume point except an unwatch, which is exact when the item was unwatched.
        WriteAction.SetProgress when before.ProgressMs is null or 0 => (before.PlayCount is null or 0 ? WriteAction.MarkUnwatched : null, new WriteValue { PlayCount = 0 }),
        WriteAction.SetProgress => (WriteAction.SetProgress, new WriteValue { ProgressMs = before.ProgressMs, DurationMs = before.DurationMs }),
        _ => (null, new WriteValue()),
    };

    /// <summary>What an undo did so far, for its run row.</summary>
    private sealed class Tally
    {
        public int Written { get; set; }

        public int Skipped { get; private set; }

        public int Failed { get; private set; }

        public string? Message { get; private set; }

        public SortedDictionary<string, int> NotReverted { get; } = new(StringComparer.Ordinal);

        public void Skip(int count, string why)
        {
            Skipped += count;
            NotReverted[why] = NotReverted.GetValueOrDefault(why) + count;
        }

        public void Fail(int count, string message)
        {
            Failed += count;
            Message = message;
        }
    }
}

/// <summary>Looks up a stored account as its provider needs it.</summary>
public interface IConnectionStoreAccounts
{
    Task<ProviderAccount?> GetProviderAccountAsync(long accountId, CancellationToken cancellationToken);
}

/// <summary>The outcome of starting an undo: the new undo run (<see cref="Started"/>), or the undo that already reverted the run.</summary>
public sealed record UndoStart(long RunId, bool Started);
