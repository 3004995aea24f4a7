using System.Data.Common;
using System.Text.Json;
using Marquee.Core.Notifications;
using Marquee.Core.Storage;
using Marquee.Core.Validation;

namespace Marquee.Data.Stores;

public sealed class NotificationStore(IDatabaseProvider provider, ISecretProtector protector) : StoreBase(provider), INotificationStore
{
    private const string Columns = "id, name, kind, secrets, triggers, templates, method, enabled, status, created_at, updated_at, settings";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<NotificationChannel>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<Row>(Command($"SELECT {Columns} FROM notification_channels ORDER BY id", cancellationToken));
        return [.. rows.Select(Map)];
    }

    public async Task<NotificationChannel?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<Row>(Command($"SELECT {Columns} FROM notification_channels WHERE id = @id", new { id }, cancellationToken));
        return row is null ? null : Map(row);
    }

    public async Task<NotificationChannel?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<Row>(Command($"SELECT {Columns} FROM notification_channels WHERE name = @name", new { name }, cancellationToken));
        return row is null ? null : Map(row);
    }

    public async Task<NotificationChannel> CreateAsync(NotificationChannel channel, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        try
        {
            var id = await db.ExecuteScalarAsync<long>(Command(
                """
                INSERT INTO notification_channels (name, kind, secrets, triggers, templates, method, enabled, status, created_at, updated_at, settings)
                VALUES (@name, @kind, @secrets, @triggers, @templates, @method, @enabled, @status, @created, @updated, @settings) RETURNING id
                """,
                Parameters(channel),
                cancellationToken));
            return channel with { Id = id };
        }
        catch (DbException ex) when (Violation(ex) == ConstraintViolation.Unique)
        {
            throw new ConflictException("name", $"A notification channel named '{channel.Name}' exists.");
        }
    }

    public async Task<NotificationChannel> UpdateAsync(NotificationChannel channel, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        try
        {
            await db.ExecuteAsync(Command(
                """
                UPDATE notification_channels SET name = @name, secrets = @secrets, triggers = @triggers, templates = @templates, method = @method,
                    enabled = @enabled, status = @status, updated_at = @updated, settings = @settings WHERE id = @id
                """,
                Parameters(channel),
                cancellationToken));
            return channel;
        }
        catch (DbException ex) when (Violation(ex) == ConstraintViolation.Unique)
        {
            throw new ConflictException("name", $"A notification channel named '{channel.Name}' exists.");
        }
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command("DELETE FROM notification_sent WHERE channel_id = @id", new { id }, cancellationToken));
        return await db.ExecuteAsync(Command("DELETE FROM notification_channels WHERE id = @id", new { id }, cancellationToken)) == 1;
    }

    public async Task DisableAsync(long id, string status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command("UPDATE notification_channels SET enabled = 0, status = @status, updated_at = @now WHERE id = @id", new { id, status, now = Ms(now) }, cancellationToken));
    }

    public async Task<bool> TryClaimAsync(long channelId, string trigger, string subject, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);

        // Claimed when nothing was sent, or the last one is a window or more before this one: one statement, so two paths
        // reporting the same playback at once cannot both claim it.
        return await db.ExecuteAsync(Command(
            """
            INSERT INTO notification_sent (channel_id, trigger, subject, sent_at) VALUES (@channelId, @trigger, @subject, @now)
            ON CONFLICT (channel_id, trigger, subject) DO UPDATE SET sent_at = excluded.sent_at
            WHERE excluded.sent_at - notification_sent.sent_at >= @window
            """,
            new { channelId, trigger, subject, now = Ms(now), window = (long)window.TotalMilliseconds },
            cancellationToken)) == 1;
    }

    private SqlArguments Parameters(NotificationChannel c) => SqlArguments.Of(new
    {
        id = c.Id,
        name = c.Name,
        kind = c.Kind,
        secrets = protector.Protect(JsonSerializer.Serialize(c.Secrets, Json)),
        triggers = JsonSerializer.Serialize(c.Triggers, Json),
        templates = JsonSerializer.Serialize(c.Templates, Json),
        method = c.Method,
        enabled = c.Enabled ? 1 : 0,
        status = c.Status,
        created = Ms(c.CreatedAt),
        updated = Ms(c.UpdatedAt),
        settings = JsonSerializer.Serialize(c.Settings, Json),
    });

    private NotificationChannel Map(Row r) => new(
        r.Id,
        r.Name,
        r.Kind,
        JsonSerializer.Deserialize<ChannelSecrets>(protector.Unprotect(r.Secrets), Json)!,
        JsonSerializer.Deserialize<List<string>>(r.Triggers, Json) ?? [],
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.Templates, Json) ?? [],
        r.Method,
        r.Enabled != 0,
        r.Status,
        Time(r.CreatedAt),
        Time(r.UpdatedAt))
    {
        Settings = JsonSerializer.Deserialize<ChannelSettings>(r.Settings, Json) ?? new ChannelSettings(),
    };

    private sealed class Row
    {
        public long Id { get; init; }

        public string Name { get; init; } = string.Empty;

        public string Kind { get; init; } = string.Empty;

        public string Secrets { get; init; } = string.Empty;

        public string Triggers { get; init; } = "[]";

        public string Templates { get; init; } = "{}";

        public string Method { get; init; } = "POST";

        public long Enabled { get; init; }

        public string Status { get; init; } = "ok";

        public long CreatedAt { get; init; }

        public long UpdatedAt { get; init; }

        public string Settings { get; init; } = "{}";
    }
}
