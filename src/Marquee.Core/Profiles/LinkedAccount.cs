namespace Marquee.Core.Profiles;

/// <summary>An account linked to a profile, with how the link was made (auto or manual).</summary>
public sealed record LinkedAccount(
    long ProfileId,
    long AccountId,
    long ConnectionId,
    string ConnectionName,
    string ExternalId,
    string AccountName,
    string AccountKind,
    string Origin);
