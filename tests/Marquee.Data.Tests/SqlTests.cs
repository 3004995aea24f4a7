using System.Data.Common;

namespace Marquee.Data.Tests;

/// <summary>
/// The stores' statement runner: values bound by name (lists written out for <c>IN</c>), rows made into values, tuples,
/// records and classes by name or position, values converted to the declared types, and clear errors for what does
/// not fit. It is the only way the stores reach the engine, and it makes no code at run time.
/// </summary>
public sealed class SqlTests : StoreTestBase
{
    private const string Table = """
        CREATE TABLE sql_check (id INTEGER PRIMARY KEY, flow_id INTEGER, display_name TEXT, kind TEXT, level INTEGER, ratio REAL, flag INTEGER);
        INSERT INTO sql_check (id, flow_id, display_name, kind, level, ratio, flag) VALUES
            (1, 10, 'one', 'Movie', 2, 0.5, 1),
            (2, NULL, NULL, 'Show', 1, NULL, 0),
            (3, 30, 'three', 'episode', NULL, 2.25, 1);
        """;

    public enum Level
    {
        None,
        Low,
        High,
    }

    public enum Kind
    {
        Movie,
        Show,
        Episode,
    }

    [Fact]
    public async Task Records_AreMadeThroughTheirConstructor_ByColumnName_UnderscoresAndOrderIgnored()
    {
        await using var db = await OpenAsync();

        var rows = await db.QueryAsync<PositionalRow>(Sql.Statement("SELECT display_name, level, flow_id, id, kind FROM sql_check ORDER BY id", CancellationToken.None));

        Assert.Equal(
            new[] { new PositionalRow(1, 10, "one", Kind.Movie, Level.High), new PositionalRow(2, null, null, Kind.Show, Level.Low), new PositionalRow(3, 30, "three", Kind.Episode, Level.None) },
            rows);
    }

    [Fact]
    public async Task Classes_AreFilledThroughTheirProperties_NullLeavesTheDefault_AndAnUnknownColumnIsLeftOut()
    {
        await using var db = await OpenAsync();

        var rows = await db.QueryAsync<SettableRow>(Sql.Statement("SELECT *, 'extra' AS not_a_property FROM sql_check ORDER BY id", CancellationToken.None));

        Assert.Equal(3, rows.Count);
        Assert.Equal((1L, 10, "one", 0.5, true), (rows[0].Id, rows[0].FlowId, rows[0].DisplayName, rows[0].Ratio, rows[0].Flag));
        Assert.Equal((2L, 0, "unset", 0.0, false), (rows[1].Id, rows[1].FlowId, rows[1].DisplayName, rows[1].Ratio, rows[1].Flag));
    }

    [Fact]
    public async Task TuplesAreReadByPosition_AndSingleValuesFromTheFirstColumn()
    {
        await using var db = await OpenAsync();

        var tuples = await db.QueryAsync<(string Kind, long? FlowId, double? Ratio)>(Sql.Statement("SELECT kind, flow_id, ratio FROM sql_check ORDER BY id", CancellationToken.None));
        var levels = await db.QueryAsync<Level?>(Sql.Statement("SELECT level FROM sql_check ORDER BY id", CancellationToken.None));
        var names = await db.QueryAsync<string?>(Sql.Statement("SELECT display_name FROM sql_check ORDER BY id", CancellationToken.None));

        Assert.Equal(new (string, long?, double?)[] { ("Movie", 10L, 0.5), ("Show", null, null), ("episode", 30L, 2.25) }, tuples);
        Assert.Equal(new Level?[] { Level.High, Level.Low, null }, levels);
        Assert.Equal(new[] { "one", null, "three" }, names);
    }

    [Fact]
    public async Task Values_AreBoundByName_EnumsAsNumbers_NullAsNull_AndAValueTheStatementDoesNotNameIsLeftOut()
    {
        await using var db = await OpenAsync();

        var inserted = await db.ExecuteAsync(Sql.Statement(
            "INSERT INTO sql_check (id, flow_id, display_name, level, flag) VALUES (@Id, @flowId, @name, @level, @flag)",
            new { Id = 4, flowId = (long?)null, name = (string?)null, level = Level.High, flag = true, unused = "not bound" },
            CancellationToken.None));

        Assert.Equal(1, inserted);
        var row = await db.QuerySingleAsync<(long? FlowId, string? Name, long Level, string LevelType, long Flag)>(
            Sql.Statement("SELECT flow_id, display_name, level, typeof(level), flag FROM sql_check WHERE id = @id", new { id = 4 }, CancellationToken.None));
        Assert.Equal(((long?)null, (string?)null, 2L, "integer", 1L), row);
    }

    [Fact]
    public async Task AList_IsWrittenOutForIn_EveryTimeItIsNamed_AndAnEmptyListMatchesNothing()
    {
        await using var db = await OpenAsync();

        var some = await db.QueryAsync<long>(Sql.Statement(
            "SELECT id FROM sql_check WHERE id IN @ids OR flow_id IN @ids OR id = @idsExtra ORDER BY id",
            new { ids = new long[] { 1, 30 }, idsExtra = 2 },
            CancellationToken.None));
        var none = await db.QueryAsync<long>(Sql.Statement("SELECT id FROM sql_check WHERE id IN @ids", new { ids = Array.Empty<long>() }, CancellationToken.None));
        var notIn = await db.QueryAsync<long>(Sql.Statement("SELECT id FROM sql_check WHERE id NOT IN @ids ORDER BY id", new { ids = new List<long>() }, CancellationToken.None));

        Assert.Equal(new[] { 1L, 2L, 3L }, some);
        Assert.Empty(none);
        Assert.Equal(new[] { 1L, 2L, 3L }, notIn);
    }

    [Fact]
    public void ValuesTypedAsObject_AreRefused_ForTheirPropertiesCannotBeRead()
    {
        object values = new { id = 1 };

        var error = Assert.Throws<ArgumentException>(() => Sql.Statement("SELECT @id", values, CancellationToken.None));

        Assert.Contains("typed as object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AListOfRows_IsRefused_ForAStatementBindsOneRow()
    {
        var rows = new[] { new { id = 1 }, new { id = 2 } };

        var error = Assert.Throws<ArgumentException>(() => Sql.Statement("INSERT INTO t VALUES (@id)", rows, CancellationToken.None));

        Assert.Contains("are a list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scalars_ConvertToTheAskedType_AndNoRowOrNullIsTheDefault()
    {
        await using var db = await OpenAsync();

        Assert.Equal(3, await db.ExecuteScalarAsync<int>(Sql.Statement("SELECT COUNT(*) FROM sql_check", CancellationToken.None)));
        Assert.Null(await db.ExecuteScalarAsync<long?>(Sql.Statement("SELECT flow_id FROM sql_check WHERE id = 2", CancellationToken.None)));
        Assert.Null(await db.ExecuteScalarAsync<long?>(Sql.Statement("SELECT flow_id FROM sql_check WHERE id = 99", CancellationToken.None)));
        Assert.Equal(0L, await db.ExecuteScalarAsync<long>(Sql.Statement("SELECT flow_id FROM sql_check WHERE id = 99", CancellationToken.None)));
        Assert.True(await db.ExecuteScalarAsync<bool>(Sql.Statement("SELECT flag FROM sql_check WHERE id = 1", CancellationToken.None)));
    }

    [Fact]
    public async Task SingleAndFirst_SayWhenTheRowsDoNotFit()
    {
        await using var db = await OpenAsync();
        var all = Sql.Statement("SELECT id FROM sql_check ORDER BY id", CancellationToken.None);
        var none = Sql.Statement("SELECT id FROM sql_check WHERE id > 99", CancellationToken.None);

        Assert.Equal("The query returned more than one row.", (await Assert.ThrowsAsync<InvalidOperationException>(() => db.QuerySingleOrDefaultAsync<long>(all))).Message);
        Assert.Equal("The query returned no row.", (await Assert.ThrowsAsync<InvalidOperationException>(() => db.QuerySingleAsync<long>(none))).Message);
        Assert.Null(await db.QuerySingleOrDefaultAsync<PositionalRow>(none));
        Assert.Equal(1L, await db.QueryFirstOrDefaultAsync<long>(all));
    }

    [Fact]
    public async Task AValueThatCannotBeTheDeclaredType_IsAClearError()
    {
        await using var db = await OpenAsync();

        var error = await Assert.ThrowsAsync<InvalidCastException>(() => db.QueryAsync<int>(Sql.Statement("SELECT display_name FROM sql_check WHERE id = 1", CancellationToken.None)));

        Assert.StartsWith("A String read from the store cannot be a Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStatementJoinsItsTransaction_AndHonoursItsCancellation()
    {
        await using var db = await OpenAsync();
        await using (var transaction = await db.BeginTransactionAsync())
        {
            await db.ExecuteAsync(Sql.Statement("DELETE FROM sql_check", CancellationToken.None, transaction));
            Assert.Equal(0, await db.ExecuteScalarAsync<int>(Sql.Statement("SELECT COUNT(*) FROM sql_check", CancellationToken.None, transaction)));
            await transaction.RollbackAsync();
        }

        Assert.Equal(3, await db.ExecuteScalarAsync<int>(Sql.Statement("SELECT COUNT(*) FROM sql_check", CancellationToken.None)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.QueryAsync<long>(Sql.Statement("SELECT id FROM sql_check", new CancellationToken(canceled: true))));
    }

    [Fact]
    public void TheStoresReachTheEngineThroughNoLibraryThatMakesCodeAtRunTime()
    {
        var references = typeof(Sql).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.DoesNotContain("Dapper", references);
        Assert.Contains("System.Data.Common", references);
    }

    private async Task<DbConnection> OpenAsync()
    {
        var db = await Provider.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync(Sql.Statement(Table, CancellationToken.None));
        return db;
    }

    public sealed record PositionalRow(long Id, long? FlowId, string? DisplayName, Kind Kind, Level Level);

    public sealed class SettableRow
    {
        public long Id { get; set; }

        public int FlowId { get; set; }

        public string DisplayName { get; set; } = "unset";

        public double Ratio { get; init; }

        public bool Flag { get; set; }
    }
}
