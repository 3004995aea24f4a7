using System.Globalization;
using Marquee.Core.Providers;
using Marquee.Core.Validation;

namespace Marquee.Core.Sync;

/// <summary>
/// Reverts a run's writes from the journal, newest first, as a run of its own (journaled too). The target gets back
/// the value it had before; the baseline follows, so the revert is not seen as a new change. Plex cannot take a
/// watch date, so undoing an unwatch marks the item watched now.
/// </summary>
public sealed class UndoService(IRunStore runs, ILedgerStore ledger, ProviderFactory providers, IConnectionStoreAccounts accounts, TimeProvider clock)
{
    public async Task<SyncRun> UndoAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken) ?? throw new NotFoundException("run", runId.ToString(CultureInfo.InvariantCulture));
        var writes = (await runs.ListWritesAsync(runId, cancellationToken)).Where(w => w.Status == WriteStatus.Written).OrderByDescending(w => w.Id).ToList();
        var undoId = await runs.StartAsync(run.FlowId, run.Flow, "undo", $"{{\"undo\":{runId}}}", clock.GetUtcNow(), cancellationToken);
        var started = clock.GetUtcNow();
        var sides = new Dictionary<long, SyncSide>();
        int written = 0, failed = 0, skipped = 0;
        string? message = null;
        var notReverted = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var write in writes)
        {
            if (!sides.TryGetValue(write.ConnectionId, out var side))
            {
                side = sides[write.ConnectionId] = await providers.CreateAsync(write.ConnectionId, cancellationToken);
            }

            var account = await accounts.GetProviderAccountAsync(write.AccountId ?? 0, cancellationToken);
            var before = WriteValue.Parse(write.Before) ?? new WriteValue();
            var (action, value) = Reverse(write.Action, before);
            if (action is null || account is null || write.LocalKey is null)
            {
                skipped++;
                var why = action is not null ? "the account or item is no longer known" : NotRevertible(write.Action, before);
                notReverted[why] = notReverted.GetValueOrDefault(why) + 1;
                continue;
            }

            var key = $"undo:{write.Id}";
            if (await runs.FindWriteAsync(key, cancellationToken) is { Status: WriteStatus.Written })
            {
                skipped++;
                continue;
            }

            var journalId = await runs.InsertWriteAsync(
                new RunWrite(0, undoId, write.ConnectionId, write.AccountId, write.ProfileId, write.ItemId, write.LocalKey, write.Feature, action, write.After, value.ToJson(), $"undo of run {runId}", key + ":" + undoId.ToString(CultureInfo.InvariantCulture), WriteStatus.Planned, null, clock.GetUtcNow(), null),
                cancellationToken);
            try
            {
                await SyncExecutor.SendAsync(side.Sink, account, write.LocalKey, action, value, cancellationToken);
                await runs.UpdateWriteAsync(journalId, undoId, WriteStatus.Written, value.ToJson(), null, clock.GetUtcNow(), cancellationToken);
                written++;
                if (await side.Source.ReadItemAsync(account, write.LocalKey, cancellationToken) is { } now)
                {
                    await ledger.CommitAsync(new LedgerCommit([], new Dictionary<(long, long), LedgerState>(), [new BaselineRow(write.AccountId!.Value, write.LocalKey, Ledger.Baseline(now.State, clock.GetUtcNow()))]), cancellationToken);
                }
            }
            catch (ProviderException ex)
            {
                await runs.UpdateWriteAsync(journalId, undoId, WriteStatus.Failed, value.ToJson(), ex.Message, null, cancellationToken);
                failed++;
                message = ex.Message;
            }
        }

        var requests = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var side in sides.Values)
        {
            foreach (var (endpoint, count) in side.Requests.Snapshot())
            {
                requests[$"{side.Connection.Name} {endpoint}"] = count;
            }
        }

        var summary = $"undo of run {runId}" + string.Concat(notReverted.Select(n => $"; {n.Value} write(s) not reverted: {n.Key}"));
        var result = new SyncRun(undoId, run.FlowId, run.Flow, "undo", failed > 0 ? RunStatus.Failed : RunStatus.Done, started, clock.GetUtcNow(), written + failed, written, skipped, failed, 0, requests, message is null ? summary : summary + "; " + message);
        await runs.FinishAsync(result, cancellationToken);
        return result;
    }

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
}

/// <summary>Looks up a stored account as its provider needs it.</summary>
public interface IConnectionStoreAccounts
{
    Task<ProviderAccount?> GetProviderAccountAsync(long accountId, CancellationToken cancellationToken);
}
