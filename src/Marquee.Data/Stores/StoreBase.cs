using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Marquee.Data.Stores;

/// <summary>Opens a connection per operation; connections are pooled by the engine's driver.</summary>
public abstract class StoreBase(IDatabaseProvider provider)
{
    /// <summary>Values bound into one <c>IN @list</c> at most: longer lists are read a chunk at a time.</summary>
    protected const int Batch = 500;

    private readonly IDatabaseProvider _provider = provider;

    /// <summary>Opens a connection, or leases the shared one when the caller runs inside <see cref="StoreTransactions.RunAsync{T}"/>.</summary>
    protected Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        StoreTransactions.Lease(_provider) is { } leased ? Task.FromResult(leased) : _provider.OpenAsync(cancellationToken);

    /// <summary>Returns which constraint a failed write broke (a name taken or a row removed by a concurrent request).</summary>
    protected ConstraintViolation Violation(Exception exception) => _provider.Violation(exception);

    protected static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    protected static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>
    /// Runs <paramref name="sql"/> once per row, prepared once: through the engine's own row statement when it has one
    /// (<see cref="IDatabaseProvider.PrepareRows"/>), else on one command whose parameters (<c>@name</c>) are made once and
    /// only their values change; either costs far less per row than a mapped parameter object each time.
    /// </summary>
    protected Task ExecuteRowsAsync<T>(DbConnection db, DbTransaction transaction, string sql, IReadOnlyList<string> names, IEnumerable<T> rows, Action<T, RowValue[]> values, CancellationToken cancellationToken) =>
        RunRowsAsync(db, transaction, sql, names, rows, values, null, cancellationToken);

    /// <summary>As <see cref="ExecuteRowsAsync"/> for an insert that returns one value per row (<c>RETURNING id</c>): the ids, in row order.</summary>
    protected async Task<IReadOnlyList<long>> InsertRowsAsync<T>(DbConnection db, DbTransaction transaction, string sql, IReadOnlyList<string> names, IEnumerable<T> rows, Action<T, RowValue[]> values, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        await RunRowsAsync(db, transaction, sql, names, rows, values, ids, cancellationToken);
        return ids;
    }

    /// <summary>Runs <paramref name="sql"/> once per row as <see cref="ExecuteRowsAsync"/> does, in one transaction of their own: nothing is kept when one fails.</summary>
    protected Task ExecuteAllAsync<T>(string sql, IReadOnlyList<string> names, IReadOnlyList<T> rows, Action<T, RowValue[]> values, CancellationToken cancellationToken) =>
        RunAllAsync(sql, names, rows, values, null, cancellationToken);

    /// <summary>Inserts <paramref name="rows"/> in one transaction of their own (<c>RETURNING id</c>): their ids, in row order; nothing is kept when one fails.</summary>
    protected async Task<IReadOnlyList<long>> InsertAllAsync<T>(string sql, IReadOnlyList<string> names, IReadOnlyList<T> rows, Action<T, RowValue[]> values, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        await RunAllAsync(sql, names, rows, values, ids, cancellationToken);
        return ids;
    }

    private async Task RunAllAsync<T>(string sql, IReadOnlyList<string> names, IReadOnlyList<T> rows, Action<T, RowValue[]> values, List<long>? ids, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await RunRowsAsync(db, transaction, sql, names, rows, values, ids, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task RunRowsAsync<T>(DbConnection db, DbTransaction transaction, string sql, IReadOnlyList<string> names, IEnumerable<T> rows, Action<T, RowValue[]> values, List<long>? ids, CancellationToken cancellationToken)
    {
        var row = new RowValue[names.Count];
        using (var statement = _provider.PrepareRows(db, sql, names))
        {
            if (statement is not null)
            {
                foreach (var item in rows)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Array.Clear(row);
                    values(item, row);
                    var id = statement.Run(row);
                    ids?.Add(id ?? throw new InvalidOperationException("The insert returned no id."));
                }

                return;
            }
        }

        await using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        var parameters = AddParameters(command, names);
        foreach (var item in rows)
        {
            Array.Clear(row);
            values(item, row);
            SetValues(parameters, row);
            if (ids is null)
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            else
            {
                ids.Add(Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (parameters <c>@name</c> for each of <paramref name="names"/>, bound to
    /// <paramref name="values"/>) and hands each row to <paramref name="row"/>, read column by column (by number) with no
    /// row object and no boxed value per column: through the engine's own reader when it has one
    /// (<see cref="IDatabaseProvider.TryReadRows"/>), else through a command and the driver's reader.
    /// </summary>
    protected async Task ReadRowsAsync(DbConnection db, string sql, IReadOnlyList<string> names, RowValue[] values, Action<IRow> row, CancellationToken cancellationToken)
    {
        if (_provider.TryReadRows(db, sql, names, values, row, cancellationToken))
        {
            return;
        }

        await using var command = db.CreateCommand();
        command.CommandText = sql;
        SetValues(AddParameters(command, names), values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await HandEachAsync(reader, row, cancellationToken);
    }

    /// <summary>
    /// As the other <c>ReadRowsAsync</c>, for the public properties of <paramref name="parameters"/> as values (lists for
    /// <c>IN @keys</c> too, <see cref="Sql"/>), always through the driver's reader.
    /// </summary>
    protected static async Task ReadRowsAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(DbConnection db, string sql, T parameters, Action<IRow> row, CancellationToken cancellationToken)
        where T : notnull
    {
        await using var command = Sql.Prepare(db, Command(sql, parameters, cancellationToken));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await HandEachAsync(reader, row, cancellationToken);
    }

    /// <summary>Adds a parameter <c>@name</c> to <paramref name="command"/> for each of <paramref name="names"/>, in that order.</summary>
    private static DbParameter[] AddParameters(DbCommand command, IReadOnlyList<string> names)
    {
        var parameters = new DbParameter[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "@" + names[i];
            command.Parameters.Add(parameters[i]);
        }

        return parameters;
    }

    /// <summary>Gives each parameter its value, in order; one missing at the end is NULL, as the engine's own statements bind it.</summary>
    private static void SetValues(DbParameter[] parameters, ReadOnlySpan<RowValue> values)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].Value = (i < values.Length ? values[i] : RowValue.Null).ToObject();
        }
    }

    private static async Task HandEachAsync(DbDataReader reader, Action<IRow> row, CancellationToken cancellationToken)
    {
        var current = new DataReaderRow(reader);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(current);
        }
    }

    protected static DateTimeOffset? OptTime(IRow reader, int column) => reader.IsDBNull(column) ? null : Time(reader.GetInt64(column));

    protected static long? OptLong(IRow reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);

    protected static double? OptDouble(IRow reader, int column) => reader.IsDBNull(column) ? null : reader.GetDouble(column);

    /// <summary>A statement binding the public properties of <paramref name="parameters"/> (<see cref="Sql"/>).</summary>
    protected static SqlStatement Command<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(string sql, T parameters, CancellationToken cancellationToken, DbTransaction? transaction = null)
        where T : notnull =>
        Sql.Statement(sql, parameters, cancellationToken, transaction);

    /// <summary>A statement with no values.</summary>
    protected static SqlStatement Command(string sql, CancellationToken cancellationToken, DbTransaction? transaction = null) =>
        Sql.Statement(sql, cancellationToken, transaction);
}
