using System.Data.Common;
using Marquee.Core.Items;
using Marquee.Core.Sync;

namespace Marquee.Data.Stores;

public sealed class IdentityStore(IDatabaseProvider provider) : StoreBase(provider), IIdentityStore
{
    public async Task<IdentitySnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        // A full run's snapshot: every item, id and local key (about 90,000, 300,000 and 180,000 rows on the reference
        // library), read column by column into the model, each table once, with no mapped copy beside it. Counted first,
        // so each list is made at its size: grown by doubling, the two larger ones left about as much again behind them in
        // the large object heap, which only a full collection frees. A row stored between the count and the read only
        // makes its list grow.
        await using var db = await OpenAsync(cancellationToken);
        var (itemRows, idRows, keyRows) = (0, 0, 0);
        await ReadRowsAsync(db, "SELECT (SELECT COUNT(*) FROM items), (SELECT COUNT(*) FROM item_ids), (SELECT COUNT(*) FROM source_items WHERE item_id IS NOT NULL)", [], [], r =>
            (itemRows, idRows, keyRows) = (Rows(r.GetInt64(0)), Rows(r.GetInt64(1)), Rows(r.GetInt64(2))), cancellationToken);
        var items = new List<LedgerItem>(itemRows);
        await ReadRowsAsync(db, "SELECT id, kind, title, year, parent_item_id, season, episode, edition FROM items", [], [], r => items.Add(new LedgerItem(
            r.GetInt64(0),
            Kind(r.GetString(1)),
            r.IsDBNull(2) ? null : r.GetString(2),
            (int?)OptLong(r, 3),
            OptLong(r, 4),
            (int?)OptLong(r, 5),
            (int?)OptLong(r, 6),
            r.IsDBNull(7) ? null : r.GetString(7))), cancellationToken);
        var ids = new List<(ExternalId, long)>(idRows);
        await ReadRowsAsync(db, "SELECT scheme, value, item_id FROM item_ids", [], [], r => ids.Add((new ExternalId(Scheme(r.GetString(0)), r.GetString(1)), r.GetInt64(2))), cancellationToken);
        var keys = new List<(long, string, long, long)>(keyRows);
        await ReadRowsAsync(db, LinkColumns + " WHERE item_id IS NOT NULL", [], [], r => keys.Add((r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3))), cancellationToken);
        return new IdentitySnapshot(items, ids, keys);
    }

    /// <summary>A row count as a list's starting size.</summary>
    private static int Rows(long count) => (int)Math.Clamp(count, 0, Array.MaxLength);

    /// <summary>The columns every read of the snapshot's local keys takes; a link stored before fingerprints were kept reads as <see cref="LinkFingerprint.None"/>.</summary>
    private static readonly string LinkColumns = $"SELECT connection_id, local_key, item_id, COALESCE(fingerprint, {LinkFingerprint.None}) FROM source_items";

    /// <summary>A stored scheme as the constant of <see cref="ExternalId"/> when it is one: one string per scheme, not per id.</summary>
    private static string Scheme(string scheme) => scheme switch
    {
        ExternalId.Imdb => ExternalId.Imdb,
        ExternalId.Tmdb => ExternalId.Tmdb,
        ExternalId.Tvdb => ExternalId.Tvdb,
        ExternalId.Plex => ExternalId.Plex,
        ExternalId.AniDb => ExternalId.AniDb,
        ExternalId.TvMaze => ExternalId.TvMaze,
        ExternalId.Shoko => ExternalId.Shoko,
        ExternalId.AniDbEpisode => ExternalId.AniDbEpisode,
        _ => scheme,
    };

    private static MediaKind Kind(string kind) => Enum.TryParse<MediaKind>(kind, ignoreCase: true, out var parsed) ? parsed : MediaKind.Movie;

    public async Task<IdentitySnapshot> LoadForAsync(IReadOnlyCollection<ExternalId> ids, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var found = new List<(ExternalId Id, long ItemId)>();
        foreach (var scheme in ids.GroupBy(i => i.Scheme, StringComparer.Ordinal))
        {
            foreach (var values in scheme.Select(i => i.Value).Distinct(StringComparer.Ordinal).Chunk(Batch))
            {
                var rows = await db.QueryAsync<(string Value, long ItemId)>(Command("SELECT value, item_id FROM item_ids WHERE scheme = @scheme AND value IN @values", new { scheme = scheme.Key, values }, cancellationToken));
                found.AddRange(rows.Select(r => (new ExternalId(scheme.Key, r.Value), r.ItemId)));
            }
        }

        return await AroundAsync(db, found, found.Select(f => f.ItemId), cancellationToken);
    }

    public async Task<IdentitySnapshot> LoadForAsync(long connectionId, string localKey, IReadOnlyCollection<ExternalId> ids, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var found = new List<(ExternalId Id, long ItemId)>();
        foreach (var id in ids.Select(i => new ExternalId(i.Scheme.Trim().ToLowerInvariant(), i.Value.Trim())).Distinct())
        {
            var itemId = await db.ExecuteScalarAsync<long?>(Command("SELECT item_id FROM item_ids WHERE scheme = @Scheme AND value = @Value", new { id.Scheme, id.Value }, cancellationToken));
            if (itemId is { } match)
            {
                found.Add((id, match));
            }
        }

        var named = found.Select(f => f.ItemId).ToHashSet();
        if (await db.ExecuteScalarAsync<long?>(Command("SELECT item_id FROM source_items WHERE connection_id = @connectionId AND local_key = @localKey", new { connectionId, localKey }, cancellationToken)) is { } known)
        {
            named.Add(known);
        }

        return await AroundAsync(db, found, named, cancellationToken);
    }

    /// <summary>
    /// The snapshot around some items: those items and their episodes (an episode can match by its show, season and
    /// episode number), every local key of all of them, and the ids already found.
    /// </summary>
    private async Task<IdentitySnapshot> AroundAsync(DbConnection db, List<(ExternalId Id, long ItemId)> found, IEnumerable<long> named, CancellationToken cancellationToken)
    {
        var items = new Dictionary<long, LedgerItem>();
        foreach (var chunk in named.Distinct().Chunk(Batch))
        {
            var rows = await db.QueryAsync<ItemDbRow>(Command("SELECT id, kind, title, year, parent_item_id, season, episode, edition FROM items WHERE id IN @chunk OR parent_item_id IN @chunk", new { chunk }, cancellationToken));
            foreach (var row in rows)
            {
                items.TryAdd(row.Id, row.ToModel());
            }
        }

        var keys = new List<(long ConnectionId, string LocalKey, long ItemId, long Fingerprint)>();
        foreach (var chunk in items.Keys.Chunk(Batch))
        {
            keys.AddRange(await db.QueryAsync<(long ConnectionId, string LocalKey, long ItemId, long Fingerprint)>(Command(LinkColumns + " WHERE item_id IN @chunk", new { chunk }, cancellationToken)));
        }

        return new IdentitySnapshot(items.Values.OrderBy(i => i.Id).ToList(), found, keys);
    }

    public async Task<IReadOnlyDictionary<long, long>> SaveAsync(IdentityChanges changes, CancellationToken cancellationToken)
    {
        var real = new Dictionary<long, long>();
        long Real(long id) => id < 0 ? real[id] : id;
        await using var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var now = Ms(changes.Now);

        // New items are inserted parents first (shows before their episodes), each getting its real id: one prepared insert
        // per round for the items whose parent is stored by then (a full run's first profile makes every listed item new).
        var pending = changes.NewItems.OrderByDescending(i => i.Id).ToList();
        while (pending.Count > 0)
        {
            var ready = pending.Where(i => i.ParentItemId is not < 0 || real.ContainsKey(i.ParentItemId.Value)).ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException($"{pending.Count} new items name a parent that is neither stored nor new.");
            }

            var ids = await InsertRowsAsync(
                db,
                transaction,
                "INSERT INTO items (kind, title, year, parent_item_id, season, episode, edition, created_at) VALUES (@kind, @Title, @Year, @parent, @Season, @Episode, @Edition, @now) RETURNING id",
                ["kind", "Title", "Year", "parent", "Season", "Episode", "Edition", "now"],
                ready,
                (item, v) =>
                {
                    v[0] = item.Kind.Name();
                    v[1] = item.Title;
                    v[2] = item.Year;
                    v[3] = item.ParentItemId is { } p ? Real(p) : RowValue.Null;
                    v[4] = item.Season;
                    v[5] = item.Episode;
                    v[6] = item.Edition;
                    v[7] = now;
                },
                cancellationToken);
            for (var i = 0; i < ready.Count; i++)
            {
                real[ready[i].Id] = ids[i];
            }

            pending = pending.Where(i => !real.ContainsKey(i.Id)).ToList();
        }

        await ExecuteRowsAsync(
            db,
            transaction,
            "INSERT INTO item_ids (scheme, value, item_id) VALUES (@Scheme, @Value, @ItemId) ON CONFLICT DO NOTHING",
            ["Scheme", "Value", "ItemId"],
            changes.NewIds,
            (i, v) =>
            {
                v[0] = i.Id.Scheme;
                v[1] = i.Id.Value;
                v[2] = Real(i.ItemId);
            },
            cancellationToken);
        await ExecuteRowsAsync(
            db,
            transaction,
            """
            INSERT INTO source_items (connection_id, local_key, item_id, kind, section_key, guid, part_key, seen_at, fingerprint)
            VALUES (@ConnectionId, @LocalKey, @ItemId, @Kind, @Library, @Guid, @PartKey, @now, @Fingerprint)
            ON CONFLICT (connection_id, local_key) DO UPDATE SET item_id = excluded.item_id, kind = excluded.kind, section_key = excluded.section_key,
                guid = excluded.guid, part_key = excluded.part_key, seen_at = excluded.seen_at, fingerprint = excluded.fingerprint
            """,
            ["ConnectionId", "LocalKey", "ItemId", "Kind", "Library", "Guid", "PartKey", "now", "Fingerprint"],
            changes.SourceItems,
            (s, v) =>
            {
                var itemId = Real(s.ItemId);
                v[0] = s.ConnectionId;
                v[1] = s.LocalKey;
                v[2] = itemId;
                v[3] = s.Kind;
                v[4] = s.Library;
                v[5] = s.Guid;
                v[6] = s.PartKey;
                v[7] = now;
                v[8] = LinkFingerprint.Of(itemId, s.Kind, s.Library, s.Guid, s.PartKey);
            },
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return real;
    }

    public async Task ReplaceUnresolvedAsync(long connectionId, IReadOnlyList<UnresolvedItem> items, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.ExecuteAsync(Command("CREATE TEMP TABLE IF NOT EXISTS seen_unresolved (local_key TEXT PRIMARY KEY)", cancellationToken, transaction));
        await db.ExecuteAsync(Command("DELETE FROM seen_unresolved", cancellationToken, transaction));
        await ExecuteRowsAsync(db, transaction, "INSERT OR IGNORE INTO seen_unresolved (local_key) VALUES (@LocalKey)", ["LocalKey"], items, (i, v) => v[0] = i.LocalKey, cancellationToken);
        await db.ExecuteAsync(Command("DELETE FROM unresolved WHERE connection_id = @connectionId AND local_key NOT IN (SELECT local_key FROM seen_unresolved)", new { connectionId }, cancellationToken, transaction));
        await ExecuteRowsAsync(
            db,
            transaction,
            """
            INSERT INTO unresolved (connection_id, local_key, kind, title, reason, detail, first_seen_at, last_seen_at, attempts)
            VALUES (@ConnectionId, @LocalKey, @Kind, @Title, @Reason, @Detail, @now, @now, 1)
            ON CONFLICT (connection_id, local_key) DO UPDATE SET kind = excluded.kind, title = excluded.title, reason = excluded.reason,
                detail = excluded.detail, last_seen_at = excluded.last_seen_at, attempts = unresolved.attempts + 1
            """,
            ["ConnectionId", "LocalKey", "Kind", "Title", "Reason", "Detail", "now"],
            items,
            (i, v) =>
            {
                v[0] = connectionId;
                v[1] = i.LocalKey;
                v[2] = i.Kind;
                v[3] = i.Title;
                v[4] = i.Reason;
                v[5] = i.Detail;
                v[6] = Ms(now);
            },
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<UnresolvedItem>> ListUnresolvedAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<UnresolvedDbRow>(Command(
            """
            SELECT u.connection_id, c.name AS connection_name, u.local_key, u.kind, u.title, u.reason, u.detail, u.first_seen_at, u.last_seen_at, u.attempts
            FROM unresolved u JOIN connections c ON c.id = u.connection_id ORDER BY c.name, u.title, u.local_key
            """,
            cancellationToken));
        return rows.Select(r => new UnresolvedItem(r.ConnectionId, r.ConnectionName, r.LocalKey, r.Kind, r.Title, r.Reason, r.Detail, Time(r.FirstSeenAt), Time(r.LastSeenAt), (int)r.Attempts)).ToList();
    }

    public async Task<IReadOnlyDictionary<long, LedgerItem>> GetItemsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<ItemDbRow>(Command("SELECT id, kind, title, year, parent_item_id, season, episode, edition FROM items WHERE id IN @ids", new { ids }, cancellationToken));
        return rows.ToDictionary(r => r.Id, r => r.ToModel());
    }

    private sealed class ItemDbRow
    {
        public long Id { get; set; }

        public string Kind { get; set; } = string.Empty;

        public string? Title { get; set; }

        public long? Year { get; set; }

        public long? ParentItemId { get; set; }

        public long? Season { get; set; }

        public long? Episode { get; set; }

        public string? Edition { get; set; }

        public LedgerItem ToModel() => new(
            Id,
            IdentityStore.Kind(Kind),
            Title,
            (int?)Year,
            ParentItemId,
            (int?)Season,
            (int?)Episode,
            Edition);
    }

    private sealed class UnresolvedDbRow
    {
        public long ConnectionId { get; set; }

        public string ConnectionName { get; set; } = string.Empty;

        public string LocalKey { get; set; } = string.Empty;

        public string? Kind { get; set; }

        public string? Title { get; set; }

        public string Reason { get; set; } = string.Empty;

        public string? Detail { get; set; }

        public long FirstSeenAt { get; set; }

        public long LastSeenAt { get; set; }

        public long Attempts { get; set; }
    }
}
