using System.Data.Common;
using Marquee.Core.Connections;
using Marquee.Core.Validation;

namespace Marquee.Data.Stores;

public sealed class ConnectionStore(IDatabaseProvider provider) : StoreBase(provider), IConnectionStore
{
    private const string Columns = "id, name, kind, settings, created_at, updated_at";
    private const string AccountColumns = "id, connection_id, external_id, name, kind, email, status, status_reason";

    public async Task<IReadOnlyList<StoredConnection>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<Row>(Command($"SELECT {Columns} FROM connections ORDER BY name", cancellationToken));
        return rows.Select(r => r.ToModel()).ToList();
    }

    public async Task<StoredConnection?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<Row>(Command($"SELECT {Columns} FROM connections WHERE id = @id", new { id }, cancellationToken));
        return row?.ToModel();
    }

    public async Task<StoredConnection?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<Row>(Command($"SELECT {Columns} FROM connections WHERE LOWER(name) = LOWER(@name)", new { name }, cancellationToken));
        return row?.ToModel();
    }

    public async Task<StoredConnection?> InsertAsync(string name, string kind, string settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<Row>(Command(
            $"INSERT INTO connections (name, kind, settings, created_at, updated_at) VALUES (@name, @kind, @settings, @now, @now) ON CONFLICT DO NOTHING RETURNING {Columns}",
            new { name, kind, settings, now = Ms(now) },
            cancellationToken));
        return row?.ToModel();
    }

    public async Task<bool> UpdateAsync(long id, string name, string settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        try
        {
            return await db.ExecuteAsync(Command(
                "UPDATE connections SET name = @name, settings = @settings, updated_at = @now WHERE id = @id",
                new { id, name, settings, now = Ms(now) },
                cancellationToken)) > 0;
        }
        catch (DbException ex) when (Violation(ex) == ConstraintViolation.Unique)
        {
            throw new ConflictException("name", $"A connection named '{name}' already exists.");
        }
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        try
        {
            return await db.ExecuteAsync(Command("DELETE FROM connections WHERE id = @id", new { id }, cancellationToken)) > 0;
        }
        catch (DbException ex) when (Violation(ex) == ConstraintViolation.ForeignKey)
        {
            throw new ConflictException("id", "The connection is used by a flow created meanwhile; remove the flow first.");
        }
    }

    public async Task<IReadOnlyList<Account>> ListAccountsAsync(long connectionId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<AccountRow>(Command($"SELECT {AccountColumns} FROM accounts WHERE connection_id = @connectionId ORDER BY id", new { connectionId }, cancellationToken));
        return rows.Select(r => r.ToModel()).ToList();
    }

    public async Task<Account?> FindAccountAsync(long connectionId, string idOrName, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QueryFirstOrDefaultAsync<AccountRow>(Command(
            $"SELECT {AccountColumns} FROM accounts WHERE connection_id = @connectionId AND (external_id = @idOrName OR LOWER(name) = LOWER(@idOrName)) ORDER BY external_id = @idOrName DESC, id LIMIT 1",
            new { connectionId, idOrName },
            cancellationToken));
        return row?.ToModel();
    }

    public async Task<Account> UpsertAccountAsync(long connectionId, string externalId, string name, string kind, string? email, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        try
        {
            var row = await db.QuerySingleAsync<AccountRow>(Command(
                $"""
                INSERT INTO accounts (connection_id, external_id, name, kind, email) VALUES (@connectionId, @externalId, @name, @kind, @email)
                ON CONFLICT (connection_id, external_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, email = COALESCE(excluded.email, accounts.email)
                RETURNING {AccountColumns}
                """,
                new { connectionId, externalId, name, kind, email },
                cancellationToken));
            return row.ToModel();
        }
        catch (DbException ex) when (Violation(ex) == ConstraintViolation.ForeignKey)
        {
            throw new ConflictException("connection", "The connection was removed meanwhile.");
        }
    }

    public async Task<StoredAccountToken?> GetAccountTokenAsync(long connectionId, string externalId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<TokenRow>(Command(
            "SELECT token, token_updated_at FROM accounts WHERE connection_id = @connectionId AND external_id = @externalId AND token IS NOT NULL",
            new { connectionId, externalId },
            cancellationToken));
        return row is null ? null : new StoredAccountToken(row.Token, row.TokenUpdatedAt is { } at ? Time(at) : null);
    }

    public async Task<bool> SetAccountTokenAsync(long connectionId, string externalId, string? protectedToken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command(
            "UPDATE accounts SET token = @protectedToken, token_updated_at = @now WHERE connection_id = @connectionId AND external_id = @externalId",
            new { connectionId, externalId, protectedToken, now = Ms(now) },
            cancellationToken)) > 0;
    }

    public async Task<bool> SetAccountStatusAsync(long connectionId, string externalId, string status, string? reason, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command(
            "UPDATE accounts SET status = @status, status_reason = @reason WHERE connection_id = @connectionId AND external_id = @externalId",
            new { connectionId, externalId, status, reason },
            cancellationToken)) > 0;
    }

    private sealed class TokenRow
    {
        public string Token { get; set; } = string.Empty;

        public long? TokenUpdatedAt { get; set; }
    }

    private sealed class Row
    {
        public long Id { get; set; }

        public string Name { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public string Settings { get; set; } = "{}";

        public long CreatedAt { get; set; }

        public long UpdatedAt { get; set; }

        public StoredConnection ToModel() => new(Id, Name, Kind, Settings, Time(CreatedAt), Time(UpdatedAt));
    }

    private sealed class AccountRow
    {
        public long Id { get; set; }

        public long ConnectionId { get; set; }

        public string ExternalId { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public string? Email { get; set; }

        public string Status { get; set; } = string.Empty;

        public string? StatusReason { get; set; }

        public Account ToModel() => new(Id, ConnectionId, ExternalId, Name, Kind, Email, Status, StatusReason);
    }
}
