using System.Collections.Concurrent;
using System.Diagnostics;
using Marquee.Core.Flows;
using Marquee.Core.Providers;

namespace Marquee.Core.Sync;

/// <summary>
/// Makes a plan's writes with bounded concurrency. Each write is journaled before the call (planned) and after it
/// (written or failed) under a deterministic idempotency key; a write an earlier, interrupted run left uncertain is
/// re-read from the target before anything is sent again. After each item the target's baseline is set to what
/// Marquee wrote, so the next observation sees no change (echo suppression), with what the target showed before it
/// kept beside it until a read shows the write (<see cref="Ledger.Against"/>). A write the server acknowledged but a
/// later read contradicts is sent again at most <see cref="SyncRules.NotTakenRetries"/> times, then reported as not
/// taken (a forced run sends it once more).
/// </summary>
public sealed class SyncExecutor(IRunStore runs, ILedgerStore ledger, SyncRules rules, TimeProvider clock)
{
    public async Task<IReadOnlyDictionary<string, string>> ExecuteAsync(
        long runId,
        IReadOnlyList<PlannedWrite> writes,
        IReadOnlyDictionary<long, SyncSide> sides,
        IReadOnlyDictionary<long, ProviderAccount> accounts,
        IProgress<string>? progress,
        CancellationToken cancellationToken,
        bool retryNotTaken = false)
    {
        var outcomes = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var done = 0;
        var groups = writes.GroupBy(w => (w.ConnectionId, w.AccountId, w.LocalKey)).ToList();
        var read = await ReadBeforeAsync(groups, sides, accounts, cancellationToken);
        using var journal = new Journal(runs, ledger, await runs.FindWritesAsync([.. writes.Select(w => w.IdempotencyKey).Distinct(StringComparer.Ordinal)], cancellationToken));
        void Done()
        {
            var n = Interlocked.Increment(ref done);
            if (n % 25 == 0 || n == writes.Count)
            {
                progress?.Report($"written {n}/{writes.Count}");
            }
        }

        try
        {
            await ExecuteAllAsync();
        }
        catch
        {
            // What was sent is journaled even when the run fails or stops; a journal that cannot be written leaves the rows planned (reconciled next run).
            await journal.TryFlushAsync();
            throw;
        }

        await journal.FlushAsync();
        return outcomes;

        async Task ExecuteAllAsync()
        {
            // A target that takes many items per request gets all of one account's writes at once (Trakt: 100 per POST).
            foreach (var batch in groups.Where(g => sides[g.Key.ConnectionId].Provider is IBatchWriteSink).GroupBy(g => (g.Key.ConnectionId, g.Key.AccountId)))
            {
                await ExecuteBatchAsync(runId, [.. batch], sides[batch.Key.ConnectionId], accounts[batch.Key.AccountId], read, journal, outcomes, Done, retryNotTaken, cancellationToken);
            }

            await Parallel.ForEachAsync(
                groups.Where(g => sides[g.Key.ConnectionId].Provider is not IBatchWriteSink),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, rules.Concurrency), CancellationToken = cancellationToken },
                async (group, ct) =>
                {
                    var side = sides[group.Key.ConnectionId];
                    var account = accounts[group.Key.AccountId];
                    WatchState? expected = null;
                    var sent = false;
                    var shown = read.GetValueOrDefault(group.Key);
                    var shownBefore = shown?.State ?? group.First().Current;
                    var sharedPart = shown?.Item.WatchedWithPart == true;
                    foreach (var write in Before([.. group], shown))
                    {
                        // Planned from the last observation, the target may already show it (watched by hand since): writing
                        // again would be a second play. What it shows (after this item's earlier writes) becomes the baseline.
                        // An item holding several episodes is written only by a run that lists it with all of them.
                        var (outcome, state) = sharedPart && write.Feature == FlowFeature.Watched
                            ? (WriteStatus.Skipped + ": " + SharedPartReason, (WatchState?)null)
                            : AlreadyShown(write, expected ?? write.Current)
                            ? (WriteStatus.Skipped + ": the target already shows it", expected ?? write.Current)
                            : await ExecuteOneAsync(runId, write, side, account, journal, expected, retryNotTaken, ct);
                        expected = state ?? expected;
                        sent |= outcome == WriteStatus.Written;
                        outcomes[write.IdempotencyKey] = outcome;
                        Done();
                    }

                    await CommitBaselineAsync(journal, group.Key.AccountId, group.Key.LocalKey, expected, sent, shownBefore);
                });
        }
    }

    /// <summary>Sets the target's baseline to what Marquee wrote; until a read shows a write, what the target showed before stays beside it.</summary>
    private async Task CommitBaselineAsync(Journal journal, long accountId, string localKey, WatchState? expected, bool sent, WatchState shownBefore)
    {
        if (expected is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var baseline = Ledger.Baseline(expected, now);
        if (sent)
        {
            baseline = baseline with { Confirmed = Ledger.Baseline(shownBefore, now) };
        }

        await journal.BaselineAsync(new BaselineRow(accountId, localKey, baseline));
    }

    /// <summary>
    /// A run's journal around its writes. The plan's earlier journal rows are read once, before the first write (a key
    /// met again in the same run is read from the store, after what is pending is stored). Each write is journaled as
    /// planned before it is sent: the rows of writes about to be sent together are stored in one transaction (a group
    /// commit: while one transaction is stored, the writes that arrive wait for the next, so each waits at most one
    /// transaction's time beyond its own), and each write is sent once its own row is stored. Its outcome and the
    /// item's baseline wait, and are stored in one transaction each when <see cref="FlushSize"/> rows wait or the oldest
    /// has waited <see cref="MaxWait"/> (checked as each write ends), and when the run ends, fails or stops. A process
    /// killed in between leaves those rows planned, as a kill between the call and its journal row always could: the
    /// next run re-reads those items from the target (<see cref="ReconcileAsync"/>). Another flow that reads the same
    /// account meanwhile sees the baseline of before the write, as it could in the moment between the call and the
    /// baseline before; the wait bounds that moment.
    /// </summary>
    private sealed class Journal(IRunStore runs, ILedgerStore ledger, IReadOnlyDictionary<string, RunWrite> earlier) : IDisposable
    {
        /// <summary>Outcomes and baselines stored per transaction, at most.</summary>
        public const int FlushSize = 128;

        /// <summary>How long a row waits at most before the next write's end stores it.</summary>
        public static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(200);

        private readonly Lock _gate = new();
        private readonly SemaphoreSlim _flushing = new(1, 1);
        private readonly Lock _planGate = new();
        private List<(RunWrite Row, TaskCompletionSource<long> Id)> _toPlan = [];
        private bool _planning;
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private List<WriteOutcome> _outcomes = [];
        private List<BaselineRow> _baselines = [];
        private long _oldest;

        /// <summary>The journal row of <paramref name="idempotencyKey"/>, as <see cref="IRunStore.FindWriteAsync"/> would return it now.</summary>
        public async Task<RunWrite?> FindAsync(string idempotencyKey, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (_seen.Add(idempotencyKey))
                {
                    return earlier.GetValueOrDefault(idempotencyKey);
                }
            }

            await FlushAsync();
            return await runs.FindWriteAsync(idempotencyKey, cancellationToken);
        }

        /// <summary>Journals <paramref name="row"/> as planned, with the rows of the other writes about to be sent; its id once it is stored.</summary>
        public Task<long> PlanAsync(RunWrite row)
        {
            var id = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            bool start;
            lock (_planGate)
            {
                _toPlan.Add((row, id));
                start = !_planning;
                _planning = true;
            }

            if (start)
            {
                _ = Task.Run(PlanWaitingAsync);
            }

            return id.Task;
        }

        /// <summary>Stores the rows waiting to be planned, a transaction at a time, until none waits.</summary>
        private async Task PlanWaitingAsync()
        {
            while (true)
            {
                List<(RunWrite Row, TaskCompletionSource<long> Id)> rows;
                lock (_planGate)
                {
                    if (_toPlan.Count == 0)
                    {
                        _planning = false;
                        return;
                    }

                    (rows, _toPlan) = (_toPlan, []);
                }

                try
                {
                    var ids = await runs.InsertWritesAsync([.. rows.Select(r => r.Row)], CancellationToken.None);
                    for (var i = 0; i < rows.Count; i++)
                    {
                        rows[i].Id.SetResult(ids[i]);
                    }
                }
                catch (Exception ex)
                {
                    // Nothing of the transaction is kept: none of its writes is sent, and the run fails with the store's error, as
                    // it did when a single row could not be stored.
                    foreach (var (_, id) in rows)
                    {
                        id.SetException(ex);
                    }
                }
            }
        }

        public Task OutcomeAsync(WriteOutcome outcome) => WaitOrFlushAsync(outcome, null);

        public Task BaselineAsync(BaselineRow baseline) => WaitOrFlushAsync(null, baseline);

        private Task WaitOrFlushAsync(WriteOutcome? outcome, BaselineRow? baseline)
        {
            bool due;
            lock (_gate)
            {
                if (_outcomes.Count + _baselines.Count == 0)
                {
                    _oldest = Stopwatch.GetTimestamp();
                }

                if (outcome is not null)
                {
                    _outcomes.Add(outcome);
                }

                if (baseline is { } row)
                {
                    _baselines.Add(row);
                }

                due = _outcomes.Count + _baselines.Count >= FlushSize || Stopwatch.GetElapsedTime(_oldest) >= MaxWait;
            }

            return due ? FlushAsync() : Task.CompletedTask;
        }

        public void Dispose() => _flushing.Dispose();

        /// <summary>Stores what is pending: the outcomes first, then the baselines (never a baseline without its write's outcome before it).</summary>
        public async Task FlushAsync()
        {
            await _flushing.WaitAsync();
            try
            {
                List<WriteOutcome> outcomes;
                List<BaselineRow> baselines;
                lock (_gate)
                {
                    (outcomes, baselines) = (_outcomes, _baselines);
                    (_outcomes, _baselines) = ([], []);
                }

                await runs.UpdateWritesAsync(outcomes, CancellationToken.None);
                if (baselines.Count > 0)
                {
                    await ledger.CommitAsync(new LedgerCommit([], new Dictionary<(long, long), LedgerState>(), baselines), CancellationToken.None);
                }
            }
            finally
            {
                _flushing.Release();
            }
        }

        public async Task TryFlushAsync()
        {
            try
            {
                await FlushAsync();
            }
            catch (Exception)
            {
                // The run's own error is the one reported; these rows stay planned.
            }
        }
    }

    /// <summary>
    /// The writes of one account on a batching target: each is decided and journaled (planned) as a single write would
    /// be, then all that must be sent go to <see cref="IBatchWriteSink.WriteBatchAsync"/> together, then each is journaled
    /// written or failed and every item's baseline is set. The order of one item's writes is kept.
    /// </summary>
    private async Task ExecuteBatchAsync(
        long runId,
        IReadOnlyList<IGrouping<(long ConnectionId, long AccountId, string LocalKey), PlannedWrite>> groups,
        SyncSide side,
        ProviderAccount account,
        Dictionary<(long ConnectionId, long AccountId, string LocalKey), SourceItemState> read,
        Journal journal,
        ConcurrentDictionary<string, string> outcomes,
        Action done,
        bool retryNotTaken,
        CancellationToken cancellationToken)
    {
        var steps = new List<(IGrouping<(long ConnectionId, long AccountId, string LocalKey), PlannedWrite> Group, WatchState ShownBefore, List<BatchStep> Steps)>();
        var sends = new List<(BatchStep Step, PlannedWrite Write)>();
        foreach (var group in groups)
        {
            var shown = read.GetValueOrDefault(group.Key);
            var shownBefore = shown?.State ?? group.First().Current;
            var sharedPart = shown?.Item.WatchedWithPart == true;
            WatchState? expected = null;
            var list = new List<BatchStep>();
            foreach (var write in Before([.. group], shown))
            {
                BatchStep step;
                if (sharedPart && write.Feature == FlowFeature.Watched)
                {
                    step = new BatchStep(write, WriteStatus.Skipped + ": " + SharedPartReason, null, null, null);
                }
                else if (AlreadyShown(write, expected ?? write.Current))
                {
                    step = new BatchStep(write, WriteStatus.Skipped + ": the target already shows it", expected ?? write.Current, null, null);
                }
                else
                {
                    var prepared = await PrepareAsync(runId, write, side, account, journal, expected, retryNotTaken, cancellationToken);
                    step = new BatchStep(write, prepared.Outcome, prepared.After, prepared.JournalId, expected ?? write.Current);
                    if (prepared.JournalId is not null)
                    {
                        sends.Add((step, write));

                        // The later writes of this item are decided as if this one is taken; a failure is journaled below.
                        step = step with { After = Expect(step.Before!, write.Action, write.After) };
                    }
                }

                expected = step.After ?? expected;
                list.Add(step);
            }

            steps.Add((group, shownBefore, list));
        }

        var failures = new Dictionary<BatchStep, ProviderException>(ReferenceEqualityComparer.Instance);
        if (sends.Count > 0)
        {
            var batch = (IBatchWriteSink)side.Provider;
            var results = await batch.WriteBatchAsync(account, [.. sends.Select(s => new BatchWrite(s.Write.LocalKey, s.Write.Action, s.Write.After.WatchedAt, s.Write.After.Rating, s.Write.After.RatedAt, s.Write.After.ProgressMs, s.Write.After.DurationMs))], cancellationToken);
            for (var i = 0; i < sends.Count; i++)
            {
                if (results[i] is { } failure)
                {
                    failures[sends[i].Step] = failure;
                }
            }
        }

        foreach (var (group, shownBefore, list) in steps)
        {
            WatchState? expected = null;
            var sent = false;
            foreach (var step in list)
            {
                var outcome = step.Outcome;
                var after = step.After;
                if (step.JournalId is { } journalId)
                {
                    var before = expected ?? step.Before!;
                    if (failures.TryGetValue(step, out var failure))
                    {
                        await journal.OutcomeAsync(new WriteOutcome(journalId, runId, WriteStatus.Failed, step.Write.After.ToJson(), failure.Message, null));
                        (outcome, after) = (WriteStatus.Failed + ": " + failure.Message, null);
                    }
                    else
                    {
                        await journal.OutcomeAsync(new WriteOutcome(journalId, runId, WriteStatus.Written, step.Write.After.ToJson(), null, clock.GetUtcNow()));
                        (outcome, after) = (WriteStatus.Written, Expect(before, step.Write.Action, step.Write.After));
                    }
                }

                expected = after ?? expected;
                sent |= outcome == WriteStatus.Written;
                outcomes[step.Write.IdempotencyKey] = outcome;
                done();
            }

            await CommitBaselineAsync(journal, group.Key.AccountId, group.Key.LocalKey, expected, sent, shownBefore);
        }
    }

    /// <summary>One write of a batching target: decided (<see cref="Outcome"/>), or journaled and waiting to be sent (<see cref="JournalId"/>).</summary>
    private sealed record BatchStep(PlannedWrite Write, string Outcome, WatchState? After, long? JournalId, WatchState? Before);

    /// <summary>Why a watch of one episode of an item that holds several is not written by a run that did not list the item.</summary>
    public const string SharedPartReason = "one item holds several episodes here; a full run writes it once every episode agrees";

    /// <summary>
    /// Writes planned from the last observation (an incremental run does not list the target) get their items read from the
    /// target before any is written, so the journal's before value is what the target showed, never what Marquee last
    /// expected of it. The reads are batched per target and account (Plex: 100 items per request), not one per item.
    /// </summary>
    private static async Task<Dictionary<(long ConnectionId, long AccountId, string LocalKey), SourceItemState>> ReadBeforeAsync(
        IReadOnlyList<IGrouping<(long ConnectionId, long AccountId, string LocalKey), PlannedWrite>> groups,
        IReadOnlyDictionary<long, SyncSide> sides,
        IReadOnlyDictionary<long, ProviderAccount> accounts,
        CancellationToken cancellationToken)
    {
        var read = new Dictionary<(long, long, string), SourceItemState>();
        foreach (var target in groups.Where(g => !g.All(w => w.BeforeRead)).GroupBy(g => (g.Key.ConnectionId, g.Key.AccountId)))
        {
            IReadOnlyDictionary<string, SourceItemState> items;
            try
            {
                items = await sides[target.Key.ConnectionId].Source.ReadItemsAsync(accounts[target.Key.AccountId], [.. target.Select(g => g.Key.LocalKey)], cancellationToken);
            }
            catch (ProviderException)
            {
                continue;
            }

            foreach (var (key, item) in items)
            {
                read[(target.Key.ConnectionId, target.Key.AccountId, key)] = item;
            }
        }

        return read;
    }

    /// <summary>Whether the target, as read (and as this item's earlier writes left it), already shows what the write would make it show; a rewatch never does.</summary>
    private bool AlreadyShown(PlannedWrite write, WatchState now) =>
        write.BeforeRead && write.Action != WriteAction.Rewatch && Applied(write.Action, write.After, now, write.Before);

    /// <summary>The writes of one item with the before value read from the target, when it was read.</summary>
    private static IReadOnlyList<PlannedWrite> Before(IReadOnlyList<PlannedWrite> writes, SourceItemState? now) =>
        now is null || writes.All(w => w.BeforeRead)
            ? writes
            : [.. writes.Select(w => w with { Before = WriteValue.Of(w.Feature, now.State, now.Item.DurationMs ?? w.Before.DurationMs), Current = now.State, BeforeRead = true })];

    /// <summary>
    /// Settles the writes a killed run left "planned": each is re-read from its target and journaled as written when the
    /// target shows it (so undo reverts it), or as failed when it never arrived (the next plan sends it again).
    /// </summary>
    public async Task<int> ReconcileAsync(IReadOnlyList<RunWrite> uncertain, IReadOnlyDictionary<long, SyncSide> sides, IReadOnlyDictionary<long, ProviderAccount> accounts, CancellationToken cancellationToken)
    {
        var settled = 0;
        foreach (var write in uncertain)
        {
            if (write.LocalKey is null || !sides.TryGetValue(write.ConnectionId, out var side) || write.AccountId is not { } accountId || !accounts.TryGetValue(accountId, out var account))
            {
                continue;
            }

            var after = WriteValue.Parse(write.After) ?? new WriteValue();
            if (await JournalIfAppliedAsync(write, write.LocalKey, write.Action, after, WriteValue.Parse(write.Before) ?? new WriteValue(), side, account, cancellationToken) is null)
            {
                await runs.UpdateWriteAsync(write.Id, write.RunId, WriteStatus.Failed, write.After, "the run was stopped before the server applied this write", null, CancellationToken.None);
            }

            settled++;
        }

        return settled;
    }

    /// <summary>
    /// Re-reads the item of a journal row whose outcome is not known; when the target shows the write, the row is
    /// journaled as written (under its own run) and what the target shows is returned, else null.
    /// </summary>
    private async Task<WatchState?> JournalIfAppliedAsync(RunWrite journaled, string localKey, string action, WriteValue after, WriteValue before, SyncSide side, ProviderAccount account, CancellationToken cancellationToken)
    {
        var now = await side.Source.ReadItemAsync(account, localKey, cancellationToken);
        if (now is null || !Applied(action, after, now.State, before))
        {
            return null;
        }

        await runs.UpdateWriteAsync(journaled.Id, journaled.RunId, WriteStatus.Written, after.ToJson(), null, clock.GetUtcNow(), CancellationToken.None);
        return now.State;
    }

    /// <summary>Applies one journaled write; returns its outcome and the target's state after it (null when unchanged).</summary>
    private async Task<(string Outcome, WatchState? After)> ExecuteOneAsync(long runId, PlannedWrite write, SyncSide side, ProviderAccount account, Journal journal, WatchState? current, bool retryNotTaken, CancellationToken cancellationToken)
    {
        var before = current ?? write.Current;
        var prepared = await PrepareAsync(runId, write, side, account, journal, current, retryNotTaken, cancellationToken);
        if (prepared.JournalId is not { } journalId)
        {
            return (prepared.Outcome, prepared.After);
        }

        try
        {
            await SendAsync(side, account, write.LocalKey, write.Action, write.After, cancellationToken);
        }
        catch (ProviderException ex)
        {
            await journal.OutcomeAsync(new WriteOutcome(journalId, runId, WriteStatus.Failed, write.After.ToJson(), ex.Message, null));
            return (WriteStatus.Failed + ": " + ex.Message, null);
        }

        await journal.OutcomeAsync(new WriteOutcome(journalId, runId, WriteStatus.Written, write.After.ToJson(), null, clock.GetUtcNow()));
        return (WriteStatus.Written, Expect(before, write.Action, write.After));
    }

    /// <summary>
    /// Decides one write before it is sent: settled by an earlier run's journal row (an outcome, no journal id), or
    /// journaled as planned and to be sent (its journal id).
    /// </summary>
    private async Task<(string Outcome, WatchState? After, long? JournalId)> PrepareAsync(long runId, PlannedWrite write, SyncSide side, ProviderAccount account, Journal journal, WatchState? current, bool retryNotTaken, CancellationToken cancellationToken)
    {
        var before = current ?? write.Current;
        var earlier = await journal.FindAsync(write.IdempotencyKey, cancellationToken);
        long journalId;
        if (earlier is not null)
        {
            if (earlier.Status is WriteStatus.Written or WriteStatus.NotTaken)
            {
                if (!Contradicted(write, earlier, before))
                {
                    return (WriteStatus.Skipped + $": already written by run {earlier.RunId}", null, null);
                }

                // The server acknowledged it, but what was just read does not show it: sent again a bounded number of times.
                if (earlier.NotTaken >= rules.NotTakenRetries && !retryNotTaken)
                {
                    var why = $"the server acknowledged this write {earlier.NotTaken + 1} times, but reads do not show it";
                    await runs.UpdateWriteAsync(earlier.Id, runId, WriteStatus.NotTaken, write.After.ToJson(), why, earlier.WrittenAt, CancellationToken.None);
                    return (WriteStatus.NotTaken + ": " + why, null, null);
                }

                await runs.SetNotTakenAsync(earlier.Id, earlier.NotTaken + 1, CancellationToken.None);
            }

            // An earlier run stopped around this call (planned) or it failed: the target may or may not have it.
            if (await JournalIfAppliedAsync(earlier, write.LocalKey, write.Action, write.After, WriteValue.Parse(earlier.Before) ?? write.Before, side, account, cancellationToken) is { } shown)
            {
                return (WriteStatus.Skipped + $": already applied by run {earlier.RunId}", shown, null);
            }

            journalId = earlier.Id;
            await runs.ReplanWriteAsync(journalId, runId, Before(write), write.After.ToJson(), CancellationToken.None);
        }
        else
        {
            journalId = await journal.PlanAsync(
                new RunWrite(0, runId, write.ConnectionId, write.AccountId, write.ProfileId, write.ItemId, write.LocalKey, write.Feature, write.Action, Before(write), write.After.ToJson(), write.Reason, write.IdempotencyKey, WriteStatus.Planned, null, clock.GetUtcNow(), null));
        }

        return (WriteStatus.Planned, null, journalId);
    }

    /// <summary>
    /// Whether what was just read from the target contradicts a write journaled as made: only a read counts (never the
    /// last observation), and a rewatch only against the play count journaled before it (else a second play could follow).
    /// </summary>
    private bool Contradicted(PlannedWrite write, RunWrite earlier, WatchState now)
    {
        if (!write.BeforeRead)
        {
            return false;
        }

        var before = WriteValue.Parse(earlier.Before);
        if (write.Action == WriteAction.Rewatch && before is null)
        {
            return false;
        }

        return !Applied(write.Action, write.After, now, before ?? write.Before);
    }

    /// <summary>The journal's before value: the one read from the target, or none when it could not be read (undo then leaves the write alone).</summary>
    private static string? Before(PlannedWrite write) => write.BeforeRead ? write.Before.ToJson() : null;

    /// <summary>Sends one write through the capability it needs; a side without that capability refuses it before any request.</summary>
    public static async Task SendAsync(SyncSide side, ProviderAccount account, string localKey, string action, WriteValue value, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case WriteAction.MarkWatched:
            case WriteAction.Rewatch:
                await side.Sink.MarkWatchedAsync(account, localKey, value.WatchedAt, cancellationToken);
                break;
            case WriteAction.MarkUnwatched:
                await side.Sink.MarkUnwatchedAsync(account, localKey, cancellationToken);
                break;
            case WriteAction.SetRating:
            case WriteAction.ClearRating:
                await side.Ratings.SetRatingAsync(account, localKey, value.Rating, value.RatedAt, cancellationToken);
                break;
            case WriteAction.SetProgress:
                await side.Progress.SetProgressAsync(account, localKey, value.ProgressMs ?? 0, value.DurationMs ?? 0, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"Unknown write action '{action}'.");
        }
    }

    /// <summary>Returns true when the target already shows what the write would make it show.</summary>
    public bool Applied(string action, WriteValue after, WatchState now, WriteValue before) => action switch
    {
        WriteAction.MarkWatched => now.Watched,
        WriteAction.Rewatch => now.PlayCount > (before.PlayCount ?? 0),
        WriteAction.MarkUnwatched => !now.Watched,
        WriteAction.SetRating or WriteAction.ClearRating => SyncRules.NormalizeRating(now.Rating) == after.Rating,
        WriteAction.SetProgress => now.ProgressMs is { } p && Math.Abs(p - (after.ProgressMs ?? 0)) <= rules.ProgressToleranceMs,
        _ => false,
    };

    public static WatchState ToState(WriteValue value) => new()
    {
        PlayCount = value.PlayCount ?? 0,
        LastWatchedAt = value.LastWatchedAt,
        Rating = value.Rating,
        RatedAt = value.RatedAt,
        ProgressMs = value.ProgressMs,
    };

    /// <summary>What the target shows after a write, for its baseline: a watch clears the resume point, an unwatch too.</summary>
    private WatchState Expect(WatchState before, string action, WriteValue after) => action switch
    {
        WriteAction.MarkWatched or WriteAction.Rewatch => before with { PlayCount = before.PlayCount + 1, LastWatchedAt = clock.GetUtcNow(), ProgressMs = null },
        WriteAction.MarkUnwatched => before with { PlayCount = 0, ProgressMs = null },
        WriteAction.SetRating or WriteAction.ClearRating => before with { Rating = after.Rating, RatedAt = after.RatedAt },
        WriteAction.SetProgress => before with { ProgressMs = after.ProgressMs },
        _ => before,
    };
}
