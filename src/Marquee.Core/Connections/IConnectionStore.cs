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

    /// <summary>Returns an account's stored credential (already encrypted by the caller) and when it was stored; null when none.</summary>
    Task<StoredAccountToken?> GetAccountTokenAsync(long connectionId, string externalId, CancellationToken cancellationToken);

    /// <summary>Stores (or clears, with null) an account's encrypted credential; false when the account is unknown.</summary>
    Task<bool> SetAccountTokenAsync(long connectionId, string externalId, string? protectedToken, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records whether Marquee can act for an account and why not; false when the account is unknown.</summary>
    Task<bool> SetAccountStatusAsync(long connectionId, string externalId, string status, string? reason, CancellationToken cancellationToken);
}

/// <summary>An account's credential as the store keeps it: <see cref="ProtectedToken"/> is encrypted.</summary>
public sealed record StoredAccountToken(string ProtectedToken, DateTimeOffset? UpdatedAt);
