using Marquee.Core.Outbox;

namespace Marquee.Data.Stores;

public sealed class OutboxStore(IDatabaseProvider provider) : StoreBase(provider), IOutboxStore
{
    private const string Columns =
        "o.id, o.idempotency_key, o.kind, o.target, o.connection_id, o.description, o.status, o.attempts, o.next_attempt_at, o.last_attempt_at, " +
        "o.last_status, o.last_error, o.created_at, o.done_at, o.order_key";

    public async Task<(OutboxMessage Message, bool Created)> EnqueueAsync(OutboxEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var id = await db.ExecuteScalarAsync<long?>(Command(
            """
            INSERT INTO outbox (idempotency_key, kind, target, order_key, connection_id, description, payload, status, attempts, next_attempt_at, created_at)
            VALUES (@IdempotencyKey, @Kind, @Target, @OrderKey, @ConnectionId, @Description, @Payload, @status, 0, @now, @now)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
            """,
            new { entry.IdempotencyKey, entry.Kind, entry.Target, entry.OrderKey, entry.ConnectionId, entry.Description, entry.Payload, status = OutboxStatus.Pending, now = Ms(now) },
            cancellationToken));
        var row = await db.QuerySingleAsync<Row>(Command($"SELECT {Columns}, 0 AS target_failures FROM outbox o WHERE o.idempotency_key = @IdempotencyKey", new { entry.IdempotencyKey }, cancellationToken));
        return (row.ToModel(), id is not null);
    }

    public async Task<IReadOnlyList<OutboxMessage>> ListDueAsync(DateTimeOffset now, int perTarget, int limit, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<Row>(Command(
            $"""
            SELECT * FROM (
                SELECT {Columns}, COALESCE(t.failures, 0) AS target_failures, ROW_NUMBER() OVER (PARTITION BY o.target ORDER BY o.id) AS n
                FROM outbox o LEFT JOIN outbox_targets t ON t.target = o.target
                WHERE o.status = @pending AND o.next_attempt_at <= @now AND (t.blocked_until IS NULL OR t.blocked_until <= @now)
                    AND NOT EXISTS (
                        SELECT 1 FROM outbox e
                        WHERE e.target = o.target AND e.order_key = o.order_key AND e.id < o.id
                            AND (e.status = @sending OR (e.status = @pending AND e.next_attempt_at > @now))))
            WHERE n <= @perTarget ORDER BY id LIMIT @limit
            """,
            new { pending = OutboxStatus.Pending, sending = OutboxStatus.Sending, now = Ms(now), perTarget, limit },
            cancellationToken));
        return rows.Select(r => r.ToModel()).ToList();
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var next = await db.ExecuteScalarAsync<long?>(Command(
            """
            SELECT MIN(MAX(o.next_attempt_at, COALESCE(t.blocked_until, 0)))
            FROM outbox o LEFT JOIN outbox_targets t ON t.target = o.target
            WHERE o.status = @pending
            """,
            new { pending = OutboxStatus.Pending },
            cancellationToken));
        return next is { } ms ? Time(ms) : null;
    }

    public async Task<string?> ClaimAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await CompleteAndClaimAsync([], [id], now, cancellationToken)).GetValueOrDefault(id);

    public async Task ReleaseClaimsAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command(
            "UPDATE outbox SET status = @pending, attempts = MAX(0, attempts - 1) WHERE id IN @ids AND status = @sending",
            new { ids, pending = OutboxStatus.Pending, sending = OutboxStatus.Sending },
            cancellationToken));
    }

    public async Task CompleteAttemptAsync(OutboxMessage message, OutboxAttempt attempt, CancellationToken cancellationToken) =>
        await CompleteAndClaimAsync([(message, attempt)], [], attempt.At, cancellationToken);

    public async Task<IReadOnlyDictionary<long, string>> CompleteAndClaimAsync(
        IReadOnlyList<(OutboxMessage Message, OutboxAttempt Attempt)> attempts,
        IReadOnlyList<long> claims,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        foreach (var (message, attempt) in attempts)
        {
            var done = attempt.Status is OutboxStatus.Delivered or OutboxStatus.Failed;
            await db.ExecuteAsync(Command(
                """
                UPDATE outbox SET status = @Status, last_status = @StatusCode, last_error = @Error, next_attempt_at = @next, done_at = @doneAt
                WHERE id = @id
                """,
                new { attempt.Status, attempt.StatusCode, attempt.Error, next = Ms(attempt.NextAttemptAt), doneAt = done ? Ms(attempt.At) : (long?)null, id = message.Id },
                cancellationToken,
                transaction));
            await db.ExecuteAsync(Command(
                """
                INSERT INTO outbox_targets (target, failures, blocked_until, last_error, updated_at) VALUES (@target, @failures, @blockedUntil, @error, @at)
                ON CONFLICT (target) DO UPDATE SET
                    failures = CASE WHEN @failed THEN outbox_targets.failures + 1 WHEN outbox_targets.blocked_until > @at THEN outbox_targets.failures ELSE 0 END,
                    blocked_until = CASE WHEN @failed OR outbox_targets.blocked_until IS NULL OR outbox_targets.blocked_until <= @at
                        THEN excluded.blocked_until ELSE outbox_targets.blocked_until END,
                    last_error = CASE WHEN @failed THEN excluded.last_error ELSE outbox_targets.last_error END,
                    updated_at = excluded.updated_at
                """,
                new
                {
                    target = message.Target,
                    failures = attempt.TargetFailed ? 1 : 0,
                    blockedUntil = attempt.TargetBlockedUntil is { } b ? Ms(b) : (long?)null,
                    error = attempt.TargetFailed ? attempt.Error : null,
                    failed = attempt.TargetFailed,
                    at = Ms(attempt.At),
                },
                cancellationToken,
                transaction));
        }

        var claimed = new Dictionary<long, string>();
        if (claims.Count > 0)
        {
            var rows = await db.QueryAsync<(long Id, string Payload)>(Command(
                "UPDATE outbox SET status = @sending, attempts = attempts + 1, last_attempt_at = @now WHERE id IN @claims AND status = @pending RETURNING id, payload",
                new { claims, now = Ms(now), sending = OutboxStatus.Sending, pending = OutboxStatus.Pending },
                cancellationToken,
                transaction));
            foreach (var (id, payload) in rows)
            {
                claimed[id] = payload;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task<int> ReleaseInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command(
            "UPDATE outbox SET status = @pending WHERE status = @sending", new { pending = OutboxStatus.Pending, sending = OutboxStatus.Sending }, cancellationToken));
    }

    public async Task<bool> RetryAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command(
            """
            UPDATE outbox SET attempts = CASE WHEN status = @failed THEN 0 ELSE attempts END, status = @pending, next_attempt_at = @now, done_at = NULL
            WHERE id = @id AND status IN (@failed, @pending)
            """,
            new { id, now = Ms(now), failed = OutboxStatus.Failed, pending = OutboxStatus.Pending },
            cancellationToken)) == 1;
    }

    public async Task<OutboxMessage?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<Row>(Command($"SELECT {Columns}, 0 AS target_failures FROM outbox o WHERE o.id = @id", new { id }, cancellationToken));
        return row?.ToModel();
    }

    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(string? status, int limit, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<Row>(Command(
            $"SELECT {Columns}, 0 AS target_failures FROM outbox o WHERE @status IS NULL OR o.status = @status ORDER BY o.id DESC LIMIT @limit",
            new { status, limit },
            cancellationToken));
        return rows.Select(r => r.ToModel()).ToList();
    }

    public async Task<OutboxCounts> CountAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var counts = await db.QueryAsync<(string Status, long Count)>(Command("SELECT status, COUNT(*) FROM outbox GROUP BY status", cancellationToken));
        var targets = await db.QueryAsync<TargetRow>(Command(
            "SELECT target, failures, blocked_until, last_error FROM outbox_targets WHERE failures > 0 OR blocked_until > @now ORDER BY target",
            new { now = Ms(now) },
            cancellationToken));
        return new OutboxCounts(
            counts.ToDictionary(c => c.Status, c => c.Count, StringComparer.Ordinal),
            targets.Select(t => new OutboxTarget(t.Target, (int)t.Failures, t.BlockedUntil is { } b ? Time(b) : null, t.LastError)).ToList());
    }

    public async Task<int> PruneDeliveredAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command(
            "DELETE FROM outbox WHERE status = @delivered AND done_at < @before", new { delivered = OutboxStatus.Delivered, before = Ms(before) }, cancellationToken));
    }

    // Settable properties, not a positional record: the statement runner then maps by name and converts, whatever type SQLite reports
    // for a computed column (for no rows it reports none).
    private sealed class Row
    {
        public long Id { get; set; }

        public string IdempotencyKey { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public string Target { get; set; } = string.Empty;

        public long? ConnectionId { get; set; }

        public string Description { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        public long Attempts { get; set; }

        public long NextAttemptAt { get; set; }

        public long? LastAttemptAt { get; set; }

        public long? LastStatus { get; set; }

        public string? LastError { get; set; }

        public long CreatedAt { get; set; }

        public long? DoneAt { get; set; }

        public long TargetFailures { get; set; }

        public string OrderKey { get; set; } = string.Empty;

        public OutboxMessage ToModel() =>
            new(
                Id,
                IdempotencyKey,
                Kind,
                Target,
                ConnectionId,
                Description,
                Status,
                (int)Attempts,
                Time(NextAttemptAt),
                LastAttemptAt is { } l ? Time(l) : null,
                LastStatus is { } s ? (int)s : null,
                LastError,
                Time(CreatedAt),
                DoneAt is { } d ? Time(d) : null)
            { TargetFailures = (int)TargetFailures, OrderKey = OrderKey };
    }

    private sealed class TargetRow
    {
        public string Target { get; set; } = string.Empty;

        public long Failures { get; set; }

        public long? BlockedUntil { get; set; }

        public string? LastError { get; set; }
    }
}
