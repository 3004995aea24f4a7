using System.Data.Common;
using Marquee.Core.Profiles;
using Marquee.Core.Validation;

namespace Marquee.Data.Stores;

public sealed class ProfileStore(IDatabaseProvider provider) : StoreBase(provider), IProfileStore
{
    private const string Columns = "id, name, display_name, created_at";

    public async Task<IReadOnlyList<Profile>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<Row>(Command($"SELECT {Columns} FROM profiles ORDER BY name", cancellationToken));
        return rows.Select(r => r.ToModel()).ToList();
    }

    public async Task<Profile?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<Row>(Command($"SELECT {Columns} FROM profiles WHERE id = @id", new { id }, cancellationToken)))?.ToModel();
    }

    public async Task<Profile?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<Row>(Command($"SELECT {Columns} FROM profiles WHERE LOWER(name) = LOWER(@name)", new { name }, cancellationToken)))?.ToModel();
    }

    public async Task<Profile?> InsertAsync(string name, string? displayName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<Row>(Command(
            $"INSERT INTO profiles (name, display_name, created_at) VALUES (@name, @displayName, @now) ON CONFLICT DO NOTHING RETURNING {Columns}",
            new { name, displayName, now = Ms(now) },
            cancellationToken));
        return row?.ToModel();
    }

    public async Task<bool> UpdateAsync(long id, string name, string? displayName, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        try
        {
            return await db.ExecuteAsync(Command("UPDATE profiles SET name = @name, display_name = @displayName WHERE id = @id", new { id, name, displayName }, cancellationToken)) > 0;
        }
        catch (DbException ex) when (Violation(ex) == ConstraintViolation.Unique)
        {
            throw new ConflictException("name", $"A profile named '{name}' already exists.");
        }
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command("DELETE FROM profiles WHERE id = @id", new { id }, cancellationToken)) > 0;
    }

    public async Task<IReadOnlyList<LinkedAccount>> ListLinksAsync(long? profileId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<LinkRow>(Command(
            """
            SELECT pa.profile_id, pa.account_id, a.connection_id, c.name AS connection_name, a.external_id, a.name AS account_name, a.kind AS account_kind, pa.origin
            FROM profile_accounts pa
            JOIN accounts a ON a.id = pa.account_id
            JOIN connections c ON c.id = a.connection_id
            WHERE @profileId IS NULL OR pa.profile_id = @profileId
            ORDER BY pa.profile_id, c.name, a.name
            """,
            new { profileId },
            cancellationToken));
        return rows.Select(r => new LinkedAccount(r.ProfileId, r.AccountId, r.ConnectionId, r.ConnectionName, r.ExternalId, r.AccountName, r.AccountKind, r.Origin)).ToList();
    }

    public async Task LinkAsync(long profileId, long accountId, string origin, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.ExecuteAsync(Command("DELETE FROM profile_accounts WHERE account_id = @accountId", new { accountId }, cancellationToken, transaction));
        try
        {
            await db.ExecuteAsync(Command(
                "INSERT INTO profile_accounts (profile_id, account_id, origin) VALUES (@profileId, @accountId, @origin)",
                new { profileId, accountId, origin },
                cancellationToken,
                transaction));
        }
        catch (DbException ex) when (Violation(ex) == ConstraintViolation.ForeignKey)
        {
            throw new ConflictException("account", "The profile or the account was removed meanwhile.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> UnlinkAsync(long profileId, long accountId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command("DELETE FROM profile_accounts WHERE profile_id = @profileId AND account_id = @accountId", new { profileId, accountId }, cancellationToken)) > 0;
    }

    private sealed class Row
    {
        public long Id { get; set; }

        public string Name { get; set; } = string.Empty;

        public string? DisplayName { get; set; }

        public long CreatedAt { get; set; }

        public Profile ToModel() => new(Id, Name, DisplayName, Time(CreatedAt));
    }

    private sealed class LinkRow
    {
        public long ProfileId { get; set; }

        public long AccountId { get; set; }

        public long ConnectionId { get; set; }

        public string ConnectionName { get; set; } = string.Empty;

        public string ExternalId { get; set; } = string.Empty;

        public string AccountName { get; set; } = string.Empty;

        public string AccountKind { get; set; } = string.Empty;

        public string Origin { get; set; } = string.Empty;
    }
}
