using Dapper;
using Marquee.Core.Items;
using Marquee.Core.Sync;
using Marquee.Data.Stores;

namespace Marquee.Data.Tests;

/// <summary>
/// New items are stored parents first, a round of prepared inserts at a time, each child under its parent's stored id;
/// their ids and local keys follow under the stored ids. An item naming a parent that is neither stored nor new is
/// refused and nothing of the change is kept.
/// </summary>
public sealed class IdentitySaveTests : StoreTestBase
{
    [Fact]
    public async Task SaveAsync_NewItemsUnderNewParents_AreStoredUnderTheParentsStoredIds()
    {
        var connection = (await new ConnectionStore(Provider).InsertAsync("left", "plex", "{}", Now, CancellationToken.None))!.Id;
        var store = new IdentityStore(Provider);
        var stored = await store.SaveAsync(new IdentityChanges([new LedgerItem(-1, MediaKind.Show, "Known", 2001, null, null, null, null)], [], [], Now), CancellationToken.None);
        var known = stored[-1];

        // Listed children first and out of order: the store finds the order, however deep the new parents go.
        var changes = new IdentityChanges(
            [
                new LedgerItem(-6, MediaKind.Episode, "Deep", null, -5, 1, 1, null),
                new LedgerItem(-3, MediaKind.Episode, "Second", null, -1, 1, 2, null),
                new LedgerItem(-2, MediaKind.Episode, "First", null, -1, 1, 1, null),
                new LedgerItem(-7, MediaKind.Episode, "Under a stored show", null, known, 2, 1, null),
                new LedgerItem(-5, MediaKind.Season, "Season 1", null, -4, 1, null, null),
                new LedgerItem(-4, MediaKind.Show, "Other", 2020, null, null, null, null),
                new LedgerItem(-1, MediaKind.Show, "New", 2010, null, null, null, null),
                new LedgerItem(-8, MediaKind.Movie, "Film", 1999, null, null, null, "Director's Cut"),
            ],
            [(new ExternalId("tvdb", "1"), -1), (new ExternalId("imdb", "tt1"), -8)],
            Links(connection, 8),
            Now);

        var real = await store.SaveAsync(changes, CancellationToken.None);

        Assert.Equal(8, real.Count);
        Assert.Equal(8, real.Values.Distinct().Count());
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        var rows = (await db.QueryAsync<(long Id, string Kind, string Title, long? Year, long? Parent, long? Season, long? Episode, string? Edition)>("SELECT id, kind, title, year, parent_item_id, season, episode, edition FROM items")).ToDictionary(r => r.Id);
        Assert.Equal(9, rows.Count);
        Assert.Equal(real[-1], rows[real[-2]].Parent);
        Assert.Equal(real[-1], rows[real[-3]].Parent);
        Assert.Equal(real[-4], rows[real[-5]].Parent);
        Assert.Equal(real[-5], rows[real[-6]].Parent);
        Assert.Equal(known, rows[real[-7]].Parent);
        Assert.Null(rows[real[-8]].Parent);
        Assert.Equal(("season", "Season 1"), (rows[real[-5]].Kind, rows[real[-5]].Title));
        Assert.Equal("Director's Cut", rows[real[-8]].Edition);
        Assert.Equal((2010L, (long?)null, (long?)null), (rows[real[-1]].Year!.Value, rows[real[-1]].Season, rows[real[-1]].Episode));
        Assert.Equal(((long?)null, 1L, 2L), (rows[real[-3]].Year, rows[real[-3]].Season!.Value, rows[real[-3]].Episode!.Value));
        Assert.Equal(
            [("imdb", "tt1", real[-8]), ("tvdb", "1", real[-1])],
            (await db.QueryAsync<(string, string, long)>("SELECT scheme, value, item_id FROM item_ids ORDER BY scheme")).ToList());
        Assert.Equal(
            Enumerable.Range(1, 8).Select(i => ($"k{i}", real[-i])).Order().ToList(),
            (await db.QueryAsync<(string, long)>("SELECT local_key, item_id FROM source_items ORDER BY local_key")).ToList());
    }

    [Fact]
    public async Task SaveAsync_ItemUnderAParentNeitherStoredNorNew_IsRefused_AndNothingIsKept()
    {
        var connection = (await new ConnectionStore(Provider).InsertAsync("left", "plex", "{}", Now, CancellationToken.None))!.Id;
        var store = new IdentityStore(Provider);
        var changes = new IdentityChanges(
            [new LedgerItem(-1, MediaKind.Show, "New", 2010, null, null, null, null), new LedgerItem(-2, MediaKind.Episode, "Orphan", null, -9, 1, 1, null)],
            [(new ExternalId("tvdb", "1"), -1)],
            Links(connection, 1),
            Now);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveAsync(changes, CancellationToken.None));

        Assert.Contains("1 new items name a parent", error.Message, StringComparison.Ordinal);
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM item_ids) + (SELECT count(*) FROM source_items)"));
    }

    /// <summary>Local keys k1..kN of the new items -1..-N, made as the store walks them (as a run hands them over).</summary>
    private static IEnumerable<(long, string, long, string, string?, string?, string?)> Links(long connection, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            yield return (connection, $"k{i}", -i, "movie", null, null, "1");
        }
    }
}
