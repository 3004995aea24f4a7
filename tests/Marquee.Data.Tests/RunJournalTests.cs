using Dapper;
using Marquee.Core.Sync;
using Marquee.Data.Sqlite;
using Marquee.Data.Stores;
using Microsoft.Data.Sqlite;

namespace Marquee.Data.Tests;

/// <summary>
/// A run reads its plan's journal rows at once and stores its writes' outcomes many per transaction; both must give
/// what the one-row reads and updates give.
/// </summary>
public sealed class RunJournalTests : StoreTestBase
{
    [Fact]
    public async Task FindWrites_GivesEveryExistingRow_AsTheOneKeyReadDoes_AcrossManyKeys()
    {
        var store = new RunStore(Provider);
        var runId = await store.StartAsync(null, "main", "test", null, Now, CancellationToken.None);
        var keys = Enumerable.Range(0, 1_203).Select(i => $"1|1|{i}|1|watched|mark-watched|||").ToList();
        foreach (var key in keys.Where((_, i) => i % 3 != 1))
        {
            var id = await store.InsertWriteAsync(Row(runId, key), CancellationToken.None);
            if (key.EndsWith("2|1|watched|mark-watched|||", StringComparison.Ordinal))
            {
                await store.UpdateWriteAsync(id, runId, WriteStatus.Written, "{\"Watched\":true}", null, Now, CancellationToken.None);
                await store.SetNotTakenAsync(id, 2, CancellationToken.None);
            }
        }

        var found = await store.FindWritesAsync([.. keys, "not journaled"], CancellationToken.None);

        Assert.Equal(802, found.Count);
        foreach (var key in keys)
        {
            Assert.Equal(await store.FindWriteAsync(key, CancellationToken.None), found.GetValueOrDefault(key));
        }

        Assert.Contains(found.Values, w => w.NotTaken == 2 && w.Status == WriteStatus.Written && w.WrittenAt == Now);
        Assert.Empty(await store.FindWritesAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task UpdateWrites_StoresEachOutcome_AsTheOneRowUpdateDoes()
    {
        var store = new RunStore(Provider);
        var first = await store.StartAsync(null, "main", "test", null, Now, CancellationToken.None);
        var second = await store.StartAsync(null, "main", "test", null, Now, CancellationToken.None);
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await store.InsertWriteAsync(Row(first, $"k{i}"), CancellationToken.None));
        }

        var outcomes = new[]
        {
            new WriteOutcome(ids[0], first, WriteStatus.Written, "{\"Watched\":true}", null, Now.AddSeconds(1)),
            new WriteOutcome(ids[1], first, WriteStatus.Failed, "{\"Watched\":true}", "the server said 500", null),
            new WriteOutcome(ids[2], second, WriteStatus.Written, null, null, Now.AddSeconds(2)),
        };
        await store.UpdateWritesAsync(outcomes, CancellationToken.None);
        await store.UpdateWriteAsync(ids[3], first, WriteStatus.Written, "{\"Watched\":true}", null, Now.AddSeconds(1), CancellationToken.None);
        await store.UpdateWriteAsync(ids[4], first, WriteStatus.Failed, "{\"Watched\":true}", "the server said 500", null, CancellationToken.None);
        await store.UpdateWriteAsync(ids[5], second, WriteStatus.Written, null, null, Now.AddSeconds(2), CancellationToken.None);
        await store.UpdateWritesAsync([], CancellationToken.None);

        var rows = (await store.ListWritesAsync(first, CancellationToken.None)).Concat(await store.ListWritesAsync(second, CancellationToken.None)).ToDictionary(w => w.Id);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(rows[ids[i + 3]] with { Id = 0, IdempotencyKey = string.Empty }, rows[ids[i]] with { Id = 0, IdempotencyKey = string.Empty });
        }

        Assert.Equal((second, WriteStatus.Written, (string?)null, Now.AddSeconds(2)), (rows[ids[2]].RunId, rows[ids[2]].Status, rows[ids[2]].After, rows[ids[2]].WrittenAt));
        Assert.Equal((WriteStatus.Failed, "the server said 500", (DateTimeOffset?)null), (rows[ids[1]].Status, rows[ids[1]].Error, rows[ids[1]].WrittenAt));
    }

    [Fact]
    public async Task InsertWrites_StoresEachRow_AsTheOneRowInsertDoes_AndKeepsNothingWhenOneIsRefused()
    {
        var store = new RunStore(Provider);
        var runId = await store.StartAsync(null, "main", "test", null, Now, CancellationToken.None);
        var alone = await store.InsertWriteAsync(Row(runId, "alone"), CancellationToken.None);
        var rows = Enumerable.Range(0, 5).Select(i => Row(runId, $"together {i}") with { Before = i % 2 == 0 ? null : "{\"Watched\":false}", ItemId = i == 3 ? null : i }).ToList();

        var ids = await store.InsertWritesAsync(rows, CancellationToken.None);

        Assert.Equal(5, ids.Count);
        Assert.Equal(ids.Order(), ids);
        Assert.True(ids[0] > alone);
        var stored = (await store.ListWritesAsync(runId, CancellationToken.None)).ToDictionary(w => w.Id);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i] with { Id = ids[i] }, stored[ids[i]]);
        }

        Assert.Equal(Row(runId, "alone") with { Id = alone }, stored[alone]);

        // A key journaled already (unique) refuses its row: none of the rows stored with it is kept.
        var refused = await Assert.ThrowsAsync<SqliteException>(() => store.InsertWritesAsync([Row(runId, "new one"), Row(runId, "together 2")], CancellationToken.None));
        Assert.Contains("UNIQUE", refused.Message, StringComparison.Ordinal);
        Assert.Null(await store.FindWriteAsync("new one", CancellationToken.None));
        Assert.Equal(6, (await store.ListWritesAsync(runId, CancellationToken.None)).Count);
        Assert.Empty(await store.InsertWritesAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task EveryEngineConnection_GetsTheSettings_EvenWhenThePoolReusesIt()
    {
        var other = new SqliteDatabaseProvider(Folder.Path, TimeSpan.FromMilliseconds(1_500));

        // Two at once are two engine connections; closed and opened again, the pool hands the same ones back.
        for (var round = 0; round < 2; round++)
        {
            await using var a = await Provider.OpenAsync(CancellationToken.None);
            await using var b = await Provider.OpenAsync(CancellationToken.None);
            Assert.NotSame(((SqliteConnection)a).Handle, ((SqliteConnection)b).Handle);
            foreach (var db in new[] { a, b })
            {
                Assert.Equal(1_000, await db.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
                Assert.Equal(1, await db.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
                Assert.Equal(1, await db.ExecuteScalarAsync<long>("PRAGMA synchronous"));
                Assert.Equal("wal", await db.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
            }
        }

        // Another provider of the same file shares the pool: its own settings are made on the connections it is given.
        await using (var c = await other.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(1_500, await c.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
        }
    }

    private static RunWrite Row(long runId, string key) =>
        new(0, runId, 1, 2, 3, 4, "/library/metadata/7", "watched", "mark-watched", "{\"Watched\":false}", "{\"Watched\":true}", "newer on the left", key, WriteStatus.Planned, null, Now, null);
}
