using Marquee.Core.Care;

namespace Marquee.Data.Stores;

public sealed class CareStore(IDatabaseProvider provider) : StoreBase(provider), ICareStore
{
    public async Task<IReadOnlyList<string>> ListSettingsAsync(string kind, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return [.. await db.QueryAsync<string>(Command("SELECT body FROM care_settings WHERE kind = @kind ORDER BY name", new { kind }, cancellationToken))];
    }

    public async Task<string?> GetSettingAsync(string kind, string name, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.QuerySingleOrDefaultAsync<string>(Command("SELECT body FROM care_settings WHERE kind = @kind AND name = @name", new { kind, name }, cancellationToken));
    }

    public async Task PutSettingAsync(string kind, string name, string body, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command(
            """
            INSERT INTO care_settings (kind, name, body, updated_at) VALUES (@kind, @name, @body, @now)
            ON CONFLICT (kind, name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
            """,
            new { kind, name, body, now = Ms(at) },
            cancellationToken));
    }

    public async Task<bool> DeleteSettingAsync(string kind, string name, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command("DELETE FROM care_settings WHERE kind = @kind AND name = @name", new { kind, name }, cancellationToken)) == 1;
    }

    public async Task<bool> TryClaimAsync(long connectionId, string subject, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // One statement: two paths evaluating the same session at once cannot both claim it.
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command(
            "INSERT INTO care_claims (connection_id, subject, claimed_at) VALUES (@connectionId, @subject, @at) ON CONFLICT (connection_id, subject) DO NOTHING",
            new { connectionId, subject, at = Ms(at) },
            cancellationToken)) == 1;
    }

    public async Task ReleaseAsync(long connectionId, string subject, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command("DELETE FROM care_claims WHERE connection_id = @connectionId AND subject = @subject", new { connectionId, subject }, cancellationToken));
    }

    public async Task<CareAction> AddActionAsync(CareAction action, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var id = await db.ExecuteScalarAsync<long>(Command(
            """
            INSERT INTO care_actions (at, kind, connection, subject, user_name, device, title, rule, action, message, outcome, count)
            VALUES (@at, @kind, @connection, @subject, @user, @device, @title, @rule, @action, @message, @outcome, @count) RETURNING id
            """,
            new
            {
                at = Ms(action.At),
                kind = action.Kind,
                connection = action.Connection,
                subject = action.Subject,
                user = action.User,
                device = action.Device,
                title = action.Title,
                rule = action.Rule,
                action = action.Action,
                message = action.Message,
                outcome = action.Outcome,
                count = action.Count,
            },
            cancellationToken));
        return action with { Id = id };
    }

    public async Task<IReadOnlyList<CareAction>> ListActionsAsync(string? kind, int limit, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<Row>(Command(
            """
            SELECT id, at, kind, connection, subject, user_name AS UserName, device, title, rule, action, message, outcome, count
            FROM care_actions WHERE @kind IS NULL OR kind = @kind ORDER BY id DESC LIMIT @limit
            """,
            new { kind, limit },
            cancellationToken));
        return [.. rows.Select(r => new CareAction(r.Id, Time(r.At), r.Kind, r.Connection, r.Subject, r.UserName, r.Device, r.Title, r.Rule, r.Action, r.Message, r.Outcome, r.Count is { } c ? (int)c : null))];
    }

    private sealed record Row(long Id, long At, string Kind, string Connection, string Subject, string? UserName, string? Device, string? Title, string Rule, string Action, string? Message, string Outcome, long? Count);
}
