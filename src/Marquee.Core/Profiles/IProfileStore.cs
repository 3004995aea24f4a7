namespace Marquee.Core.Profiles;

public interface IProfileStore
{
    Task<IReadOnlyList<Profile>> ListAsync(CancellationToken cancellationToken);

    Task<Profile?> GetAsync(long id, CancellationToken cancellationToken);

    Task<Profile?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Inserts a profile; returns null when the name is taken.</summary>
    Task<Profile?> InsertAsync(string name, string? displayName, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> UpdateAsync(long id, string name, string? displayName, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken);

    Task<IReadOnlyList<LinkedAccount>> ListLinksAsync(long? profileId, CancellationToken cancellationToken);

    /// <summary>Links an account to a profile, moving it from any other profile (an account belongs to one person).</summary>
    Task LinkAsync(long profileId, long accountId, string origin, CancellationToken cancellationToken);

    Task<bool> UnlinkAsync(long profileId, long accountId, CancellationToken cancellationToken);
}
