using Dapper;
using Marquee.Core.Storage;
using Marquee.Data.Sqlite;
using Marquee.Data.Stores;
using Marquee.TestKit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marquee.Data.Tests;

public sealed class DatabaseTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void Engine_AndLocation_DescribeTheFile()
    {
        var (provider, database) = Open(_folder.Path);

        Assert.Equal("sqlite", database.Engine);
        Assert.Equal(_folder.Combine(SqliteDatabaseProvider.FileName), database.Location);
        Assert.Equal(provider.FilePath, database.Location);
    }

    [Fact]
    public async Task GetStatisticsAsync_CountsRowsPerTable()
    {
        var (provider, database) = Open(_folder.Path);
        await database.MigrateAsync(CancellationToken.None);
        var connections = new ConnectionStore(provider);
        var profiles = new ProfileStore(provider);
        var plex = await connections.InsertAsync("plex", "plex", "{}", DateTimeOffset.UnixEpoch, CancellationToken.None);
        await connections.InsertAsync("jelly", "jellyfin", "{}", DateTimeOffset.UnixEpoch, CancellationToken.None);
        await connections.UpsertAccountAsync(plex!.Id, "1", "anna", "home", null, CancellationToken.None);
        foreach (var name in new[] { "anna", "bob", "carol" })
        {
            await profiles.InsertAsync(name, null, DateTimeOffset.UnixEpoch, CancellationToken.None);
        }

        var statistics = await database.GetStatisticsAsync(CancellationToken.None);

        Assert.Equal(2, statistics.Rows["connections"]);
        Assert.Equal(1, statistics.Rows["accounts"]);
        Assert.Equal(3, statistics.Rows["profiles"]);
        Assert.Equal(0, statistics.Rows["events"]);
        Assert.Equal(0, statistics.Rows["outbox"]);
        Assert.Equal(provider.Migrations[^1].Version, statistics.SchemaVersion);
    }

    [Fact]
    public async Task GetStatisticsAsync_ReportsSizeOfFileAndJournal()
    {
        var (provider, database) = Open(_folder.Path);
        await database.MigrateAsync(CancellationToken.None);

        // SQLite removes the -wal and -shm files when the last connection closes (other tests clear
        // the shared pools at any time), so hold a connection open to keep the files as they are.
        await using var holder = await provider.OpenAsync(CancellationToken.None);
        await holder.ExecuteAsync("INSERT INTO profiles (name, created_at) VALUES ('anna', 1)");
        var statistics = await database.GetStatisticsAsync(CancellationToken.None);

        var files = new[] { string.Empty, "-wal", "-shm" }.Select(suffix => new FileInfo(provider.FilePath + suffix)).ToList();
        Assert.All(files, f => Assert.True(f.Exists, f.Name));
        Assert.Equal(files.Sum(f => f.Length), statistics.SizeBytes);
    }

    [Fact]
    public async Task CheckAsync_MigratedStore_Succeeds()
    {
        var (_, database) = Open(_folder.Path);
        await database.MigrateAsync(CancellationToken.None);

        await database.CheckAsync(CancellationToken.None);
    }

    [Fact]
    public async Task CheckAsync_GarbageFile_ThrowsStoreExceptionSayingDamaged()
    {
        var (provider, database) = Open(_folder.Path);
        var bytes = new byte[8192];
        new Random(42).NextBytes(bytes);
        await File.WriteAllBytesAsync(provider.FilePath, bytes);

        var ex = await Assert.ThrowsAsync<StoreException>(() => database.CheckAsync(CancellationToken.None));

        Assert.Contains(provider.FilePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("damaged or is not a Marquee database", ex.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(ex.InnerException);
    }

    [Fact]
    public async Task MigrateAsync_GarbageFile_ThrowsStoreExceptionSayingDamaged()
    {
        var (provider, database) = Open(_folder.Path);
        await File.WriteAllTextAsync(provider.FilePath, "this is a text file, not a database, and it is long enough to have a header");

        var ex = await Assert.ThrowsAsync<StoreException>(() => database.MigrateAsync(CancellationToken.None));

        Assert.Contains("damaged or is not a Marquee database", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_StoreNeverMigrated_ThrowsStoreException()
    {
        var (provider, database) = Open(_folder.Path);

        var ex = await Assert.ThrowsAsync<StoreException>(() => database.CheckAsync(CancellationToken.None));

        Assert.Contains(provider.FilePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("schema_migrations", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_DataFolderMissing_ThrowsStoreExceptionAndCreatesNothing()
    {
        var missing = _folder.Combine("gone");
        var (_, database) = Open(missing);

        var ex = await Assert.ThrowsAsync<StoreException>(() => database.CheckAsync(CancellationToken.None));

        Assert.Contains("cannot be opened", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task MigrateAsync_FolderBelowAFile_ThrowsStoreExceptionNamingFolder()
    {
        var file = _folder.Combine("afile");
        await File.WriteAllTextAsync(file, "not a folder");
        var dataFolder = Path.Combine(file, "data");
        var (_, database) = Open(dataFolder);

        var ex = await Assert.ThrowsAsync<StoreException>(() => database.MigrateAsync(CancellationToken.None));

        Assert.Contains($"The data folder {dataFolder} cannot be written", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(ex.InnerException);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task MigrateAsync_StoreLockedByAnotherWriter_ThrowsStoreExceptionSayingLocked()
    {
        var (provider, database) = Open(_folder.Path);
        await database.MigrateAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = provider.FilePath, Pooling = false }.ToString();
        await using var other = new SqliteConnection(connectionString);
        await other.OpenAsync();
        await using (var command = other.CreateCommand())
        {
            command.CommandText = "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; INSERT INTO profiles (name, created_at) VALUES ('holder', 1);";
            await command.ExecuteNonQueryAsync();
        }

        var (_, second) = Open(_folder.Path);
        var ex = await Assert.ThrowsAsync<StoreException>(() => second.MigrateAsync(CancellationToken.None));

        Assert.Contains("locked", ex.Message, StringComparison.Ordinal);
        Assert.Contains(provider.FilePath, ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static (SqliteDatabaseProvider Provider, Database Database) Open(string folder)
    {
        var provider = new SqliteDatabaseProvider(folder, TimeSpan.FromSeconds(1));
        return (provider, new Database(provider, TimeProvider.System, NullLogger<Database>.Instance));
    }
}
