using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Marquee.Data.Sqlite;

/// <summary>
/// Reads a statement's rows straight from SQLite: each column is one call on the statement's pointer, held for the whole
/// read, where the driver's reader makes two or three calls per column (its type first) and each call takes and gives
/// back the statement's handle. A full run loads about a million columns per account of the reference library this way
/// (baselines, states, the identity snapshot); through the driver that was a fifth of Marquee's CPU in a full run that
/// changed nothing. Errors are SQLite's, raised as <see cref="SqliteException"/> like the driver's.
/// </summary>
internal static class SqliteRowReader
{
    /// <summary>Rows read between two looks at the cancellation token.</summary>
    private const int CancellationStride = 1024;

    public static bool TryRead(SqliteConnection connection, string sql, IReadOnlyList<string> names, ReadOnlySpan<RowValue> values, Action<IRow> row, CancellationToken cancellationToken)
    {
        if (connection.Handle is not { } db)
        {
            return false;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (statement, slots) = SqliteRowStatement.PrepareWhole(db, sql, names);
        if (statement is null)
        {
            return false;
        }

        var held = false;
        try
        {
            statement.DangerousAddRef(ref held);
            var pointer = statement.DangerousGetHandle();
            SqliteRowStatement.BindAll(db, statement, pointer, slots, values);
            var current = new Row(pointer, raw.sqlite3_column_count(statement));
            var read = 0;
            int rc;
            while ((rc = SqliteNative.Step(pointer)) == raw.SQLITE_ROW)
            {
                row(current);
                if (++read % CancellationStride == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            return true;
        }
        finally
        {
            if (held)
            {
                statement.DangerousRelease();
            }

            statement.Dispose();
        }
    }

    /// <summary>The row the statement is on; valid only inside the callback it is handed to.</summary>
    private sealed class Row(nint statement, int columns) : IRow
    {
        public bool IsDBNull(int column) => SqliteNative.ColumnType(statement, Checked(column)) == raw.SQLITE_NULL;

        public long GetInt64(int column) => IsDBNull(column) ? throw Null(column) : SqliteNative.ColumnInt64(statement, column);

        public double GetDouble(int column) => IsDBNull(column) ? throw Null(column) : SqliteNative.ColumnDouble(statement, column);

        public string GetString(int column)
        {
            if (IsDBNull(column))
            {
                throw Null(column);
            }

            // The text first, then its length: SQLite converts a number to text on the first call.
            var text = SqliteNative.ColumnText(statement, column);
            var length = SqliteNative.ColumnBytes(statement, column);
            return length == 0 ? string.Empty : Marshal.PtrToStringUTF8(text, length);
        }

        private int Checked(int column) =>
            (uint)column < (uint)columns ? column : throw new ArgumentOutOfRangeException(nameof(column), column, $"The statement returns {columns} columns.");

        private static InvalidOperationException Null(int column) => new($"The data is NULL at ordinal {column}: check with IsDBNull before reading it.");
    }
}
