using System.Data.Common;
using System.Runtime.CompilerServices;
using Marquee.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Marquee.Data.Sqlite;

/// <summary>SQLite in the data folder: WAL journal, foreign keys on, a busy timeout instead of instant lock errors.</summary>
public sealed class SqliteDatabaseProvider : IDatabaseProvider
{
    public const string FileName = "marquee.db";

    /// <summary>The engine connections (pooled, reused by many opens) whose settings this provider has made.</summary>
    private readonly ConditionalWeakTable<object, object> _configured = [];

    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    public SqliteDatabaseProvider(string dataFolder, TimeSpan busyTimeout)
    {
        DataFolder = Path.GetFullPath(dataFolder);
        FilePath = Path.Combine(DataFolder, FileName);
        _busyTimeoutMs = (int)busyTimeout.TotalMilliseconds;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)busyTimeout.TotalSeconds),
        }.ToString();
        Migrations = Migration.FromResources(typeof(SqliteDatabaseProvider).Assembly);
    }

    public string Engine => "sqlite";

    public string DataFolder { get; }

    public string FilePath { get; }

    public string Location => FilePath;

    public IReadOnlyList<Migration> Migrations { get; }

    public void Prepare()
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(DataFolder);
            }
            else
            {
                // Owner-only: the folder holds the keys that decrypt every stored token.
                Directory.CreateDirectory(DataFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                RestrictFiles();
            }

            var probe = Path.Combine(DataFolder, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"The data folder {DataFolder} cannot be written: {ex.Message}", ex);
        }
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // The settings belong to the engine's connection, which the pool keeps open between uses: set once for each.
            if (connection.Handle is { } handle && !_configured.TryGetValue(handle, out _))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
                await command.ExecuteNonQueryAsync(cancellationToken);
                _configured.AddOrUpdate(handle, this);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public string? Explain(Exception exception) => exception switch
    {
        StoreException store => store.Message,
        SqliteException { SqliteErrorCode: 5 or 6 } => $"The database file {FilePath} is locked by another process (is another Marquee running with a write open?). Try again, or stop the other process.",
        SqliteException { SqliteErrorCode: 8 } => $"The database file {FilePath} is read-only: check its permissions and those of its folder.",
        SqliteException { SqliteErrorCode: 14 } => $"The database file {FilePath} cannot be opened: check that the data folder exists and can be written.",
        SqliteException { SqliteErrorCode: 11 or 26 } => $"The file {FilePath} is damaged or is not a Marquee database.",
        SqliteException sqlite => $"The database file {FilePath} cannot be used: {sqlite.Message}",
        IOException or UnauthorizedAccessException => $"The data folder {DataFolder} cannot be used: {exception.Message}",
        _ => null,
    };

    public ConstraintViolation Violation(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } => ConstraintViolation.Unique,
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 787 } => ConstraintViolation.ForeignKey,
        SqliteException { SqliteErrorCode: 19 } => ConstraintViolation.Other,
        _ => ConstraintViolation.None,
    };

    public IRowStatement? PrepareRows(DbConnection connection, string sql, IReadOnlyList<string> names) =>
        connection is SqliteConnection sqlite ? SqliteRowStatement.Prepare(sqlite, sql, names) : null;

    public bool TryReadRows(DbConnection connection, string sql, IReadOnlyList<string> names, ReadOnlySpan<RowValue> values, Action<IRow> row, CancellationToken cancellationToken) =>
        connection is SqliteConnection sqlite && SqliteRowReader.TryRead(sqlite, sql, names, values, row, cancellationToken);

    public long? SizeBytes()
    {
        long total = 0;
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            var info = new FileInfo(FilePath + suffix);
            if (info.Exists)
            {
                total += info.Length;
            }
        }

        return total;
    }

    /// <summary>
    /// Makes the database owner-only (0600) before SQLite opens it: an empty file is a valid new database, and SQLite
    /// gives the -wal and -shm files the permissions of the database file. Files of an older version are tightened.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void RestrictFiles()
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(FilePath))
        {
            try
            {
                using var created = new FileStream(FilePath, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
            }
            catch (IOException) when (File.Exists(FilePath))
            {
                // Another process created it first.
            }
        }

        foreach (var file in new[] { FilePath, FilePath + "-wal", FilePath + "-shm" })
        {
            try
            {
                if (File.Exists(file) && (File.GetUnixFileMode(file) & ~OwnerOnly) != 0)
                {
                    File.SetUnixFileMode(file, OwnerOnly);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's file: left as it is; SQLite reports whether it can be used.
            }
        }
    }
}
