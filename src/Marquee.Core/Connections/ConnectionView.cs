using System.Text.Json.Nodes;

namespace Marquee.Core.Connections;

/// <summary>A connection as shown to users: secret settings are masked.</summary>
public sealed record ConnectionView(
    long Id,
    string Name,
    string Kind,
    JsonObject Settings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
