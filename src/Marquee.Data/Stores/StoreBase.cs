using System.Data.Common;
using Dapper;

namespace Marquee.Data.Stores;

/// <summary>Opens a connection per operation; connections are pooled by the engine's driver.</summary>
public abstract class StoreBase(IDatabaseProvider provider)
{
    static StoreBase()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    protected Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => provider.OpenAsync(cancellationToken);

    protected static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    protected static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    protected static CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken, DbTransaction? transaction = null) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);
}
