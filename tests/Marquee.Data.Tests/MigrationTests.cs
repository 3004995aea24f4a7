using Marquee.Data.Sqlite;
using Marquee.TestKit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marquee.Data.Tests;

public sealed class MigrationTests : IDisposable
{
    private static readonly string[] RequiredTables =
    [
        "connections", "accounts", "profiles", "profile_accounts", "items", "item_ids", "source_items", "events", "state",
        "observed_state", "flows", "runs", "run_writes", "inbox", "outbox", "unresolved", "schema_migrations",
    ];

    private readonly TempFolder _folder = new();
    private readonly SqliteDatabaseProvider _provider;
    private readonly Database _database;

    public MigrationTests()
    {
        _provider = new SqliteDatabaseProvider(_folder.Path, TimeSpan.FromSeconds(1));
        _database = new Database(_provider, TimeProvider.System, NullLogger<Database>.Instance);
    }

    [Fact]
    public void Migrations_AreEmbeddedAndNumberedFromOne()
    {
        Assert.NotEmpty(_provider.Migrations);
        // Ascending from 1 without repeats; a number taken by a change merged later may be missing until then.
        var versions = _provider.Migrations.Select(m => m.Version).ToList();
        Assert.Equal(1, versions[0]);
        Assert.Equal(versions.Order().Distinct(), versions);
        Assert.Equal("initial", _provider.Migrations[0].Name);
    }

    [Fact]
    public async Task MigrateAsync_NewFolder_CreatesFileAndAppliesEveryVersion()
    {
        var folder = _folder.Combine("data", "nested");
        var provider = new SqliteDatabaseProvider(folder, TimeSpan.FromSeconds(1));
        var database = new Database(provider, TimeProvider.System, NullLogger<Database>.Instance);

        var applied = await database.MigrateAsync(CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(folder, SqliteDatabaseProvider.FileName)));
        Assert.Equal(provider.Migrations.Select(m => m.Version), applied);
        var recorded = await provider.QueryAsync<(long Version, string Name)>("SELECT version, name FROM schema_migrations ORDER BY version");
        Assert.Equal(provider.Migrations.Select(m => ((long)m.Version, m.Name)), recorded);
    }

    [Fact]
    public async Task MigrateAsync_NewFile_CreatesEveryTable()
    {
        await _database.MigrateAsync(CancellationToken.None);

        var tables = await _provider.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'");
        var missing = RequiredTables.Except(tables, StringComparer.Ordinal).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task MigrateAsync_SecondTime_IsNoOp()
    {
        await _database.MigrateAsync(CancellationToken.None);
        var before = await _provider.QueryAsync<(long Version, string Name, long AppliedAt)>("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");

        var again = await _database.MigrateAsync(CancellationToken.None);
        var fresh = new Database(new SqliteDatabaseProvider(_folder.Path, TimeSpan.FromSeconds(1)), TimeProvider.System, NullLogger<Database>.Instance);
        var third = await fresh.MigrateAsync(CancellationToken.None);

        Assert.Empty(again);
        Assert.Empty(third);
        var after = await _provider.QueryAsync<(long Version, string Name, long AppliedAt)>("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task MigrateAsync_RecordsTimeFromClock()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var database = new Database(_provider, new FixedTimeProvider(at), NullLogger<Database>.Instance);

        await database.MigrateAsync(CancellationToken.None);

        var times = await _provider.QueryAsync<long>("SELECT applied_at FROM schema_migrations");
        Assert.All(times, t => Assert.Equal(at.ToUnixTimeMilliseconds(), t));
    }

    [Fact]
    public async Task MigrateAsync_KeepsExistingData()
    {
        await _database.MigrateAsync(CancellationToken.None);
        await _provider.ExecuteAsync("INSERT INTO profiles (name, created_at) VALUES ('anna', 1)");

        await _database.MigrateAsync(CancellationToken.None);

        Assert.Equal(1L, await _provider.ScalarAsync<long>("SELECT COUNT(*) FROM profiles"));
    }

    [Fact]
    public async Task OpenAsync_AfterMigrate_UsesWalJournal()
    {
        await _database.MigrateAsync(CancellationToken.None);

        Assert.Equal("wal", await _provider.ScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task OpenAsync_EnablesForeignKeys()
    {
        await _database.MigrateAsync(CancellationToken.None);

        Assert.Equal(1L, await _provider.ScalarAsync<long>("PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task MigrateAsync_NewFile_PassesIntegrityCheck()
    {
        await _database.MigrateAsync(CancellationToken.None);

        Assert.Equal("ok", await _provider.ScalarAsync<string>("PRAGMA integrity_check"));
        Assert.Empty(await _provider.QueryAsync<string>("PRAGMA foreign_key_check"));
    }

    [Fact]
    public async Task Events_Update_IsRejectedAsImmutable()
    {
        await _database.MigrateAsync(CancellationToken.None);
        var eventId = await InsertEventAsync();

        var ex = await Assert.ThrowsAsync<SqliteException>(() => _provider.ExecuteAsync("UPDATE events SET value = 'false' WHERE id = @eventId", new { eventId }));

        Assert.Contains("ledger events are immutable", ex.Message, StringComparison.Ordinal);
        Assert.Equal("true", await _provider.ScalarAsync<string>("SELECT value FROM events WHERE id = @eventId", new { eventId }));
    }

    [Fact]
    public async Task Events_Delete_IsAllowed()
    {
        await _database.MigrateAsync(CancellationToken.None);
        var eventId = await InsertEventAsync();

        var deleted = await _provider.ExecuteAsync("DELETE FROM events WHERE id = @eventId", new { eventId });

        Assert.Equal(1, deleted);
        Assert.Equal(0L, await _provider.ScalarAsync<long>("SELECT COUNT(*) FROM events"));
    }

    [Fact]
    public async Task Events_DeletingProfile_RemovesItsEvents()
    {
        await _database.MigrateAsync(CancellationToken.None);
        await InsertEventAsync();

        await _provider.ExecuteAsync("DELETE FROM profiles");

        Assert.Equal(0L, await _provider.ScalarAsync<long>("SELECT COUNT(*) FROM events"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private async Task<long> InsertEventAsync()
    {
        await _provider.ExecuteAsync("INSERT INTO profiles (id, name, created_at) VALUES (1, 'anna', 1)");
        await _provider.ExecuteAsync("INSERT INTO items (id, kind, title, created_at) VALUES (1, 'movie', 'Heat', 1)");
        return await _provider.ScalarAsync<long>(
            "INSERT INTO events (profile_id, item_id, feature, value, occurred_at, observed_at, origin) VALUES (1, 1, 'watched', 'true', 10, 20, 'manual') RETURNING id");
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
