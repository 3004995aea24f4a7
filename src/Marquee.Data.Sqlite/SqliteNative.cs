using System.Runtime.InteropServices;

namespace Marquee.Data.Sqlite;

/// <summary>
/// SQLite's statement functions on the statement's pointer, from the library the driver's provider loads: the row
/// statement and the row reader hold their statement's handle for as long as they use it, so each call skips taking and
/// giving it back. Those that neither block nor call back run without the runtime's transition to native code and back;
/// stepping and resetting a statement can wait on a lock (the busy timeout) and keep it.
/// </summary>
internal static unsafe class SqliteNative
{
    /// <summary>SQLite copies the value before the bind returns.</summary>
    public static readonly nint Transient = -1;

    private const string Library = "e_sqlite3";

    [DllImport(Library, EntryPoint = "sqlite3_step", ExactSpelling = true)]
    public static extern int Step(nint statement);

    [DllImport(Library, EntryPoint = "sqlite3_reset", ExactSpelling = true)]
    public static extern int Reset(nint statement);

    [DllImport(Library, EntryPoint = "sqlite3_bind_int64", ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int BindInt64(nint statement, int slot, long value);

    [DllImport(Library, EntryPoint = "sqlite3_bind_double", ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int BindDouble(nint statement, int slot, double value);

    [DllImport(Library, EntryPoint = "sqlite3_bind_text16", ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int BindText16(nint statement, int slot, char* text, int bytes, nint destructor);

    [DllImport(Library, EntryPoint = "sqlite3_bind_null", ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int BindNull(nint statement, int slot);

    [DllImport(Library, EntryPoint = "sqlite3_column_type", ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int ColumnType(nint statement, int column);

    [DllImport(Library, EntryPoint = "sqlite3_column_int64", ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern long ColumnInt64(nint statement, int column);

    [DllImport(Library, EntryPoint = "sqlite3_column_double", ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern double ColumnDouble(nint statement, int column);

    [DllImport(Library, EntryPoint = "sqlite3_column_text", ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern nint ColumnText(nint statement, int column);

    [DllImport(Library, EntryPoint = "sqlite3_column_bytes", ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int ColumnBytes(nint statement, int column);

    /// <summary>Binds <paramref name="text"/> as UTF-16 (SQLite converts it to the database's encoding).</summary>
    public static int BindText(nint statement, int slot, string text)
    {
        fixed (char* chars = text)
        {
            return BindText16(statement, slot, chars, text.Length * sizeof(char), Transient);
        }
    }
}
