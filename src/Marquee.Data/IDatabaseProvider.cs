using System.Data.Common;

namespace Marquee.Data;

/// <summary>One database engine: how to open a connection, its migrations and how to read its errors.</summary>
public interface IDatabaseProvider
{
    string Engine { get; }

    /// <summary>Gets where the data lives, for messages; never includes a password.</summary>
    string Location { get; }

    /// <summary>Creates whatever must exist before the first connection (a folder, a file) and checks it can be written.</summary>
    void Prepare();

    /// <summary>Opens a connection with the engine's pragmas or session settings applied.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Gets the engine's migrations, ordered by version.</summary>
    IReadOnlyList<Migration> Migrations { get; }

    /// <summary>Returns a message for the user when <paramref name="exception"/> means the store cannot be used (locked, read-only, corrupt), else null.</summary>
    string? Explain(Exception exception);

    /// <summary>Returns which integrity constraint <paramref name="exception"/> reports as broken, or <see cref="ConstraintViolation.None"/>.</summary>
    ConstraintViolation Violation(Exception exception);

    /// <summary>Returns the size of the store in bytes, when the engine can tell.</summary>
    long? SizeBytes();

    /// <summary>
    /// Prepares <paramref name="sql"/> (one statement, parameters <c>@name</c> for each of <paramref name="names"/>) to run
    /// for many rows on <paramref name="connection"/>; null when the engine has no faster way than a command per row.
    /// </summary>
    IRowStatement? PrepareRows(DbConnection connection, string sql, IReadOnlyList<string> names) => null;

    /// <summary>
    /// Runs <paramref name="sql"/> (one statement, parameters <c>@name</c> for each of <paramref name="names"/>, bound to
    /// <paramref name="values"/> in that order) on <paramref name="connection"/> and hands each row to
    /// <paramref name="row"/> through the engine's own reader; false, having read nothing, when the engine has none or the
    /// statement is not one it takes whole (the caller reads through a command).
    /// </summary>
    bool TryReadRows(DbConnection connection, string sql, IReadOnlyList<string> names, ReadOnlySpan<RowValue> values, Action<IRow> row, CancellationToken cancellationToken) => false;
}

/// <summary>An integrity constraint a write broke: the engine's answer to a race the services' own checks cannot close.</summary>
public enum ConstraintViolation
{
    /// <summary>No constraint was broken (or the error is not a constraint error).</summary>
    None,

    /// <summary>A unique key (a name already taken).</summary>
    Unique,

    /// <summary>A foreign key (the row referred to was removed, or is still referred to).</summary>
    ForeignKey,

    /// <summary>Another constraint (not null, check, trigger).</summary>
    Other,
}
