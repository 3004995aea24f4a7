namespace Marquee.Core.Providers;

/// <summary>
/// An account on a connection as its provider sees it. <see cref="ExternalId"/> is stable across runs (a plex.tv
/// account id, a Jellyfin user id); <see cref="CanAct"/> is false when Marquee cannot obtain credentials for it,
/// with the reason in <see cref="Reason"/>.
/// </summary>
public sealed record ProviderAccount(
    string ExternalId,
    string Name,
    string Kind,
    string? Email = null,
    bool CanAct = true,
    string? Reason = null)
{
    /// <summary>
    /// Gets the names the server itself says this account has on other servers (Shoko's <c>PlexUsernames</c>); an
    /// account is paired with the account of that name before any pairing by its own name.
    /// </summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
