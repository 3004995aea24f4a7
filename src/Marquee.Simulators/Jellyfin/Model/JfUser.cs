namespace Marquee.Simulators.Jellyfin.Model;

/// <summary>A server user with the password that logs it in through <c>/Users/AuthenticateByName</c>.</summary>
public sealed record JfUser(string Id, string Name, string Password, bool IsAdministrator);
