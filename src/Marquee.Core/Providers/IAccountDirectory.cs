namespace Marquee.Core.Providers;

/// <summary>Lists the accounts of a connection and whether Marquee can act for each.</summary>
public interface IAccountDirectory
{
    Task<IReadOnlyList<ProviderAccount>> ListAccountsAsync(CancellationToken cancellationToken);
}
