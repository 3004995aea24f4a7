namespace Marquee.Core.Connections;

/// <summary>The stored accounts of a connection after asking its provider; <see cref="Problem"/> says why the provider could not be asked.</summary>
public sealed record AccountRefresh(IReadOnlyList<Account> Accounts, string? Problem);
