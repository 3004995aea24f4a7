namespace Marquee.Core.Providers;

/// <summary>Lists the accounts of a connection and whether Marquee can act for each.</summary>
public interface IAccountDirectory
{
    Task<IReadOnlyList<ProviderAccount>> ListAccountsAsync(CancellationToken cancellationToken);

    /// <summary>Why the last listing may miss accounts (a directory it needs could not be asked), or null when it is complete.</summary>
    string? Incomplete => null;
}
