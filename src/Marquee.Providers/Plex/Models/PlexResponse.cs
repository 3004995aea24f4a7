using System.Text.Json.Serialization;

namespace Marquee.Providers.Plex.Models;

// The wire types have plain setters: with init-only ones the source-generated reader treats every property as a
// constructor argument and buffers each object before building it, which costs a listing page several times more.

/// <summary>Every PMS and Discover answer: <c>{"MediaContainer": {...}}</c>.</summary>
public sealed record PlexResponse
{
    [JsonPropertyName("MediaContainer")]
    public PlexMediaContainer? MediaContainer { get; set; }
}

public sealed record PlexMediaContainer
{
    public int Size { get; set; }

    public long? TotalSize { get; set; }

    public long? Offset { get; set; }

    public string? LibrarySectionID { get; set; }

    public string? LibrarySectionTitle { get; set; }

    public string? MachineIdentifier { get; set; }

    public string? FriendlyName { get; set; }

    public string? Version { get; set; }

    public bool Claimed { get; set; }

    [JsonPropertyName("Metadata")]
    public List<PlexMetadata>? Metadata { get; set; }

    [JsonPropertyName("Directory")]
    public List<PlexSection>? Directory { get; set; }

    [JsonPropertyName("Account")]
    public List<PlexServerAccount>? Account { get; set; }
}

/// <summary>A library section (<c>GET /library/sections</c>).</summary>
public sealed record PlexSection
{
    public string? Key { get; set; }

    public string? Type { get; set; }

    public string? Title { get; set; }

    public string? Agent { get; set; }

    public string? Uuid { get; set; }

    public bool Hidden { get; set; }
}

/// <summary>A server-local account (<c>GET /accounts</c>).</summary>
public sealed record PlexServerAccount
{
    public string? Id { get; set; }

    public string? Name { get; set; }
}

/// <summary>One item of <c>Metadata[]</c>: movie, show, season, episode, a session or a history row (PLEX-API.md 4.5, 6.1, 7.1).</summary>
public sealed record PlexMetadata
{
    public string? RatingKey { get; set; }

    public string? Key { get; set; }

    [JsonPropertyName("guid")]
    public string? PrimaryGuid { get; set; }

    public string? Type { get; set; }

    public string? Title { get; set; }

    public int? Year { get; set; }

    public string? EditionTitle { get; set; }

    public int? Index { get; set; }

    public int? ParentIndex { get; set; }

    public string? ParentRatingKey { get; set; }

    public string? ParentKey { get; set; }

    public string? GrandparentRatingKey { get; set; }

    public string? GrandparentKey { get; set; }

    public string? GrandparentTitle { get; set; }

    public string? Thumb { get; set; }

    public string? ParentThumb { get; set; }

    public string? GrandparentThumb { get; set; }

    public string? GrandparentGuid { get; set; }

    public long? Duration { get; set; }

    public int? ViewCount { get; set; }

    public long? ViewOffset { get; set; }

    public long? LastViewedAt { get; set; }

    public double? UserRating { get; set; }

    public long? LastRatedAt { get; set; }

    public long? AddedAt { get; set; }

    public long? UpdatedAt { get; set; }

    public string? LibrarySectionID { get; set; }

    public string? LibrarySectionTitle { get; set; }

    public string? SessionKey { get; set; }

    public string? HistoryKey { get; set; }

    public long? ViewedAt { get; set; }

    public string? AccountID { get; set; }

    [JsonPropertyName("Guid")]
    public List<PlexTag>? Guids { get; set; }

    [JsonPropertyName("Label")]
    public List<PlexTag>? Label { get; set; }

    [JsonPropertyName("Field")]
    public List<PlexField>? Field { get; set; }

    [JsonPropertyName("Media")]
    public List<PlexMedia>? Media { get; set; }

    [JsonPropertyName("User")]
    public PlexSessionUser? User { get; set; }

    [JsonPropertyName("Player")]
    public PlexPlayer? Player { get; set; }

    [JsonPropertyName("Session")]
    public PlexSessionInfo? Session { get; set; }

    [JsonPropertyName("TranscodeSession")]
    public PlexTranscodeSession? TranscodeSession { get; set; }
}

/// <summary><c>Guid[]</c> entries carry <c>id</c>; <c>Label[]</c> entries carry <c>tag</c>.</summary>
public sealed record PlexTag
{
    public string? Id { get; set; }

    public string? Tag { get; set; }
}

public sealed record PlexField
{
    public string? Name { get; set; }

    public bool Locked { get; set; }
}

public sealed record PlexMedia
{
    public string? Id { get; set; }

    public string? VideoResolution { get; set; }

    public int? Height { get; set; }

    [JsonPropertyName("Part")]
    public List<PlexPart>? Part { get; set; }
}

public sealed record PlexPart
{
    public string? Id { get; set; }

    public string? Key { get; set; }

    public string? File { get; set; }

    public string? Decision { get; set; }
}

public sealed record PlexSessionUser
{
    public string? Id { get; set; }

    public string? Title { get; set; }
}

public sealed record PlexPlayer
{
    public string? Title { get; set; }

    public string? Product { get; set; }

    public string? State { get; set; }

    public string? Platform { get; set; }

    public string? MachineIdentifier { get; set; }

    public bool? Local { get; set; }
}

public sealed record PlexSessionInfo
{
    public string? Id { get; set; }

    public long? Bandwidth { get; set; }

    public string? Location { get; set; }
}

public sealed record PlexTranscodeSession
{
    public string? VideoDecision { get; set; }

    public string? AudioDecision { get; set; }

    public int? Height { get; set; }
}
