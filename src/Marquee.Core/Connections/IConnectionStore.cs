namespace Marquee.Core.Connections;

public interface IConnectionStore
{
    Task<IReadOnlyList<StoredConnection>> ListAsync(CancellationToken cancellationToken);

    Task<StoredConnection?> GetAsync(long id, CancellationToken cancellationToken);

    Task<StoredConnection?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Inserts a connection; returns null when the name is taken.</summary>
    Task<StoredConnection?> InsertAsync(string name, string kind, string settings, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Updates name and settings; returns false when the id is unknown.</summary>
    Task<bool> UpdateAsync(long id, string name, string settings, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Account>> ListAccountsAsync(long connectionId, CancellationToken cancellationToken);

    /// <summary>Finds an account by its external id or, failing that, by its name (case-insensitive).</summary>
    Task<Account?> FindAccountAsync(long connectionId, string idOrName, CancellationToken cancellationToken);

    Task<Account> UpsertAccountAsync(long connectionId, string externalId, string name, string kind, string? email, CancellationToken cancellationToken);
}
