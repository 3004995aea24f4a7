using Marquee.Core.Items;
using Marquee.Core.Sync;

namespace Marquee.Data.Stores;

public sealed class WatchlistBaselineStore(IDatabaseProvider provider) : StoreBase(provider), IWatchlistBaselineStore
{
    public async Task<IReadOnlyList<WatchlistBaselineEntry>> LoadAsync(long flowId, long sourceAccountId, long targetAccountId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<(string Kind, string Ids, string? Title)>(Command(
            "SELECT kind, ids, title FROM watchlist_baselines WHERE flow_id = @flowId AND source_account_id = @sourceAccountId AND target_account_id = @targetAccountId",
            new { flowId, sourceAccountId, targetAccountId },
            cancellationToken));
        return [.. rows.Select(r => new WatchlistBaselineEntry(r.Kind, Ids(r.Ids), r.Title))];
    }

    public async Task ReplaceAsync(long flowId, long sourceAccountId, long targetAccountId, IReadOnlyList<WatchlistBaselineEntry> entries, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.ExecuteAsync(Command(
            "DELETE FROM watchlist_baselines WHERE flow_id = @flowId AND source_account_id = @sourceAccountId AND target_account_id = @targetAccountId",
            new { flowId, sourceAccountId, targetAccountId },
            cancellationToken,
            transaction));
        await ExecuteRowsAsync(
            db,
            transaction,
            """
            INSERT INTO watchlist_baselines (flow_id, source_account_id, target_account_id, kind, ids, title, observed_at)
            VALUES (@flow, @source, @target, @kind, @ids, @title, @now) ON CONFLICT DO NOTHING
            """,
            ["flow", "source", "target", "kind", "ids", "title", "now"],
            entries,
            (e, v) =>
            {
                v[0] = flowId;
                v[1] = sourceAccountId;
                v[2] = targetAccountId;
                v[3] = e.Kind;
                v[4] = string.Join(' ', e.Ids.Select(i => i.ToString()).Order(StringComparer.Ordinal));
                v[5] = e.Title;
                v[6] = Ms(now);
            },
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static List<ExternalId> Ids(string text) =>
        [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Split("://", 2)).Where(p => p.Length == 2).Select(p => new ExternalId(p[0], p[1]))];
}
