using Dapper;
using Marquee.Core.Items;
using Marquee.Core.Sync;
using Marquee.Data.Stores;

namespace Marquee.Data.Tests;

/// <summary>
/// Every read of baselines and states (a full run's whole account or profile, a run's keys, one key) is read by column
/// number through one mapping per table; each must give the stored values, nulls and all, and only the rows asked for.
/// </summary>
public sealed class LedgerLoadTests : StoreTestBase
{
    private const long T = 1_700_000_000_000;

    [Fact]
    public async Task EveryBaseline_OfAnAccount_IsWhatTheKeyedReadGives()
    {
        await ArrangeAsync(
            """
            INSERT INTO observed_state (account_id, local_key, watched, view_count, last_viewed_at, rating, rated_at, progress_ms, observed_at, confirmed) VALUES
              (1, 'full', 1, 3, 1700000000000, 8.5, 1700000100000, 120000, 1700000200000, '{"V":2,"W":1700000000000,"R":7.5,"Ra":1700000000500,"P":60000,"O":1700000000900}'),
              (1, 'bare', 0, 0, NULL, NULL, NULL, NULL, 1700000300000, NULL),
              (1, 'half', 1, 1, 1700000400000, NULL, NULL, 5000, 1700000500000, '{"V":0,"W":null,"R":null,"Ra":null,"P":null,"O":1700000000000}'),
              (2, 'other', 1, 9, 1700000000000, NULL, NULL, NULL, 1700000000000, NULL);
            """);
        var store = new LedgerStore(Provider);

        var all = await store.LoadBaselinesAsync(1, share: null, CancellationToken.None);
        var keyed = await store.LoadBaselinesAsync(1, ["full", "bare", "half", "other"], CancellationToken.None);

        Assert.Equal(["bare", "full", "half"], all.Keys.Order());
        Assert.Equal(keyed.OrderBy(k => k.Key), all.OrderBy(k => k.Key));
        Assert.Equal(new ObservedState(3, DateTimeOffset.FromUnixTimeMilliseconds(T), 8.5, DateTimeOffset.FromUnixTimeMilliseconds(T + 100_000), 120_000, DateTimeOffset.FromUnixTimeMilliseconds(T + 200_000))
        {
            Confirmed = new ObservedState(2, DateTimeOffset.FromUnixTimeMilliseconds(T), 7.5, DateTimeOffset.FromUnixTimeMilliseconds(T + 500), 60_000, DateTimeOffset.FromUnixTimeMilliseconds(T + 900)),
        }, all["full"]);
        Assert.Equal(new ObservedState(0, null, null, null, null, DateTimeOffset.FromUnixTimeMilliseconds(T + 300_000)), all["bare"]);
        Assert.Null(all["half"].Rating);
        Assert.NotNull(all["half"].Confirmed);
        Assert.Equal(["full"], (await store.LoadBaselinesAsync(1, ["full", "other", "missing"], CancellationToken.None)).Keys);
        Assert.Equal(all["half"], await store.LoadBaselineAsync(1, "half", CancellationToken.None));
        Assert.Null(await store.LoadBaselineAsync(1, "other", CancellationToken.None));
    }

    [Fact]
    public async Task BaselinesEqualInEveryValue_AreOneObject_AndNoOthersAre()
    {
        await ArrangeAsync(
            """
            INSERT INTO observed_state (account_id, local_key, watched, view_count, last_viewed_at, rating, rated_at, progress_ms, observed_at, confirmed) VALUES
              (1, 'a', 0, 0, NULL, NULL, NULL, NULL, 1700000300000, NULL),
              (1, 'b', 0, 0, NULL, NULL, NULL, NULL, 1700000300000, NULL),
              (1, 'c', 0, 0, NULL, NULL, NULL, NULL, 1700000300000, NULL),
              (1, 'later', 0, 0, NULL, NULL, NULL, NULL, 1700000300001, NULL),
              (1, 'rated', 0, 0, NULL, 7.0, 1700000000000, NULL, 1700000300000, NULL),
              (1, 'begun', 0, 0, NULL, NULL, NULL, 0, 1700000300000, NULL),
              (1, 'unread', 0, 0, NULL, NULL, NULL, NULL, 1700000300000, '{"V":0,"W":null,"R":null,"Ra":null,"P":null,"O":1700000300000}'),
              (1, 'watched', 1, 1, 1700000000000, NULL, NULL, NULL, 1700000300000, NULL),
              (1, 'watched too', 1, 1, 1700000000000, NULL, NULL, NULL, 1700000300000, NULL);
            """);
        var store = new LedgerStore(Provider);

        foreach (var baselines in new[] { await store.LoadBaselinesAsync(1, share: null, CancellationToken.None), await store.LoadBaselinesAsync(1, ["a", "b", "c", "later", "rated", "begun", "unread", "watched", "watched too"], CancellationToken.None) })
        {
            Assert.Same(baselines["a"], baselines["b"]);
            Assert.Same(baselines["a"], baselines["c"]);
            Assert.Same(baselines["watched"], baselines["watched too"]);

            // Each other differs from the first in one value only (its time, a rating, a resume point at 0, a read kept beside it).
            var apart = new[] { "later", "rated", "begun", "unread", "watched" }.Select(k => baselines[k]).Prepend(baselines["a"]).ToList();
            Assert.Equal(apart.Count, apart.Distinct(ReferenceEqualityComparer.Instance).Count());
            Assert.Equal(apart.Count, apart.Distinct().Count());
        }
    }

    [Fact]
    public async Task AnAccountsBaselines_AreReadIntoATableOfTheirSize()
    {
        await ArrangeAsync(string.Join('\n', Enumerable.Range(0, 100).Select(i => $"INSERT INTO observed_state (account_id, local_key, view_count, observed_at) VALUES (1, 'k{i}', {i % 3}, 1700000000000);")));
        var store = new LedgerStore(Provider);

        var all = await store.LoadBaselinesAsync(1, share: null, CancellationToken.None);

        Assert.Equal(100, all.Count);
        Assert.InRange(Assert.IsType<Dictionary<string, ObservedState>>(all).Capacity, 100, 112);
    }

    [Fact]
    public async Task AnAccountsBaselines_KeepTheStringsTheSharerGives_ForEveryKey()
    {
        await ArrangeAsync(
            """
            INSERT INTO observed_state (account_id, local_key, view_count, observed_at) VALUES
              (1, 'known', 1, 1700000000000), (1, 'unknown', 0, 1700000000000), (2, 'known', 2, 1700000000000);
            """);
        var store = new LedgerStore(Provider);
        var held = new string(['k', 'n', 'o', 'w', 'n']);
        var asked = new List<string>();

        var all = await store.LoadBaselinesAsync(
            1,
            key =>
            {
                asked.Add(key);
                return key == held ? held : key;
            },
            CancellationToken.None);

        Assert.Equal(["known", "unknown"], asked.Order());
        Assert.Same(held, all.Keys.Single(k => k == "known"));
        Assert.NotSame(held, (await store.LoadBaselinesAsync(1, share: null, CancellationToken.None)).Keys.Single(k => k == "known"));
        Assert.Equal(1, all["known"].ViewCount);
        Assert.Equal(0, all["unknown"].ViewCount);
    }

    [Fact]
    public async Task EveryState_OfAProfile_IsWhatTheKeyedReadGives()
    {
        await ArrangeAsync(
            """
            INSERT INTO state (profile_id, item_id, watched, watched_at, watched_connection_id, play_count, last_play_at, last_play_connection_id, rating, rated_at, rating_connection_id, progress_ms, progress_at, progress_connection_id, last_event_id) VALUES
              (1, 10, 1, 1700000000000, 3, 2, 1700000100000, 4, 9.0, 1700000200000, 5, 30000, 1700000300000, 6, 77),
              (1, 11, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              (2, 10, 1, 1700000000000, 3, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 5);
            """);
        var store = new LedgerStore(Provider);

        var all = await store.LoadStatesAsync(1, CancellationToken.None);
        var keyed = await store.LoadStatesAsync(1, [10, 11], CancellationToken.None);

        Assert.Equal([10L, 11L], all.Keys.Order());
        Assert.Equal(keyed.OrderBy(k => k.Key), all.OrderBy(k => k.Key));
        var full = all[10];
        Assert.Equal(
            (true, T, 3L, 2, T + 100_000, 4L, 9.0, T + 200_000, 5L, 30_000L, T + 300_000, 6L, 77L),
            (full.Watched, full.WatchedAt!.Value.ToUnixTimeMilliseconds(), full.WatchedConnectionId!.Value, full.PlayCount, full.LastPlayAt!.Value.ToUnixTimeMilliseconds(), full.LastPlayConnectionId!.Value,
             full.Rating!.Value, full.RatedAt!.Value.ToUnixTimeMilliseconds(), full.RatingConnectionId!.Value, full.ProgressMs!.Value, full.ProgressAt!.Value.ToUnixTimeMilliseconds(), full.ProgressConnectionId!.Value, full.LastEventId!.Value));
        Assert.Equal(LedgerState.Empty, all[11]);
        Assert.Equal([10L], (await store.LoadStatesAsync(2, [10, 11], CancellationToken.None)).Keys);
        Assert.Equal(full, await store.LoadStateAsync(1, 10, CancellationToken.None));
        Assert.Null(await store.LoadStateAsync(2, 11, CancellationToken.None));
    }

    [Fact]
    public async Task TheIdentitySnapshot_HoldsEveryItemIdAndKey_WithOneSchemeStringEach()
    {
        await ArrangeAsync(
            """
            INSERT INTO items (id, kind, title, year, parent_item_id, season, episode, edition, created_at) VALUES
              (1, 'show', 'Show', 2001, NULL, NULL, NULL, NULL, 0),
              (2, 'episode', NULL, NULL, 1, 1, 2, NULL, 0),
              (3, 'movie', 'Film', 1999, NULL, NULL, NULL, 'Director''s Cut', 0),
              (4, 'nonsense', 'Odd', NULL, NULL, NULL, NULL, NULL, 0);
            INSERT INTO item_ids (scheme, value, item_id) VALUES ('imdb', 'tt0000001', 3), ('imdb', 'tt0000002', 1), ('tvdb', '42', 1), ('custom', 'x', 2);
            INSERT INTO source_items (connection_id, local_key, item_id, kind, seen_at, fingerprint) VALUES (7, '1001', 3, 'movie', 0, 12345), (7, '1002', NULL, 'movie', 0, NULL), (8, 'abc', 2, 'episode', 0, NULL);
            """);

        var snapshot = await new IdentityStore(Provider).LoadAsync(CancellationToken.None);

        Assert.Equal(
            [
                new LedgerItem(1, MediaKind.Show, "Show", 2001, null, null, null, null),
                new LedgerItem(2, MediaKind.Episode, null, null, 1, 1, 2, null),
                new LedgerItem(3, MediaKind.Movie, "Film", 1999, null, null, null, "Director's Cut"),
                new LedgerItem(4, MediaKind.Movie, "Odd", null, null, null, null, null),
            ],
            snapshot.Items.OrderBy(i => i.Id));
        Assert.Equal(
            [(new ExternalId("custom", "x"), 2L), (new ExternalId(ExternalId.Imdb, "tt0000001"), 3L), (new ExternalId(ExternalId.Imdb, "tt0000002"), 1L), (new ExternalId(ExternalId.Tvdb, "42"), 1L)],
            snapshot.Ids.OrderBy(i => i.Id.Scheme, StringComparer.Ordinal).ThenBy(i => i.Id.Value, StringComparer.Ordinal));
        Assert.All(snapshot.Ids.Where(i => i.Id.Scheme == ExternalId.Imdb), i => Assert.Same(ExternalId.Imdb, i.Id.Scheme));
        Assert.Equal([(7L, "1001", 3L, 12345L), (8L, "abc", 2L, LinkFingerprint.None)], snapshot.SourceItems.OrderBy(k => k.LocalKey, StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheIdentitySnapshot_IsReadIntoListsOfItsSize()
    {
        // Sizes no doubling lands on (a list grown one item at a time from empty has room for a power of two).
        await ArrangeAsync(string.Join('\n', Enumerable.Range(1, 1000).Select(i =>
            $"""
            INSERT INTO items (id, kind, title, created_at) VALUES ({i}, 'movie', 'Film {i}', 0);
            INSERT INTO item_ids (scheme, value, item_id) VALUES ('imdb', 'tt{i:D7}', {i}), ('tmdb', '{i}', {i}){(i <= 500 ? $", ('tvdb', '{i}', {i})" : string.Empty)};
            INSERT INTO source_items (connection_id, local_key, item_id, kind, seen_at) VALUES (7, '{i}', {(i % 10 == 0 ? "NULL" : i.ToString(System.Globalization.CultureInfo.InvariantCulture))}, 'movie', 0);
            """)));

        var snapshot = await new IdentityStore(Provider).LoadAsync(CancellationToken.None);

        Assert.Equal((1000, 2500, 900), (snapshot.Items.Count, snapshot.Ids.Count, snapshot.SourceItems.Count));
        Assert.Equal(1000, Assert.IsType<List<LedgerItem>>(snapshot.Items).Capacity);
        Assert.Equal(2500, Assert.IsType<List<(ExternalId, long)>>(snapshot.Ids).Capacity);
        Assert.Equal(900, Assert.IsType<List<(long, string, long, long)>>(snapshot.SourceItems).Capacity);
    }

    /// <summary>Rows written as they are stored, foreign keys aside: the reads under test do not look at the other tables.</summary>
    private async Task ArrangeAsync(string sql)
    {
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync("PRAGMA foreign_keys = OFF;");
        await db.ExecuteAsync(sql);
        await db.ExecuteAsync("PRAGMA foreign_keys = ON;");
    }
}
