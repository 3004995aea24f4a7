using System.Text.Json.Serialization;

namespace Marquee.Providers.Plex.Models;

/// <summary>Every PMS and Discover answer: <c>{"MediaContainer": {...}}</c>.</summary>
public sealed record PlexResponse
{
    [JsonPropertyName("MediaContainer")]
    public PlexMediaContainer? MediaContainer { get; init; }
}

public sealed record PlexMediaContainer
{
    public int Size { get; init; }

    public long? TotalSize { get; init; }

    public long? Offset { get; init; }

    public string? LibrarySectionID { get; init; }

    public string? LibrarySectionTitle { get; init; }

    public string? MachineIdentifier { get; init; }

    public string? FriendlyName { get; init; }

    public string? Version { get; init; }

    public bool Claimed { get; init; }

    [JsonPropertyName("Metadata")]
    public List<PlexMetadata>? Metadata { get; init; }

    [JsonPropertyName("Directory")]
    public List<PlexSection>? Directory { get; init; }

    [JsonPropertyName("Account")]
    public List<PlexServerAccount>? Account { get; init; }
}

/// <summary>A library section (<c>GET /library/sections</c>).</summary>
public sealed record PlexSection
{
    public string? Key { get; init; }

    public string? Type { get; init; }

    public string? Title { get; init; }

    public string? Agent { get; init; }

    public string? Uuid { get; init; }

    public bool Hidden { get; init; }
}

/// <summary>A server-local account (<c>GET /accounts</c>).</summary>
public sealed record PlexServerAccount
{
    public string? Id { get; init; }

    public string? Name { get; init; }
}

/// <summary>One item of <c>Metadata[]</c>: movie, show, season, episode, a session or a history row (PLEX-API.md 4.5, 6.1, 7.1).</summary>
public sealed record PlexMetadata
{
    public string? RatingKey { get; init; }

    public string? Key { get; init; }

    [JsonPropertyName("guid")]
    public string? PrimaryGuid { get; init; }

    public string? Type { get; init; }

    public string? Title { get; init; }

    public int? Year { get; init; }

    public string? EditionTitle { get; init; }

    public int? Index { get; init; }

    public int? ParentIndex { get; init; }

    public string? ParentRatingKey { get; init; }

    public string? ParentKey { get; init; }

    public string? GrandparentRatingKey { get; init; }

    public string? GrandparentKey { get; init; }

    public string? GrandparentTitle { get; init; }

    public string? GrandparentGuid { get; init; }

    public long? Duration { get; init; }

    public int? ViewCount { get; init; }

    public long? ViewOffset { get; init; }

    public long? LastViewedAt { get; init; }

    public double? UserRating { get; init; }

    public long? LastRatedAt { get; init; }

    public long? AddedAt { get; init; }

    public long? UpdatedAt { get; init; }

    public string? LibrarySectionID { get; init; }

    public string? LibrarySectionTitle { get; init; }

    public string? SessionKey { get; init; }

    public string? HistoryKey { get; init; }

    public long? ViewedAt { get; init; }

    public string? AccountID { get; init; }

    [JsonPropertyName("Guid")]
    public List<PlexTag>? Guids { get; init; }

    [JsonPropertyName("Label")]
    public List<PlexTag>? Label { get; init; }

    [JsonPropertyName("Field")]
    public List<PlexField>? Field { get; init; }

    [JsonPropertyName("Media")]
    public List<PlexMedia>? Media { get; init; }

    [JsonPropertyName("User")]
    public PlexSessionUser? User { get; init; }

    [JsonPropertyName("Player")]
    public PlexPlayer? Player { get; init; }

    [JsonPropertyName("Session")]
    public PlexSessionInfo? Session { get; init; }
}

/// <summary><c>Guid[]</c> entries carry <c>id</c>; <c>Label[]</c> entries carry <c>tag</c>.</summary>
public sealed record PlexTag
{
    public string? Id { get; init; }

    public string? Tag { get; init; }
}

public sealed record PlexField
{
    public string? Name { get; init; }

    public bool Locked { get; init; }
}

public sealed record PlexMedia
{
    public string? Id { get; init; }

    [JsonPropertyName("Part")]
    public List<PlexPart>? Part { get; init; }
}

public sealed record PlexPart
{
    public string? Id { get; init; }

    public string? Key { get; init; }

    public string? File { get; init; }
}

public sealed record PlexSessionUser
{
    public string? Id { get; init; }

    public string? Title { get; init; }
}

public sealed record PlexPlayer
{
    public string? Title { get; init; }

    public string? Product { get; init; }

    public string? State { get; init; }
}

public sealed record PlexSessionInfo
{
    public string? Id { get; init; }
}
