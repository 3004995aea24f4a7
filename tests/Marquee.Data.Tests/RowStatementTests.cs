using Dapper;
using Microsoft.Data.Sqlite;

namespace Marquee.Data.Tests;

/// <summary>SQLite's row statement (a large batch bound straight to one prepared statement) writes what the driver's command would.</summary>
public sealed class RowStatementTests : StoreTestBase
{
    private const string Table = "CREATE TABLE row_check (id INTEGER PRIMARY KEY, name TEXT UNIQUE, v ANY)";

    /// <summary>Each kind of value a row statement binds, with what the driver's command is given for it.</summary>
    private static readonly Dictionary<string, (RowValue Row, object Driver)> Cases = new()
    {
        ["null"] = (RowValue.Null, DBNull.Value),
        ["null string"] = ((string?)null, DBNull.Value),
        ["null long"] = ((long?)null, DBNull.Value),
        ["null double"] = ((double?)null, DBNull.Value),
        ["empty text"] = (string.Empty, string.Empty),
        ["text"] = ("Amélie — 日本 😀", "Amélie — 日本 😀"),
        ["long"] = (long.MaxValue, long.MaxValue),
        ["long min"] = (long.MinValue, long.MinValue),
        ["negative int"] = (-42, -42),
        ["nullable int"] = ((int?)7, 7),
        ["true"] = (true, true),
        ["false"] = (false, false),
        ["double"] = (7.25, 7.25),
        ["nullable double"] = ((double?)-0.5, -0.5),
        ["blob"] = (new byte[] { 0, 1, 254 }, new byte[] { 0, 1, 254 }),
        ["empty blob"] = (Array.Empty<byte>(), Array.Empty<byte>()),
    };

    public static TheoryData<string> Values => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Values))]
    public async Task EveryValue_IsStoredAsTheDriversCommandStoresIt(string name)
    {
        var (value, driver) = Cases[name];
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync(Table);

        using (var statement = Provider.PrepareRows(db, "INSERT INTO row_check (name, v) VALUES (@name, @v)", ["name", "v"]))
        {
            Assert.NotNull(statement);
            statement.Run(["row " + name, value]);
        }

        await using (var command = db.CreateCommand())
        {
            command.CommandText = "INSERT INTO row_check (name, v) VALUES (@name, @v)";
            command.Parameters.Add(new SqliteParameter("@name", "command " + name));
            command.Parameters.Add(new SqliteParameter("@v", driver));
            await command.ExecuteNonQueryAsync();
        }

        // The value as a driver's parameter takes it (a store's command per row, on an engine without row statements).
        await using (var command = db.CreateCommand())
        {
            command.CommandText = "INSERT INTO row_check (name, v) VALUES (@name, @v)";
            command.Parameters.Add(new SqliteParameter("@name", "object " + name));
            command.Parameters.Add(new SqliteParameter("@v", value.ToObject()));
            await command.ExecuteNonQueryAsync();
        }

        var stored = (await db.QueryAsync<(string Type, string Quoted)>("SELECT typeof(v), quote(v) FROM row_check ORDER BY id")).ToList();
        Assert.Equal(3, stored.Count);
        Assert.Equal(stored[1], stored[0]);
        Assert.Equal(stored[1], stored[2]);
    }

    [Fact]
    public void AValue_GivesOnlyWhatItHolds()
    {
        RowValue number = 42L;
        RowValue text = "42";

        Assert.Equal(RowValueKind.Number, number.Kind);
        Assert.Equal(42, number.Number);
        Assert.Equal(RowValueKind.Text, text.Kind);
        Assert.Equal("42", text.Text);
        Assert.Throws<InvalidOperationException>(() => text.Number);
        Assert.Throws<InvalidOperationException>(() => number.Real);
        Assert.NotEqual(number, text);
        Assert.Equal(RowValue.Null, (RowValue)(string?)null);
    }

    [Fact]
    public async Task Returning_GivesEachRowsId_AndABrokenUniqueKeyIsTheDriversError()
    {
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync(Table);
        using var statement = Provider.PrepareRows(db, "INSERT INTO row_check (name) VALUES (@name) RETURNING id", ["name"])!;

        var ids = new[] { statement.Run(["a"]), statement.Run(["b"]) };
        var ex = Assert.Throws<SqliteException>(() => statement.Run(["a"]));
        var after = statement.Run(["c"]);

        Assert.Equal(new long?[] { 1, 2 }, ids);
        Assert.Equal(ConstraintViolation.Unique, Provider.Violation(ex));
        Assert.Contains("UNIQUE", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, after);
        Assert.Equal(3, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM row_check"));
    }

    [Theory]
    [InlineData("INSERT INTO row_check (name) VALUES (@name); INSERT INTO row_check (name) VALUES (@name)", "name")]
    [InlineData("INSERT INTO row_check (name, v) VALUES (@name, @v)", "name")]
    [InlineData("INSERT INTO row_check (name) VALUES (@name)", "name,v")]
    [InlineData("INSERT INTO row_check (name) VALUES (@other)", "name")]
    public async Task StatementsItCannotTakeWhole_FallBackToACommandPerRow(string sql, string names)
    {
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync(Table);

        using var statement = Provider.PrepareRows(db, sql, names.Split(','));

        Assert.Null(statement);
    }

    [Fact]
    public async Task BadSql_IsTheDriversError()
    {
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync(Table);

        var syntax = Assert.Throws<SqliteException>(() => Provider.PrepareRows(db, "INSERT INTO nowhere (x) VALUES (@x)", ["x"]));

        Assert.Contains("no such table", syntax.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM row_check"));
    }
}
