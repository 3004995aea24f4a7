namespace Marquee.Core.Connections;

/// <summary>A connection as the store keeps it: secrets inside <see cref="Settings"/> are already encrypted.</summary>
public sealed record StoredConnection(
    long Id,
    string Name,
    string Kind,
    string Settings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
