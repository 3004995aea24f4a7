using System.Text.Json.Serialization;

namespace Marquee.Providers.Jellyfin.Models;

/// <summary>BaseItemDto, reduced to what Marquee reads.</summary>
public sealed record JellyfinItem
{
    public string Id { get; init; } = string.Empty;

    public string? Name { get; init; }

    public string? Type { get; init; }

    /// <summary>Gets the kind of a library view (CollectionFolder): <c>movies</c>, <c>tvshows</c>, <c>music</c>, …</summary>
    public string? CollectionType { get; init; }

    public int? ProductionYear { get; init; }

    public long? RunTimeTicks { get; init; }

    public string? Path { get; init; }

    public Dictionary<string, string?>? ProviderIds { get; init; }

    public string? SeriesId { get; init; }

    public string? SeriesName { get; init; }

    public int? ParentIndexNumber { get; init; }

    public int? IndexNumber { get; init; }

    public int? IndexNumberEnd { get; init; }

    public JellyfinUserData? UserData { get; init; }
}

/// <summary>UserItemDataDto.</summary>
public sealed record JellyfinUserData
{
    public double? Rating { get; init; }

    public long PlaybackPositionTicks { get; init; }

    public int PlayCount { get; init; }

    public bool IsFavorite { get; init; }

    public bool Played { get; init; }

    public DateTimeOffset? LastPlayedDate { get; init; }

    public string? ItemId { get; init; }
}

/// <summary>BaseItemDtoQueryResult (Jellyfin) and QueryResult_BaseItemDto (Emby).</summary>
public sealed record JellyfinItemsResponse
{
    public List<JellyfinItem> Items { get; init; } = [];

    public int TotalRecordCount { get; init; }

    public int? StartIndex { get; init; }
}

/// <summary>UserDto.</summary>
public sealed record JellyfinUser
{
    public string Id { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public JellyfinUserPolicy? Policy { get; init; }
}

public sealed record JellyfinUserPolicy
{
    public bool IsAdministrator { get; init; }

    public bool IsDisabled { get; init; }
}

/// <summary>AuthenticationResult.</summary>
public sealed record JellyfinAuthResult
{
    public JellyfinUser? User { get; init; }

    public string? AccessToken { get; init; }

    public string? ServerId { get; init; }
}

/// <summary>AuthenticateUserByName.</summary>
public sealed record JellyfinLogin(string Username, string Pw);

/// <summary>PublicSystemInfo / SystemInfo.</summary>
public sealed record JellyfinSystemInfo
{
    public string? ServerName { get; init; }

    public string? Version { get; init; }

    public string? ProductName { get; init; }

    public string? Id { get; init; }
}

/// <summary>UpdateUserItemDataDto: null fields are left unchanged by the server.</summary>
public sealed record JellyfinUserDataUpdate
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? PlaybackPositionTicks { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Rating { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Played { get; init; }
}
