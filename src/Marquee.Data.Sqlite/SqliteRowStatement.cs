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
    private readonly nint _pointer;
    private readonly int[] _slots;
    private bool _held;

    private SqliteRowStatement(sqlite3 db, sqlite3_stmt statement, int[] slots)
    {
        _db = db;
        _statement = statement;
        _slots = slots;

        // Held until disposed: each call goes to the pointer (SqliteNative).
        statement.DangerousAddRef(ref _held);
        _pointer = statement.DangerousGetHandle();
    }

    /// <summary>Prepares <paramref name="sql"/>; null (the caller uses a command per row) when it is more than one statement or its parameters are not exactly the names given.</summary>
    public static SqliteRowStatement? Prepare(SqliteConnection connection, string sql, IReadOnlyList<string> names) =>
        connection.Handle is { } db && PrepareWhole(db, sql, names) is ({ } statement, var slots) ? new SqliteRowStatement(db, statement, slots) : null;

    /// <summary>
    /// Prepares <paramref name="sql"/> on <paramref name="db"/> with the slot of each of <paramref name="names"/>; (null, [])
    /// when it is more than one statement or its parameters are not exactly those names. SQLite's errors are raised.
    /// </summary>
    internal static (sqlite3_stmt? Statement, int[] Slots) PrepareWhole(sqlite3 db, string sql, IReadOnlyList<string> names)
    {
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement, out var tail);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        if (statement is null)
        {
            return (null, []);
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
            return (null, []);
        }

        return (statement, slots);
    }

    /// <summary>Binds <paramref name="values"/> to <paramref name="slots"/> (a value missing at the end binds NULL); SQLite's errors are raised.</summary>
    internal static void BindAll(sqlite3 db, sqlite3_stmt statement, nint pointer, int[] slots, ReadOnlySpan<RowValue> values)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            var rc = Bind(statement, pointer, slots[i], i < values.Length ? values[i] : RowValue.Null);
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }
    }

    public long? Run(ReadOnlySpan<RowValue> values)
    {
        BindAll(_db, _statement, _pointer, _slots, values);

        long? first = null;
        var rc = SqliteNative.Step(_pointer);
        if (rc == raw.SQLITE_ROW)
        {
            first = SqliteNative.ColumnInt64(_pointer, 0);
            while ((rc = SqliteNative.Step(_pointer)) == raw.SQLITE_ROW)
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
                SqliteNative.Reset(_pointer);
            }
        }

        SqliteNative.Reset(_pointer);
        return first;
    }

    public void Dispose()
    {
        if (_held)
        {
            _held = false;
            _statement.DangerousRelease();
        }

        _statement.Dispose();
    }

    /// <summary>A blob through the driver's provider (rare, and an empty one must bind as a blob, not as NULL); every other value on the pointer.</summary>
    private static int Bind(sqlite3_stmt statement, nint pointer, int slot, RowValue value) => value.Kind switch
    {
        RowValueKind.Number => SqliteNative.BindInt64(pointer, slot, value.Number),
        RowValueKind.Real => SqliteNative.BindDouble(pointer, slot, value.Real),
        RowValueKind.Text => SqliteNative.BindText(pointer, slot, value.Text!),
        RowValueKind.Blob => raw.sqlite3_bind_blob(statement, slot, value.Blob),
        _ => SqliteNative.BindNull(pointer, slot),
    };
}
