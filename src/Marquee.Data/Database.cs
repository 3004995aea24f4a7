using Marquee.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Marquee.Data;

/// <summary>Migrations, health and statistics over whichever engine is configured.</summary>
public sealed partial class Database(IDatabaseProvider provider, TimeProvider clock, ILogger<Database> logger) : IDatabase
{
    private static readonly string[] CountedTables =
    [
        "connections", "accounts", "profiles", "items", "item_ids", "source_items", "events", "state",
        "flows", "runs", "run_writes", "inbox", "outbox", "outbox_targets", "unresolved",
    ];

    public string Engine => provider.Engine;

    public string Location => provider.Location;

    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            provider.Prepare();
            await using var connection = await provider.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(Sql.Statement(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
                cancellationToken));
            var applied = (await connection.QueryAsync<int>(Sql.Statement("SELECT version FROM schema_migrations", cancellationToken))).ToHashSet();
            var done = new List<int>();
            foreach (var migration in provider.Migrations.Where(m => !applied.Contains(m.Version)))
            {
                // The transaction takes the write lock, so a second process starting at the same time waits here and
                // then sees the version applied instead of running the script twice.
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var already = await connection.ExecuteScalarAsync<long>(Sql.Statement(
                    "SELECT COUNT(*) FROM schema_migrations WHERE version = @Version", new { migration.Version }, cancellationToken, transaction));
                if (already > 0)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    continue;
                }

                await connection.ExecuteAsync(Sql.Statement(migration.Sql, cancellationToken, transaction));
                await connection.ExecuteAsync(
                    Sql.Statement(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                        new { migration.Version, migration.Name, At = clock.GetUtcNow().ToUnixTimeMilliseconds() },
                        cancellationToken,
                        transaction));
                await transaction.CommitAsync(cancellationToken);
                Log.MigrationApplied(logger, migration.Version, migration.Name);
                done.Add(migration.Version);
            }

            return done;
        }
        catch (Exception ex) when (ex is not StoreException && ex is not OperationCanceledException && provider.Explain(ex) is { } message)
        {
            throw new StoreException(message, ex);
        }
    }

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await provider.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<long>(Sql.Statement("SELECT COUNT(*) FROM schema_migrations", cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new StoreException(provider.Explain(ex) ?? $"The store at {provider.Location} does not answer: {ex.Message}", ex);
        }
    }

    public async Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await provider.OpenAsync(cancellationToken);
        var rows = new Dictionary<string, long>();
        foreach (var table in CountedTables)
        {
            rows[table] = await connection.ExecuteScalarAsync<long>(Sql.Statement($"SELECT COUNT(*) FROM {table}", cancellationToken));
        }

        var version = await connection.ExecuteScalarAsync<int?>(Sql.Statement("SELECT MAX(version) FROM schema_migrations", cancellationToken)) ?? 0;
        return new StoreStatistics(rows, provider.SizeBytes(), version);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Applied store migration {Version} ({Name})")]
        public static partial void MigrationApplied(ILogger logger, int version, string name);
    }
}
