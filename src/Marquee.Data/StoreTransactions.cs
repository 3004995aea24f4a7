using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Marquee.Core.Storage;

namespace Marquee.Data;

/// <summary>
/// One connection and one transaction shared by every store call made inside <see cref="RunAsync{T}"/> on its async flow.
/// Stores keep opening and disposing "their" connection as usual: inside a transaction they get a lease on the shared one,
/// whose disposal does nothing, whose commands join the transaction, and whose own transactions become savepoints.
/// </summary>
public sealed class StoreTransactions(IDatabaseProvider provider) : IStoreTransactions
{
    private static readonly AsyncLocal<Shared?> Current = new();

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (Current.Value is { } outer && outer.Provider == provider)
        {
            return await work();
        }

        await using var connection = await provider.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Current.Value = new Shared(provider, connection, transaction);
        try
        {
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            Current.Value = null;
        }
    }

    /// <summary>Returns a lease on the transaction's connection when the caller runs inside one over <paramref name="owner"/>, else null.</summary>
    internal static DbConnection? Lease(IDatabaseProvider owner) =>
        Current.Value is { } shared && shared.Provider == owner ? new LeasedConnection(shared) : null;

    private sealed class Shared(IDatabaseProvider provider, DbConnection connection, DbTransaction transaction)
    {
        private int _savepoints;

        public IDatabaseProvider Provider => provider;

        public DbConnection Connection => connection;

        public DbTransaction Transaction => transaction;

        public string NextSavepoint() => "marquee_" + Interlocked.Increment(ref _savepoints).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "The text is the caller's own SQL, passed through unchanged.")]
    private sealed class LeasedConnection(Shared shared) : DbConnection
    {
        [AllowNull]
        public override string ConnectionString
        {
            get => shared.Connection.ConnectionString;
            set => throw new NotSupportedException("A leased connection cannot be reconfigured.");
        }

        public override string Database => shared.Connection.Database;

        public override string DataSource => shared.Connection.DataSource;

        public override string ServerVersion => shared.Connection.ServerVersion;

        public override ConnectionState State => shared.Connection.State;

        public override void ChangeDatabase(string databaseName) => throw new NotSupportedException("A leased connection cannot change database.");

        public override void Close()
        {
        }

        public override void Open()
        {
        }

        internal void Execute(string sql)
        {
            using var command = CreateDbCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new Savepoint(this, shared.NextSavepoint());

        protected override DbCommand CreateDbCommand() => new JoinedCommand(this, shared);

        protected override void Dispose(bool disposing)
        {
            // The shared connection belongs to the transaction, which closes it; this lease holds nothing of its own.
            base.Dispose(disposing);
        }
    }

    /// <summary>A store's own transaction inside the shared one: a savepoint, released on commit and rolled back to otherwise.</summary>
    private sealed class Savepoint : DbTransaction
    {
        private readonly LeasedConnection _connection;
        private readonly string _name;
        private bool _done;

        public Savepoint(LeasedConnection connection, string name)
        {
            _connection = connection;
            _name = name;
            connection.Execute("SAVEPOINT " + name);
        }

        public override IsolationLevel IsolationLevel => IsolationLevel.Serializable;

        protected override DbConnection DbConnection => _connection;

        public override void Commit()
        {
            _done = true;
            _connection.Execute("RELEASE " + _name);
        }

        public override void Rollback()
        {
            _done = true;
            _connection.Execute($"ROLLBACK TO {_name}; RELEASE {_name}");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_done)
            {
                Rollback();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A command on the shared connection that always runs in the shared transaction, whatever transaction the caller names.</summary>
    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "The text is the caller's own SQL, passed through unchanged.")]
    private sealed class JoinedCommand : DbCommand
    {
        private readonly DbCommand _inner;
        private readonly LeasedConnection _connection;

        public JoinedCommand(LeasedConnection connection, Shared shared)
        {
            _connection = connection;
            _inner = shared.Connection.CreateCommand();
            _inner.Transaction = shared.Transaction;
        }

        [AllowNull]
        public override string CommandText
        {
            get => _inner.CommandText;
            set => _inner.CommandText = value;
        }

        public override int CommandTimeout
        {
            get => _inner.CommandTimeout;
            set => _inner.CommandTimeout = value;
        }

        public override CommandType CommandType
        {
            get => _inner.CommandType;
            set => _inner.CommandType = value;
        }

        public override bool DesignTimeVisible
        {
            get => _inner.DesignTimeVisible;
            set => _inner.DesignTimeVisible = value;
        }

        public override UpdateRowSource UpdatedRowSource
        {
            get => _inner.UpdatedRowSource;
            set => _inner.UpdatedRowSource = value;
        }

        protected override DbConnection? DbConnection
        {
            get => _connection;
            set
            {
                // Always the leased connection.
            }
        }

        protected override DbParameterCollection DbParameterCollection => _inner.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => _inner.Transaction;
            set
            {
                // Always the shared transaction; a savepoint the caller names is part of it.
            }
        }

        public override void Cancel() => _inner.Cancel();

        public override int ExecuteNonQuery() => _inner.ExecuteNonQuery();

        public override object? ExecuteScalar() => _inner.ExecuteScalar();

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => _inner.ExecuteNonQueryAsync(cancellationToken);

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => _inner.ExecuteScalarAsync(cancellationToken);

        public override void Prepare() => _inner.Prepare();

        protected override DbParameter CreateDbParameter() => _inner.CreateParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => _inner.ExecuteReader(behavior & ~CommandBehavior.CloseConnection);

        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
            _inner.ExecuteReaderAsync(behavior & ~CommandBehavior.CloseConnection, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
