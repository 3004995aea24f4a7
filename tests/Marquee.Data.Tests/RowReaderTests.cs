using System.Data.Common;
using Dapper;
using Marquee.Data.Stores;
using Microsoft.Data.Sqlite;

namespace Marquee.Data.Tests;

/// <summary>
/// SQLite's own row reader (a statement's columns read straight from its pointer) reads what the driver's reader reads,
/// raises the same errors, and the stores read the same through it as through a command on an engine without one.
/// </summary>
public sealed class RowReaderTests : StoreTestBase
{
    private const string Table = "CREATE TABLE read_check (id INTEGER PRIMARY KEY, v ANY)";

    /// <summary>Each kind of value a column can hold, as SQL.</summary>
    private static readonly string[] Stored =
    [
        "NULL", "0", "-42", "9223372036854775807", "-9223372036854775808", "7.25", "-0.5", "1e300", "''", "'text'", "'42'", "'Amélie — 日本 😀'",
        "'a' || char(0) || 'b'", "x'00FF'",
    ];

    [Fact]
    public async Task EveryValue_ReadsAsTheDriversReaderReadsIt()
    {
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync(Table);
        await db.ExecuteAsync(string.Join('\n', Stored.Select((v, i) => $"INSERT INTO read_check (id, v) VALUES ({i}, {v});")));

        var engine = new List<string>();
        Assert.True(Provider.TryReadRows(db, "SELECT v FROM read_check ORDER BY id", [], [], r => engine.Add(Describe(r)), CancellationToken.None));
        var driver = new List<string>();
        await using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT v FROM read_check ORDER BY id";
            await using var reader = await command.ExecuteReaderAsync();
            var row = new DataReaderRow(reader);
            while (await reader.ReadAsync())
            {
                driver.Add(Describe(row));
            }
        }

        Assert.Equal(Stored.Length, engine.Count);
        Assert.Equal(string.Join('\n', driver), string.Join('\n', engine));
        Assert.Equal("null; long InvalidOperationException; double InvalidOperationException; string InvalidOperationException", engine[0]);
        Assert.Equal("value; long 9223372036854775807; double 9.223372036854776E+18; string 9223372036854775807", engine[3]);
        Assert.Equal("value; long 0; double 0; string Amélie — 日本 😀", engine[11]);
        Assert.Equal("value; long 0; double 0; string a\0b", engine[12]);
    }

    [Fact]
    public async Task Parameters_AreBoundByName_AndAMissingValueIsNull()
    {
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync(Table);
        await db.ExecuteAsync("INSERT INTO read_check (id, v) VALUES (1, 'a'), (2, 'b'), (3, NULL), (4, 'Zoë')");

        var read = new List<long>();
        Assert.True(Provider.TryReadRows(db, "SELECT id FROM read_check WHERE v = @text OR id > @after ORDER BY id", ["after", "text"], [3L, "Zoë"], r => read.Add(r.GetInt64(0)), CancellationToken.None));
        var missing = new List<long>();
        Assert.True(Provider.TryReadRows(db, "SELECT id FROM read_check WHERE v IS @v", ["v"], [], r => missing.Add(r.GetInt64(0)), CancellationToken.None));

        Assert.Equal([4L], read);
        Assert.Equal([3L], missing);
    }

    [Theory]
    [InlineData("SELECT 1; SELECT 2", "")]
    [InlineData("SELECT @a, @b", "a")]
    [InlineData("SELECT @a", "a,b")]
    [InlineData("SELECT @other", "a")]
    public async Task StatementsItCannotTakeWhole_AreLeftToTheCommand_HavingReadNothing(string sql, string names)
    {
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        var rows = 0;

        var taken = Provider.TryReadRows(db, sql, names.Length == 0 ? [] : names.Split(','), [1L, 2L], _ => rows++, CancellationToken.None);

        Assert.False(taken);
        Assert.Equal(0, rows);
    }

    [Fact]
    public async Task SqliteErrors_AreTheDriversException_AndTheConnectionStaysUsable()
    {
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync(Table);
        await db.ExecuteAsync("INSERT INTO read_check (id, v) VALUES (1, -9223372036854775808), (2, 5)");
        var rows = 0;

        var syntax = Assert.Throws<SqliteException>(() => Provider.TryReadRows(db, "SELEC v FROM read_check", [], [], _ => rows++, CancellationToken.None));
        var missing = Assert.Throws<SqliteException>(() => Provider.TryReadRows(db, "SELECT nope FROM read_check", [], [], _ => rows++, CancellationToken.None));
        // abs() of the smallest integer overflows while the statement runs, after the first row was handed out.
        var running = Assert.Throws<SqliteException>(() => Provider.TryReadRows(db, "SELECT abs(v) FROM read_check ORDER BY id DESC", [], [], _ => rows++, CancellationToken.None));

        Assert.Contains("syntax error", syntax.Message, StringComparison.Ordinal);
        Assert.Contains("no such column: nope", missing.Message, StringComparison.Ordinal);
        Assert.Contains("integer overflow", running.Message, StringComparison.Ordinal);
        Assert.Equal(1, rows);
        Assert.Equal(2, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM read_check"));
    }

    [Fact]
    public async Task AColumnPastTheStatementsColumns_IsAnError_NotAnEmptyValue()
    {
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        Exception? error = null;

        Provider.TryReadRows(db, "SELECT 1, 2", [], [], r => error = Record.Exception(() => r.GetInt64(2)), CancellationToken.None);
        Provider.TryReadRows(db, "SELECT 1, 2", [], [], r => Assert.Throws<ArgumentOutOfRangeException>(() => r.IsDBNull(-1)), CancellationToken.None);

        Assert.IsType<ArgumentOutOfRangeException>(error);
    }

    [Fact]
    public async Task ACancelledRead_StopsWithinAThousandRows_AndACancelledTokenReadsNone()
    {
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var rows = 0;
        const string Many = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT i FROM n";

        Assert.Throws<OperationCanceledException>(() => Provider.TryReadRows(db, Many, [], [], _ =>
        {
            if (++rows == 10)
            {
                cancel.Cancel();
            }
        }, cancel.Token));
        var afterwards = 0;
        Assert.Throws<OperationCanceledException>(() => Provider.TryReadRows(db, Many, [], [], _ => afterwards++, cancel.Token));

        Assert.InRange(rows, 10, 1024);
        Assert.Equal(0, afterwards);
        Assert.Equal(100_000, await db.ExecuteScalarAsync<long>(Many.Replace("SELECT i FROM n", "SELECT COUNT(*) FROM n", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheStoresFullReads_GiveTheSame_ThroughACommand_OnAnEngineWithoutItsOwnReader()
    {
        await using (var db = await Provider.OpenAsync(CancellationToken.None))
        {
            await db.ExecuteAsync("PRAGMA foreign_keys = OFF;");
            await db.ExecuteAsync(
                """
                INSERT INTO observed_state (account_id, local_key, watched, view_count, last_viewed_at, rating, rated_at, progress_ms, observed_at, confirmed) VALUES
                  (1, 'full', 1, 3, 1700000000000, 8.5, 1700000100000, 120000, 1700000200000, '{"V":2,"W":1700000000000,"R":7.5,"Ra":1700000000500,"P":60000,"O":1700000000900}'),
                  (1, 'bare', 0, 0, NULL, NULL, NULL, NULL, 1700000300000, NULL),
                  (2, 'other', 1, 9, 1700000000000, NULL, NULL, NULL, 1700000000000, NULL);
                INSERT INTO state (profile_id, item_id, watched, watched_at, watched_connection_id, play_count, last_play_at, last_play_connection_id, rating, rated_at, rating_connection_id, progress_ms, progress_at, progress_connection_id, last_event_id) VALUES
                  (1, 10, 1, 1700000000000, 3, 2, 1700000100000, 4, 9.0, 1700000200000, 5, 30000, 1700000300000, 6, 77),
                  (1, 11, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                  (2, 12, 1, 1700000000000, 3, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 5);
                INSERT INTO items (id, kind, title, year, parent_item_id, season, episode, edition, created_at) VALUES
                  (1, 'show', 'Show', 2001, NULL, NULL, NULL, NULL, 0), (2, 'episode', NULL, NULL, 1, 1, 2, NULL, 0), (3, 'movie', 'Amélie', 2001, NULL, NULL, NULL, 'Director''s Cut', 0);
                INSERT INTO item_ids (scheme, value, item_id) VALUES ('imdb', 'tt0211915', 3), ('tvdb', '42', 1);
                INSERT INTO source_items (connection_id, local_key, item_id, kind, seen_at, fingerprint) VALUES (7, '1001', 3, 'movie', 0, 12345), (8, 'abc', 2, 'episode', 0, NULL);
                """);
            await db.ExecuteAsync("PRAGMA foreign_keys = ON;");
        }

        var commandOnly = new CommandOnly(Provider);
        var engine = await ReadAllAsync(Provider);
        var command = await ReadAllAsync(commandOnly);

        Assert.Equal(command.Baselines, engine.Baselines);
        Assert.Equal(command.States, engine.States);
        Assert.Equal(command.Items, engine.Items);
        Assert.Equal(command.Ids, engine.Ids);
        Assert.Equal(command.Keys, engine.Keys);
        Assert.Equal(["bare", "full"], engine.Baselines.Select(b => b.Key));
        Assert.Equal([10L, 11L], engine.States.Select(s => s.Key));
        Assert.Equal(3, engine.Items.Count);
        Assert.True(commandOnly.Asked > 0);
    }

    [Fact]
    public async Task TheCommandPath_WritesAndReadsWhatTheEnginesOwnStatementsDo()
    {
        await using (var db = await Provider.OpenAsync(CancellationToken.None))
        {
            await db.ExecuteAsync(Table);
        }

        RowValue[] values = [RowValue.Null, 42L, -0.5, "Amélie — 日本 😀", string.Empty];
        var engine = new Rows(Provider);
        var command = new Rows(new CommandOnly(Provider));

        var engineIds = await engine.InsertAsync(values);
        var commandIds = await command.InsertAsync(values);
        var last = engineIds[^1];

        Assert.Equal([1L, 2L, 3L, 4L, 5L], engineIds);
        Assert.Equal([6L, 7L, 8L, 9L, 10L], commandIds);
        await using (var db = await Provider.OpenAsync(CancellationToken.None))
        {
            var stored = (await db.QueryAsync<string>("SELECT typeof(v) || ' ' || quote(v) FROM read_check ORDER BY id")).ToList();
            Assert.Equal(stored[..5], stored[5..]);
            Assert.Equal(["null NULL", "integer 42", "real -0.5", "text 'Amélie — 日本 😀'", "text ''"], stored[..5]);
        }

        var byEngine = await engine.ReadAfterAsync(last);
        var byCommand = await command.ReadAfterAsync(last);
        Assert.Equal(5, byEngine.Count);
        Assert.Equal(byEngine, byCommand);
    }

    private static async Task<(List<KeyValuePair<string, Core.Sync.ObservedState>> Baselines, List<KeyValuePair<long, Core.Sync.LedgerState>> States, List<Core.Sync.LedgerItem> Items, string Ids, string Keys)> ReadAllAsync(IDatabaseProvider provider)
    {
        var ledger = new LedgerStore(provider);
        var snapshot = await new IdentityStore(provider).LoadAsync(CancellationToken.None);
        return (
            [.. (await ledger.LoadBaselinesAsync(1, share: null, CancellationToken.None)).OrderBy(b => b.Key, StringComparer.Ordinal)],
            [.. (await ledger.LoadStatesAsync(1, CancellationToken.None)).OrderBy(s => s.Key)],
            [.. snapshot.Items.OrderBy(i => i.Id)],
            string.Join(", ", snapshot.Ids.Select(i => $"{i.Id.Scheme}:{i.Id.Value}={i.ItemId}").Order(StringComparer.Ordinal)),
            string.Join(", ", snapshot.SourceItems.Select(k => k.ToString()).Order(StringComparer.Ordinal)));
    }

    /// <summary>One column read every way, with the error each way raises.</summary>
    private static string Describe(IRow row) =>
        $"{(row.IsDBNull(0) ? "null" : "value")}; long {Try(() => row.GetInt64(0))}; double {Try(() => row.GetDouble(0))}; string {Try(() => row.GetString(0))}";

    private static string Try<T>(Func<T> read)
    {
        try
        {
            return Convert.ToString(read(), System.Globalization.CultureInfo.InvariantCulture) ?? "(null)";
        }
        catch (Exception ex)
        {
            return ex.GetType().Name;
        }
    }

    /// <summary>A store of the test table: written and read through <see cref="StoreBase"/>'s own paths.</summary>
    private sealed class Rows(IDatabaseProvider provider) : StoreBase(provider)
    {
        public Task<IReadOnlyList<long>> InsertAsync(IReadOnlyList<RowValue> values) =>
            InsertAllAsync("INSERT INTO read_check (v) VALUES (@v) RETURNING id", ["v"], values, (value, row) => row[0] = value, CancellationToken.None);

        public async Task<List<string>> ReadAfterAsync(long after)
        {
            await using var db = await OpenAsync(CancellationToken.None);
            var read = new List<string>();
            await ReadRowsAsync(db, "SELECT v FROM read_check WHERE id > @after ORDER BY id", ["after"], [after], r => read.Add(Describe(r)), CancellationToken.None);
            return read;
        }
    }

    /// <summary>The SQLite provider without its own reader or row statement: the stores read and write through a command, as on another engine.</summary>
    private sealed class CommandOnly(IDatabaseProvider inner) : IDatabaseProvider
    {
        public int Asked { get; private set; }

        public string Engine => inner.Engine;

        public string Location => inner.Location;

        public IReadOnlyList<Migration> Migrations => inner.Migrations;

        public void Prepare() => inner.Prepare();

        public Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        {
            Asked++;
            return inner.OpenAsync(cancellationToken);
        }

        public string? Explain(Exception exception) => inner.Explain(exception);

        public ConstraintViolation Violation(Exception exception) => inner.Violation(exception);

        public long? SizeBytes() => inner.SizeBytes();
    }
}
