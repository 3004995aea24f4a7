namespace Marquee.Simulators.Plex;

public enum SimAccountKind
{
    Owner,
    Home,
    Friend,
}

/// <summary>One plex.tv account known to the simulated server.</summary>
/// <param name="Name">Username (title).</param>
/// <param name="PlexTvId">plex.tv account id (webhook <c>Account.id</c>, plex.tv responses).</param>
/// <param name="Kind">Owner, Plex Home member or friend.</param>
/// <param name="LocalId">Server-local id (1 for the owner) used in history, sessions and <c>/accounts</c>.</param>
/// <param name="AccountToken">plex.tv account token.</param>
/// <param name="ServerToken">Server-scoped token (resources <c>accessToken</c>) for the simulated PMS.</param>
/// <param name="Pin">Home PIN needed to switch to this account, if protected.</param>
/// <param name="Uuid">plex.tv uuid (home switch path).</param>
public sealed record SimAccount(
    string Name,
    long PlexTvId,
    long LocalId,
    SimAccountKind Kind,
    string AccountToken,
    string ServerToken,
    string? Pin,
    string Uuid)
{
    public bool IsOwner => Kind == SimAccountKind.Owner;

    /// <summary>Managed home users have no username/email on plex.tv.</summary>
    public bool IsManaged => Kind == SimAccountKind.Home;

    public string Email => IsManaged ? string.Empty : Name + "@example.com";

    public string Thumb => $"https://plex.tv/users/{Uuid[..16]}/avatar?c=1731000000";
}
