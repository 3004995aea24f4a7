using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Marquee.Data.Sqlite;

/// <summary>
/// A statement prepared once on the connection's own SQLite handle and run for many rows: each value is bound straight
/// to the statement (text as UTF-16, converted by SQLite itself), where a command per row makes a parameter binder per
/// value, a list of statements and a data reader per row. On the reference library's first run that was more than a
/// tenth of everything Marquee allocated. Errors are SQLite's, raised as <see cref="SqliteException"/> like the driver's.
/// </summary>
internal sealed class SqliteRowStatement : IRowStatement
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _slots;

    private SqliteRowStatement(sqlite3 db, sqlite3_stmt statement, int[] slots)
    {
        _db = db;
        _statement = statement;
        _slots = slots;
    }

    /// <summary>Prepares <paramref name="sql"/>; null (the caller uses a command per row) when it is more than one statement or its parameters are not exactly the names given.</summary>
    public static SqliteRowStatement? Prepare(SqliteConnection connection, string sql, IReadOnlyList<string> names)
    {
        if (connection.Handle is not { } db)
        {
            return null;
        }

        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement, out var tail);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        if (statement is null)
        {
            return null;
        }

        var slots = new int[names.Count];
        var ok = string.IsNullOrWhiteSpace(tail) && raw.sqlite3_bind_parameter_count(statement) == names.Count;
        for (var i = 0; ok && i < names.Count; i++)
        {
            slots[i] = raw.sqlite3_bind_parameter_index(statement, "@" + names[i]);
            ok = slots[i] > 0;
        }

        if (!ok)
        {
            statement.Dispose();
            return null;
        }

        return new SqliteRowStatement(db, statement, slots);
    }

    public long? Run(ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            Check(Bind(_slots[i], i < values.Length ? values[i] : null));
        }

        long? first = null;
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            first = raw.sqlite3_column_int64(_statement, 0);
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }
        }

        if (rc != raw.SQLITE_DONE)
        {
            // The message is read before the reset, which would report the same error again.
            try
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
            finally
            {
                raw.sqlite3_reset(_statement);
            }
        }

        raw.sqlite3_reset(_statement);
        return first;
    }

    public void Dispose() => _statement.Dispose();

    private int Bind(int slot, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(_statement, slot),
        string text => raw.sqlite3_bind_text16(_statement, slot, text.AsSpan()),
        long number => raw.sqlite3_bind_int64(_statement, slot, number),
        int number => raw.sqlite3_bind_int64(_statement, slot, number),
        bool flag => raw.sqlite3_bind_int64(_statement, slot, flag ? 1 : 0),
        double real => raw.sqlite3_bind_double(_statement, slot, real),
        float real => raw.sqlite3_bind_double(_statement, slot, real),
        byte[] blob => raw.sqlite3_bind_blob(_statement, slot, blob),
        short or byte or sbyte or ushort or uint => raw.sqlite3_bind_int64(_statement, slot, Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        Enum => raw.sqlite3_bind_int64(_statement, slot, Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException($"A row value of type {value.GetType().Name} cannot be written by a row statement; write it as text or a number."),
    };

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
