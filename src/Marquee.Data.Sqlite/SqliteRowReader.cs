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
            SqliteRowStatement.BindAll(db, statement, slots, values);
            statement.DangerousAddRef(ref held);
            var current = new Row(statement.DangerousGetHandle(), raw.sqlite3_column_count(statement));
            var read = 0;
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
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
        public bool IsDBNull(int column) => NativeMethods.sqlite3_column_type(statement, Checked(column)) == raw.SQLITE_NULL;

        public long GetInt64(int column) => IsDBNull(column) ? throw Null(column) : NativeMethods.sqlite3_column_int64(statement, column);

        public double GetDouble(int column) => IsDBNull(column) ? throw Null(column) : NativeMethods.sqlite3_column_double(statement, column);

        public string GetString(int column)
        {
            if (IsDBNull(column))
            {
                throw Null(column);
            }

            // The text first, then its length: SQLite converts a number to text on the first call.
            var text = NativeMethods.sqlite3_column_text(statement, column);
            var length = NativeMethods.sqlite3_column_bytes(statement, column);
            return length == 0 ? string.Empty : Marshal.PtrToStringUTF8(text, length);
        }

        private int Checked(int column) =>
            (uint)column < (uint)columns ? column : throw new ArgumentOutOfRangeException(nameof(column), column, $"The statement returns {columns} columns.");

        private static InvalidOperationException Null(int column) => new($"The data is NULL at ordinal {column}: check with IsDBNull before reading it.");
    }

    /// <summary>
    /// SQLite's column functions on the statement's pointer (the library the driver's provider loads). They neither block
    /// nor call back, so they run without the runtime's switch to native code and back.
    /// </summary>
    private static class NativeMethods
    {
        private const string Library = "e_sqlite3";

        [DllImport(Library, ExactSpelling = true)]
        [SuppressGCTransition]
        public static extern int sqlite3_column_type(nint statement, int column);

        [DllImport(Library, ExactSpelling = true)]
        [SuppressGCTransition]
        public static extern long sqlite3_column_int64(nint statement, int column);

        [DllImport(Library, ExactSpelling = true)]
        [SuppressGCTransition]
        public static extern double sqlite3_column_double(nint statement, int column);

        [DllImport(Library, ExactSpelling = true)]
        [SuppressGCTransition]
        public static extern nint sqlite3_column_text(nint statement, int column);

        [DllImport(Library, ExactSpelling = true)]
        [SuppressGCTransition]
        public static extern int sqlite3_column_bytes(nint statement, int column);
    }
}
