namespace Marquee.Core.Connections;

/// <summary>A user on a connection: a Plex owner, Home user or friend; a Jellyfin user.</summary>
public sealed record Account(
    long Id,
    long ConnectionId,
    string ExternalId,
    string Name,
    string Kind,
    string? Email,
    string Status,
    string? StatusReason)
{
    public const string KindOwner = "owner";
    public const string KindHome = "home";
    public const string KindFriend = "friend";
    public const string KindUser = "user";
    public const string KindUnknown = "unknown";

    public const string StatusUnknown = "unknown";
    public const string StatusOk = "ok";
    public const string StatusNoAccess = "no-access";
}
