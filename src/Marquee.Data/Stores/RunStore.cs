using System.Text.Json;
using Marquee.Core.Providers;
using Marquee.Core.Sync;

namespace Marquee.Data.Stores;

public sealed class RunStore(IDatabaseProvider provider) : StoreBase(provider), IRunStore, IConnectionStoreAccounts
{
    private const string RunColumns = "id, flow_id, flow_name, trigger, status, started_at, finished_at, planned, written, skipped, failed, unresolved, requests, message";

    public async Task<long> StartAsync(long? flowId, string flowName, string trigger, string? options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteScalarAsync<long>(Command(
            "INSERT INTO runs (flow_id, flow_name, trigger, status, options, started_at) VALUES (@flowId, @flowName, @trigger, 'running', @options, @now) RETURNING id",
            new { flowId, flowName, trigger, options, now = Ms(now) },
            cancellationToken));
    }

    public async Task<UndoStart> StartUndoAsync(long runId, long? flowId, string flowName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Earlier = "FROM runs WHERE trigger = 'undo' AND options = @options AND status IN ('running', 'done')";
        var options = JsonSerializer.Serialize(new { undo = runId });
        await using var db = await OpenAsync(cancellationToken);
        var started = await db.ExecuteScalarAsync<long?>(Command(
            $"""
            INSERT INTO runs (flow_id, flow_name, trigger, status, options, started_at)
            SELECT @flowId, @flowName, 'undo', 'running', @options, @now WHERE NOT EXISTS (SELECT 1 {Earlier})
            RETURNING id
            """,
            new { flowId, flowName, options, now = Ms(now) },
            cancellationToken));
        return started is { } id
            ? new UndoStart(id, true)
            : new UndoStart(await db.ExecuteScalarAsync<long>(Command($"SELECT id {Earlier} ORDER BY id LIMIT 1", new { options }, cancellationToken)), false);
    }

    public async Task FinishAsync(SyncRun run, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command(
            """
            UPDATE runs SET status = @Status, finished_at = @finished, planned = @Planned, written = @Written, skipped = @Skipped, failed = @Failed,
                unresolved = @Unresolved, requests = @requests, message = @Message
            WHERE id = @Id
            """,
            new { run.Id, run.Status, finished = run.FinishedAt?.ToUnixTimeMilliseconds(), run.Planned, run.Written, run.Skipped, run.Failed, run.Unresolved, requests = JsonSerializer.Serialize(run.Requests), run.Message },
            cancellationToken));
    }

    public async Task<IReadOnlyList<SyncRun>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<RunDbRow>(Command($"SELECT {RunColumns} FROM runs ORDER BY id DESC LIMIT @limit", new { limit }, cancellationToken));
        return rows.Select(r => r.ToModel()).ToList();
    }

    public async Task<IReadOnlyList<SyncRun>> ListPageAsync(int limit, long? before, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<RunDbRow>(Command($"SELECT {RunColumns} FROM runs WHERE id < @before ORDER BY id DESC LIMIT @limit", new { limit, before = before ?? long.MaxValue }, cancellationToken));
        return rows.Select(r => r.ToModel()).ToList();
    }

    public async Task<SyncRun?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<RunDbRow>(Command($"SELECT {RunColumns} FROM runs WHERE id = @id", new { id }, cancellationToken)))?.ToModel();
    }

    public async Task<bool> HasCompletedRunAsync(long flowId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteScalarAsync<long>(Command("SELECT COUNT(*) FROM runs WHERE flow_id = @flowId AND status IN ('done', 'done-with-warnings') AND trigger <> 'undo'", new { flowId }, cancellationToken)) > 0;
    }

    public async Task<int> MarkInterruptedAsync(long flowId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command(
            "UPDATE runs SET status = 'interrupted', finished_at = @now, message = 'the process stopped during this run; the next run resumed it' WHERE flow_id = @flowId AND status = 'running'",
            new { flowId, now = Ms(now) },
            cancellationToken));
    }

    public async Task<RunWrite?> FindWriteAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<WriteDbRow>(Command("SELECT * FROM run_writes WHERE idempotency_key = @idempotencyKey", new { idempotencyKey }, cancellationToken)))?.ToModel();
    }

    public async Task<IReadOnlyDictionary<string, RunWrite>> FindWritesAsync(IReadOnlyCollection<string> idempotencyKeys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, RunWrite>(StringComparer.Ordinal);
        if (idempotencyKeys.Count == 0)
        {
            return found;
        }

        await using var db = await OpenAsync(cancellationToken);
        foreach (var keys in idempotencyKeys.Chunk(Batch))
        {
            foreach (var row in await db.QueryAsync<WriteDbRow>(Command("SELECT * FROM run_writes WHERE idempotency_key IN @keys", new { keys }, cancellationToken)))
            {
                found[row.IdempotencyKey] = row.ToModel();
            }
        }

        return found;
    }

    public async Task<IReadOnlyList<RunWrite>> ListUncertainWritesAsync(long flowId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<WriteDbRow>(Command(
            "SELECT w.* FROM run_writes w JOIN runs r ON r.id = w.run_id WHERE r.flow_id = @flowId AND r.status <> 'running' AND w.status = 'planned' ORDER BY w.id",
            new { flowId },
            cancellationToken));
        return rows.Select(r => r.ToModel()).ToList();
    }

    public async Task<RunWrite?> FindLastWriteAsync(long connectionId, long accountId, string localKey, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return (await db.QueryFirstOrDefaultAsync<WriteDbRow>(Command(
            "SELECT * FROM run_writes WHERE connection_id = @connectionId AND account_id = @accountId AND local_key = @localKey AND status = @written ORDER BY written_at DESC, id DESC LIMIT 1",
            new { connectionId, accountId, localKey, written = WriteStatus.Written },
            cancellationToken)))?.ToModel();
    }

    public async Task<long> InsertWriteAsync(RunWrite write, CancellationToken cancellationToken) =>
        (await InsertWritesAsync([write], cancellationToken))[0];

    public Task<IReadOnlyList<long>> InsertWritesAsync(IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken) =>
        InsertAllAsync(
            """
            INSERT INTO run_writes (run_id, connection_id, account_id, profile_id, item_id, local_key, feature, action, before, after, reason, idempotency_key, status, error, created_at, written_at)
            VALUES (@RunId, @ConnectionId, @AccountId, @ProfileId, @ItemId, @LocalKey, @Feature, @Action, @Before, @After, @Reason, @IdempotencyKey, @Status, @Error, @created, NULL)
            RETURNING id
            """,
            ["RunId", "ConnectionId", "AccountId", "ProfileId", "ItemId", "LocalKey", "Feature", "Action", "Before", "After", "Reason", "IdempotencyKey", "Status", "Error", "created"],
            writes,
            (w, v) =>
            {
                v[0] = w.RunId;
                v[1] = w.ConnectionId;
                v[2] = w.AccountId;
                v[3] = w.ProfileId;
                v[4] = w.ItemId;
                v[5] = w.LocalKey;
                v[6] = w.Feature;
                v[7] = w.Action;
                v[8] = w.Before;
                v[9] = w.After;
                v[10] = w.Reason;
                v[11] = w.IdempotencyKey;
                v[12] = w.Status;
                v[13] = w.Error;
                v[14] = Ms(w.CreatedAt);
            },
            cancellationToken);

    public async Task UpdateWriteAsync(long id, long runId, string status, string? after, string? error, DateTimeOffset? writtenAt, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command(
            "UPDATE run_writes SET run_id = @runId, status = @status, after = @after, error = @error, written_at = @written WHERE id = @id",
            new { id, runId, status, after, error, written = writtenAt?.ToUnixTimeMilliseconds() },
            cancellationToken));
    }

    public Task UpdateWritesAsync(IReadOnlyList<WriteOutcome> outcomes, CancellationToken cancellationToken) =>
        ExecuteAllAsync(
            "UPDATE run_writes SET run_id = @runId, status = @status, after = @after, error = @error, written_at = @written WHERE id = @id",
            ["runId", "status", "after", "error", "written", "id"],
            outcomes,
            (o, v) =>
            {
                v[0] = o.RunId;
                v[1] = o.Status;
                v[2] = o.After;
                v[3] = o.Error;
                v[4] = o.WrittenAt?.ToUnixTimeMilliseconds();
                v[5] = o.Id;
            },
            cancellationToken);

    public async Task SetNotTakenAsync(long id, int notTaken, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command("UPDATE run_writes SET not_taken = @notTaken WHERE id = @id", new { id, notTaken }, cancellationToken));
    }

    public async Task ReplanWriteAsync(long id, long runId, string? before, string? after, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command(
            "UPDATE run_writes SET run_id = @runId, status = @planned, before = @before, after = @after, error = NULL, written_at = NULL WHERE id = @id",
            new { id, runId, planned = WriteStatus.Planned, before, after },
            cancellationToken));
    }

    public async Task<IReadOnlyList<RunWrite>> ListWritesAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<WriteDbRow>(Command("SELECT * FROM run_writes WHERE run_id = @runId ORDER BY id", new { runId }, cancellationToken));
        return rows.Select(r => r.ToModel()).ToList();
    }

    public async Task<ProviderAccount?> GetProviderAccountAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<(string ExternalId, string Name, string Kind, string? Email)>(Command(
            "SELECT external_id, name, kind, email FROM accounts WHERE id = @accountId",
            new { accountId },
            cancellationToken));
        return row.ExternalId is null ? null : new ProviderAccount(row.ExternalId, row.Name, row.Kind, row.Email);
    }

    private sealed class RunDbRow
    {
        public long Id { get; set; }

        public long? FlowId { get; set; }

        public string FlowName { get; set; } = string.Empty;

        public string Trigger { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        public long StartedAt { get; set; }

        public long? FinishedAt { get; set; }

        public long Planned { get; set; }

        public long Written { get; set; }

        public long Skipped { get; set; }

        public long Failed { get; set; }

        public long Unresolved { get; set; }

        public string? Requests { get; set; }

        public string? Message { get; set; }

        public SyncRun ToModel() => new(
            Id,
            FlowId,
            FlowName,
            Trigger,
            Status,
            Time(StartedAt),
            FinishedAt is { } f ? Time(f) : null,
            (int)Planned,
            (int)Written,
            (int)Skipped,
            (int)Failed,
            (int)Unresolved,
            Requests is null ? new Dictionary<string, long>() : JsonSerializer.Deserialize<Dictionary<string, long>>(Requests) ?? [],
            Message);
    }

    private sealed class WriteDbRow
    {
        public long Id { get; set; }

        public long RunId { get; set; }

        public long ConnectionId { get; set; }

        public long? AccountId { get; set; }

        public long? ProfileId { get; set; }

        public long? ItemId { get; set; }

        public string? LocalKey { get; set; }

        public string Feature { get; set; } = string.Empty;

        public string Action { get; set; } = string.Empty;

        public string? Before { get; set; }

        public string? After { get; set; }

        public string? Reason { get; set; }

        public string IdempotencyKey { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        public string? Error { get; set; }

        public long CreatedAt { get; set; }

        public long? WrittenAt { get; set; }

        public long NotTaken { get; set; }

        public RunWrite ToModel() => new(Id, RunId, ConnectionId, AccountId, ProfileId, ItemId, LocalKey, Feature, Action, Before, After, Reason, IdempotencyKey, Status, Error, Time(CreatedAt), WrittenAt is { } w ? Time(w) : null)
        {
            NotTaken = (int)NotTaken,
        };
    }
}
