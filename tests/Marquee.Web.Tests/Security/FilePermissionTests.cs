using Marquee.Hosting.Security;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Security;

/// <summary>Issue 13, finding 8: the data folder and every file that holds data or secrets are the owner's only.</summary>
public sealed class FilePermissionTests
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task SecretsAtRest_DataFolderStoreAndKeyFiles_OwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // A data folder that does not exist yet, as at the first start.
        using var parent = new Marquee.TestKit.TempFolder();
        var data = Path.Combine(parent.Path, "fresh", "data");
        await using var app = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:DataFolder"] = data });
        await app.CreatePlexAsync("home");
        _ = app.Services.GetRequiredService<WebhookSecret>().Value;

        // A write held open keeps the write-ahead log and the shared-memory file in place, as SQLite created them.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "marquee.db")};Pooling=False");
        await connection.OpenAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS permission_probe (x INTEGER); INSERT INTO permission_probe VALUES (1);";
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(data));
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(Path.Combine(data, "keys")));
        foreach (var file in new[] { "marquee.db", "marquee.db-wal", "marquee.db-shm", ApiKey.FileName, WebhookSecret.FileName })
        {
            var path = Path.Combine(data, file);
            Assert.True(File.Exists(path), $"{file} missing");
            Assert.True(OwnerOnlyFile == File.GetUnixFileMode(path), $"{file} is {File.GetUnixFileMode(path)}");
        }
    }

    [Fact]
    public async Task SecretsAtRest_StoreOfAnEarlierVersion_TightenedAtStart()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var folder = new Marquee.TestKit.TempFolder();
        await using (var first = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:DataFolder"] = folder.Path }))
        {
            await first.CreatePlexAsync("home");
        }

        var store = Path.Combine(folder.Path, "marquee.db");
        File.SetUnixFileMode(store, OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var second = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:DataFolder"] = folder.Path });

        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(store));
    }
}
