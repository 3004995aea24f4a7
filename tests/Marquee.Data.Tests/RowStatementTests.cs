using Dapper;
using Microsoft.Data.Sqlite;

namespace Marquee.Data.Tests;

/// <summary>SQLite's row statement (a large batch bound straight to one prepared statement) writes what the driver's command would.</summary>
public sealed class RowStatementTests : StoreTestBase
{
    private const string Table = "CREATE TABLE row_check (id INTEGER PRIMARY KEY, name TEXT UNIQUE, v ANY)";

    public static TheoryData<string, object?> Values => new()
    {
        { "null", null },
        { "dbnull", DBNull.Value },
        { "empty text", string.Empty },
        { "text", "Amélie — 日本 😀" },
        { "long", long.MaxValue },
        { "negative int", -42 },
        { "true", true },
        { "false", false },
        { "double", 7.25 },
        { "float", 2.5f },
        { "blob", new byte[] { 0, 1, 254 } },
        { "empty blob", Array.Empty<byte>() },
        { "short", (short)12 },
        { "enum", DayOfWeek.Friday },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task EveryValue_IsStoredAsTheDriversCommandStoresIt(string name, object? value)
    {
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
            command.Parameters.Add(new SqliteParameter("@v", value ?? DBNull.Value));
            await command.ExecuteNonQueryAsync();
        }

        var stored = (await db.QueryAsync<(string Type, string Quoted)>("SELECT typeof(v), quote(v) FROM row_check ORDER BY id")).ToList();
        Assert.Equal(2, stored.Count);
        Assert.Equal(stored[1], stored[0]);
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
    public async Task BadSqlAndUnknownValueTypes_AreClearErrors()
    {
        await using var db = await Provider.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync(Table);

        var syntax = Assert.Throws<SqliteException>(() => Provider.PrepareRows(db, "INSERT INTO nowhere (x) VALUES (@x)", ["x"]));
        using var statement = Provider.PrepareRows(db, "INSERT INTO row_check (name, v) VALUES (@name, @v)", ["name", "v"])!;
        var type = Assert.Throws<NotSupportedException>(() => statement.Run(["x", new Uri("http://example.com")]));

        Assert.Contains("no such table", syntax.Message, StringComparison.Ordinal);
        Assert.Contains("Uri", type.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM row_check"));
    }
}
