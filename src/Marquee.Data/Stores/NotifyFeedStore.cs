using Marquee.Core.Notifications;
using Marquee.Core.Webhooks;

namespace Marquee.Data.Stores;

public sealed class NotifyFeedStore(IDatabaseProvider provider) : StoreBase(provider), INotifyFeedStore
{
    private const string Name = "live-events";

    public async Task<long> GetCursorAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteScalarAsync<long?>(Command("SELECT last_id FROM notify_cursor WHERE name = @Name", new { Name }, cancellationToken)) ?? 0;
    }

    public async Task SetCursorAsync(long lastId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command(
            "INSERT INTO notify_cursor (name, last_id) VALUES (@Name, @lastId) ON CONFLICT (name) DO UPDATE SET last_id = MAX(last_id, excluded.last_id)",
            new { Name, lastId },
            cancellationToken));
    }

    public async Task<IReadOnlyList<LiveEvent>> ListAfterAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<Row>(Command(
            """
            SELECT id, source, origin, server_id, account_id, account_name, local_key, item_guid, media_type, kind, value, occurred_at, delivery_id, detail
            FROM live_events WHERE id > @afterId ORDER BY id LIMIT @limit
            """,
            new { afterId, limit },
            cancellationToken));
        return rows.Select(r => LiveEventDetail.Apply(
            new LiveEvent(r.Source, r.Origin, r.ServerId, r.AccountId, r.AccountName, r.LocalKey, r.ItemGuid, r.MediaType, r.Kind, r.Value, Time(r.OccurredAt), r.DeliveryId) { Id = r.Id },
            r.Detail)).ToList();
    }

    public async Task AddSeenAsync(IReadOnlyList<SeenEntry> seen, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        foreach (var entry in seen)
        {
            await db.ExecuteAsync(Command(
                """
                INSERT INTO notify_seen (kind, key, name, notify, first_seen, last_seen) VALUES (@Kind, @Key, @Name, 1, @at, @at)
                ON CONFLICT (kind, key) DO UPDATE SET name = COALESCE(excluded.name, name), last_seen = excluded.last_seen
                """,
                new { entry.Kind, entry.Key, entry.Name, at = Ms(at) },
                cancellationToken));
        }
    }

    public async Task<IReadOnlyList<SeenEntry>> ListSeenAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<(string Kind, string Key, string? Name, long Notify, long LastSeen)>(Command(
            "SELECT kind, key, name, notify, last_seen FROM notify_seen ORDER BY kind DESC, COALESCE(name, key)", cancellationToken));
        return [.. rows.Select(r => new SeenEntry(r.Kind, r.Key, r.Name, r.Notify != 0, Time(r.LastSeen)))];
    }

    public async Task<bool> SetNotifyAsync(string kind, string key, bool notify, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command("UPDATE notify_seen SET notify = @notify WHERE kind = @kind AND key = @key", new { kind, key, notify = notify ? 1 : 0 }, cancellationToken)) == 1;
    }

    private sealed record Row(
        long Id, string Source, string Origin, string? ServerId, string AccountId, string? AccountName, string LocalKey, string? ItemGuid, string? MediaType,
        string Kind, string? Value, long OccurredAt, long? DeliveryId, string? Detail);
}
