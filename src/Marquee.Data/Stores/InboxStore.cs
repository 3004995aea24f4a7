using System.Data.Common;
using Marquee.Core.Webhooks;

namespace Marquee.Data.Stores;

public sealed class InboxStore(IDatabaseProvider provider) : StoreBase(provider), IInboxStore
{
    private const string DeliveryColumns = "id, source, received_at, content_type, headers, body, dedupe_key, status, attempts, handled_at, error";

    private const string EventColumns =
        "id, source, origin, server_id, account_id, account_name, local_key, item_guid, media_type, kind, value, occurred_at, delivery_id, outcome";

    public async Task<long> AddAsync(InboxDelivery delivery, CancellationToken cancellationToken) =>
        (await AddManyAsync([delivery], cancellationToken))[0];

    public Task<IReadOnlyList<long>> AddManyAsync(IReadOnlyList<InboxDelivery> deliveries, CancellationToken cancellationToken) =>
        InsertAllAsync(
            """
            INSERT INTO inbox (source, received_at, content_type, headers, body, dedupe_key, status, attempts, handled_at, error)
            VALUES (@source, @received_at, @content_type, @headers, @body, @dedupe_key, @status, 0, @handled_at, @error)
            RETURNING id
            """,
            ["source", "received_at", "content_type", "headers", "body", "dedupe_key", "status", "handled_at", "error"],
            deliveries,
            (d, v) =>
            {
                v[0] = d.Source;
                v[1] = Ms(d.ReceivedAt);
                v[2] = d.ContentType;
                v[3] = d.Headers;
                v[4] = d.Body;
                v[5] = d.DedupeKey;
                v[6] = d.Status;
                v[7] = d.HandledAt is { } h ? Ms(h) : RowValue.Null;
                v[8] = d.Error;
            },
            cancellationToken);

    public async Task<IReadOnlyList<InboxDelivery>> ListPendingAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<DeliveryRow>(Command(
            $"SELECT {DeliveryColumns} FROM inbox WHERE status = @status ORDER BY id LIMIT @limit",
            new { status = InboxStatus.Pending, limit },
            cancellationToken));
        return rows.Select(r => r.ToModel()).ToList();
    }

    public async Task<InboxDelivery?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<DeliveryRow>(Command($"SELECT {DeliveryColumns} FROM inbox WHERE id = @id", new { id }, cancellationToken));
        return row?.ToModel();
    }

    public async Task StartAttemptAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command("UPDATE inbox SET attempts = attempts + 1 WHERE id = @id", new { id }, cancellationToken));
    }

    public async Task<IReadOnlyList<LiveEvent>> CompleteAsync(long id, IReadOnlyList<LiveEvent> events, byte[] keep, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var added = await InsertEventsAsync(db, transaction, events, cancellationToken);
        var original = await db.ExecuteScalarAsync<long?>(Command(
            "SELECT MIN(o.id) FROM inbox o JOIN inbox d ON d.id = @id WHERE o.dedupe_key = d.dedupe_key AND o.id < d.id AND o.status = @status",
            new { id, status = InboxStatus.Handled },
            cancellationToken,
            transaction));
        await db.ExecuteAsync(Command(
            "UPDATE inbox SET status = @status, handled_at = @now, error = NULL, body = @body WHERE id = @id",
            new { id, status = InboxStatus.Handled, now = Ms(now), body = original is { } first ? WebhookCompactor.DuplicateOf(first) : keep },
            cancellationToken,
            transaction));
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<IReadOnlyList<LiveEvent>> AddEventsAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }

        await using var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var added = await InsertEventsAsync(db, transaction, events, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<int> PruneHandledAsync(DateTimeOffset handledBefore, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command(
            "DELETE FROM inbox WHERE status = @status AND handled_at < @before",
            new { status = InboxStatus.Handled, before = Ms(handledBefore) },
            cancellationToken));
    }

    public async Task FailAsync(long id, string error, bool giveUp, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command(
            "UPDATE inbox SET error = @error, status = CASE WHEN @giveUp THEN @failed ELSE status END, handled_at = CASE WHEN @giveUp THEN @now ELSE handled_at END WHERE id = @id",
            new { id, error, giveUp, failed = InboxStatus.Failed, now = Ms(now) },
            cancellationToken));
    }

    public async Task<InboxCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<(string Status, long Count)>(Command("SELECT status, COUNT(*) FROM inbox GROUP BY status", cancellationToken));
        var events = await db.ExecuteScalarAsync<long>(Command("SELECT COUNT(*) FROM live_events", cancellationToken));
        return new InboxCounts(rows.ToDictionary(r => r.Status, r => r.Count, StringComparer.Ordinal), events);
    }

    public async Task SetOutcomeAsync(long eventId, string outcome, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command("UPDATE live_events SET outcome = @outcome WHERE id = @eventId", new { eventId, outcome = outcome.Length <= 500 ? outcome : outcome[..500] }, cancellationToken));
    }

    public async Task<IReadOnlyList<LiveEvent>> ListEventsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<EventRow>(Command($"SELECT {EventColumns} FROM live_events ORDER BY id DESC LIMIT @limit", new { limit }, cancellationToken));
        return rows.Select(r => r.ToModel()).ToList();
    }

    public async Task<IReadOnlyList<LiveEvent>> ListEventPageAsync(int limit, long? before, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<EventRow>(Command($"SELECT {EventColumns} FROM live_events WHERE id < @before ORDER BY id DESC LIMIT @limit", new { limit, before = before ?? long.MaxValue }, cancellationToken));
        return rows.Select(r => r.ToModel()).ToList();
    }

    // An event is new when no event with the same identity lies within its window (which also covers the
    // neighbouring buckets); the unique dedupe key settles a race between two writers in the same bucket.
    private static async Task<IReadOnlyList<LiveEvent>> InsertEventsAsync(DbConnection db, DbTransaction transaction, IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        var added = new List<LiveEvent>();
        foreach (var e in events)
        {
            var at = Ms(e.OccurredAt);
            var window = (long)e.Window.TotalMilliseconds;
            var seen = await db.ExecuteScalarAsync<long>(Command(
                "SELECT COUNT(*) FROM live_events WHERE identity_key = @key AND occurred_at >= @from AND occurred_at <= @to",
                new { key = e.IdentityKey, from = at - window, to = at + window },
                cancellationToken,
                transaction));
            if (seen > 0)
            {
                continue;
            }

            var id = await db.ExecuteScalarAsync<long?>(Command(
                """
                INSERT INTO live_events (source, origin, server_id, account_id, account_name, local_key, item_guid, media_type, kind, value,
                                         occurred_at, delivery_id, identity_key, dedupe_key, detail)
                VALUES (@Source, @Origin, @ServerId, @AccountId, @AccountName, @LocalKey, @ItemGuid, @MediaType, @Kind, @Value,
                        @At, @DeliveryId, @IdentityKey, @DedupeKey, @Detail)
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING id
                """,
                new
                {
                    e.Source,
                    e.Origin,
                    e.ServerId,
                    e.AccountId,
                    e.AccountName,
                    e.LocalKey,
                    e.ItemGuid,
                    e.MediaType,
                    e.Kind,
                    e.Value,
                    At = at,
                    e.DeliveryId,
                    e.IdentityKey,
                    e.DedupeKey,
                    Detail = LiveEventDetail.Write(e),
                },
                cancellationToken,
                transaction));
            if (id is { } stored)
            {
                added.Add(e with { Id = stored });
            }
        }

        return added;
    }

    private sealed record DeliveryRow(
        long Id, string Source, long ReceivedAt, string? ContentType, string? Headers, byte[] Body, string? DedupeKey, string Status, long Attempts, long? HandledAt, string? Error)
    {
        public InboxDelivery ToModel() =>
            new(Id, Source, Time(ReceivedAt), ContentType, Headers, Body, DedupeKey, Status, (int)Attempts, HandledAt is { } h ? Time(h) : null, Error);
    }

    private sealed record EventRow(
        long Id, string Source, string Origin, string? ServerId, string AccountId, string? AccountName, string LocalKey, string? ItemGuid, string? MediaType,
        string Kind, string? Value, long OccurredAt, long? DeliveryId, string? Outcome)
    {
        public LiveEvent ToModel() =>
            new(Source, Origin, ServerId, AccountId, AccountName, LocalKey, ItemGuid, MediaType, Kind, Value, Time(OccurredAt), DeliveryId) { Id = Id, Outcome = Outcome };
    }
}
