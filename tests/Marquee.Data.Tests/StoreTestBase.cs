using Marquee.Data.Sqlite;
using Marquee.TestKit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marquee.Data.Tests;

/// <summary>Each test gets its own folder with a freshly migrated SQLite file.</summary>
public abstract class StoreTestBase : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 21, 18, 0, 0, TimeSpan.Zero);

    protected StoreTestBase()
    {
        Folder = new TempFolder();
        Provider = new SqliteDatabaseProvider(Folder.Path, TimeSpan.FromSeconds(1));
        Database = new Database(Provider, TimeProvider.System, NullLogger<Database>.Instance);
    }

    protected TempFolder Folder { get; }

    protected SqliteDatabaseProvider Provider { get; }

    protected Database Database { get; }

    public virtual async Task InitializeAsync() => await Database.MigrateAsync(CancellationToken.None);

    public Task DisposeAsync()
    {
        // Pooled connections keep the file open; release them before the folder goes.
        SqliteConnection.ClearAllPools();
        Folder.Dispose();
        return Task.CompletedTask;
    }
}
