namespace Marquee.Core.Profiles;

/// <summary>A person, mapped to accounts across connections.</summary>
public sealed record Profile(long Id, string Name, string? DisplayName, DateTimeOffset CreatedAt);
