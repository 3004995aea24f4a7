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
    string? Reason = null);
