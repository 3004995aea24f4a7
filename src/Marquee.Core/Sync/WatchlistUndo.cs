using System.Globalization;
using System.Text.Json;
using Marquee.Core.Flows;
using Marquee.Core.Items;
using Marquee.Core.Providers;

namespace Marquee.Core.Sync;

/// <summary>
/// The before or after value of a watchlist write in the run journal: whether the title was on the list, the title as
/// the flow's watchlist baseline names it, and the pair of accounts whose baseline it belongs to. The journal row's
/// local key is <see cref="KeyPrefix"/> and the key the watchlist gives the title, so it never reads as a library item.
/// </summary>
public sealed record WatchlistJournal(bool Listed, string Kind, IReadOnlyList<string> Ids, string? Title, long SourceAccountId, long TargetAccountId)
{
    public const string KeyPrefix = "watchlist:";

    public WatchlistBaselineEntry Entry =>
        new(Kind, [.. Ids.Select(i => i.Split("://", 2)).Where(p => p.Length == 2).Select(p => new ExternalId(p[0], p[1]))], Title);

    public static WatchlistJournal Value(ProfilePair pair, WatchlistBaselineEntry entry, bool listed) =>
        new(listed, entry.Kind, [.. entry.Ids.Select(i => i.ToString())], entry.Title, pair.Source.Id, pair.Target.Id);

    /// <summary>The journal row of one step, planned: before it the title was on the list when the step removes it, and not when it adds it.</summary>
    public static RunWrite Row(long runId, ProfilePair pair, WatchlistStep step, DateTimeOffset now) =>
        new(0, runId, step.Side.Connection.Id, step.Write.AccountId, pair.ProfileId, null, KeyPrefix + step.Change.Key, FlowFeature.Watchlist, step.Write.Action, Value(pair, step.Entry, !step.Change.Add).ToJson(), Value(pair, step.Entry, step.Change.Add).ToJson(), step.Write.Reason, $"{step.Write.IdempotencyKey}:{runId.ToString(CultureInfo.InvariantCulture)}", WriteStatus.Planned, null, now, null);

    public static WatchlistJournal? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<WatchlistJournal>(json, JsonSerializerOptions.Web) is { Kind: not null, Ids: not null } value ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);
}

/// <summary>
/// Undoes a run's watchlist writes (newest first): a title the run added is taken off that watchlist again, one it removed
/// is put back, each only while the list still shows what the run left (read first), and each revert journaled in the undo
/// run. The flow's watchlist baseline follows: a title whose add is undone leaves it (it is on one list only again, which
/// is no proof that it left the other), and one whose removal is undone goes back into it, as it was before the run.
/// </summary>
public sealed class WatchlistUndo(IRunStore runs, ProviderFactory providers, IConnectionStoreAccounts accounts, IWatchlistBaselineStore baselines, TimeProvider clock) : IExternalWriteUndo
{
    public string Feature => FlowFeature.Watchlist;

    public async Task<ExternalUndoResult> UndoAsync(long runId, long undoRunId, IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken)
    {
        var flowId = (await runs.GetAsync(runId, cancellationToken))?.FlowId;
        var written = 0;
        var failed = 0;
        string? error = null;
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        void Skip(string why) => skipped[why] = skipped.GetValueOrDefault(why) + 1;
        var sides = new Dictionary<long, SyncSide>();
        var lists = new Dictionary<(long, long), IReadOnlyList<WatchlistEntry>>();
        foreach (var write in writes)
        {
            var value = WatchlistJournal.Parse(write.Before);
            var adds = write.Action == WriteAction.WatchlistRemove;
            if (value is null || flowId is null || write.LocalKey?.StartsWith(WatchlistJournal.KeyPrefix, StringComparison.Ordinal) != true || write.Action is not (WriteAction.WatchlistAdd or WriteAction.WatchlistRemove))
            {
                Skip("the journal holds no watchlist entry for the write");
                continue;
            }

            var key = write.LocalKey[WatchlistJournal.KeyPrefix.Length..];
            var account = await accounts.GetProviderAccountAsync(write.AccountId ?? 0, cancellationToken);
            if (account is null)
            {
                Skip("the account is no longer known");
                continue;
            }

            try
            {
                if (!sides.TryGetValue(write.ConnectionId, out var side))
                {
                    side = sides[write.ConnectionId] = await providers.CreateAsync(write.ConnectionId, cancellationToken);
                }

                if (side.Provider is not IWatchlist watchlist)
                {
                    Skip("the connection keeps no watchlist");
                    continue;
                }

                if (!lists.TryGetValue((write.ConnectionId, write.AccountId ?? 0), out var list))
                {
                    list = lists[(write.ConnectionId, write.AccountId ?? 0)] = await watchlist.ReadWatchlistAsync(account, cancellationToken);
                }

                var entry = value.Entry;
                var listed = list.Any(e => e.Key == key || (string.Equals(e.Type, entry.Kind, StringComparison.OrdinalIgnoreCase) && e.Ids.Intersect(entry.Ids).Any()));
                if (listed == adds)
                {
                    Skip(adds ? "on the watchlist again since the run" : "no longer on the watchlist");
                    continue;
                }

                var journal = await runs.InsertWriteAsync(
                    new RunWrite(0, undoRunId, write.ConnectionId, write.AccountId, write.ProfileId, null, write.LocalKey, Feature, adds ? WriteAction.WatchlistAdd : WriteAction.WatchlistRemove, (value with { Listed = listed }).ToJson(), (value with { Listed = adds }).ToJson(), $"undo of run {runId}", $"undo:{write.Id}:{undoRunId.ToString(CultureInfo.InvariantCulture)}", WriteStatus.Planned, null, clock.GetUtcNow(), null),
                    cancellationToken);
                try
                {
                    await ChangeAsync(side.Provider, account, new WatchlistChange(key, adds), cancellationToken);
                }
                catch (ProviderException ex)
                {
                    await runs.UpdateWriteAsync(journal, undoRunId, WriteStatus.Failed, (value with { Listed = listed }).ToJson(), ex.Message, null, CancellationToken.None);
                    throw;
                }

                await runs.UpdateWriteAsync(journal, undoRunId, WriteStatus.Written, (value with { Listed = adds }).ToJson(), null, clock.GetUtcNow(), cancellationToken);
                await FollowBaselineAsync(flowId.Value, value, adds, cancellationToken);
                written++;
            }
            catch (ProviderException ex)
            {
                failed++;
                error = ex.Message;
            }
        }

        return new ExternalUndoResult(written, skipped, failed, error);
    }

    private static async Task ChangeAsync(IProvider provider, ProviderAccount account, WatchlistChange change, CancellationToken cancellationToken)
    {
        if (provider is IWatchlistBatch batch)
        {
            if ((await batch.ChangeWatchlistAsync(account, [change], cancellationToken))[0] is { } failure)
            {
                throw failure;
            }
        }
        else if (change.Add)
        {
            await ((IWatchlist)provider).AddToWatchlistAsync(account, change.Key, cancellationToken);
        }
        else
        {
            await ((IWatchlist)provider).RemoveFromWatchlistAsync(account, change.Key, cancellationToken);
        }
    }

    /// <summary>Takes the title out of the pair's baseline, and puts it back when its removal was undone (it was agreed before the run).</summary>
    private async Task FollowBaselineAsync(long flowId, WatchlistJournal value, bool restored, CancellationToken cancellationToken)
    {
        var entry = value.Entry;
        var baseline = await baselines.LoadAsync(flowId, value.SourceAccountId, value.TargetAccountId, cancellationToken);
        var next = baseline.Where(b => b.Kind != entry.Kind || !b.Ids.Intersect(entry.Ids).Any()).ToList();
        if (restored)
        {
            next.Add(entry);
        }

        await baselines.ReplaceAsync(flowId, value.SourceAccountId, value.TargetAccountId, next, clock.GetUtcNow(), cancellationToken);
    }
}
