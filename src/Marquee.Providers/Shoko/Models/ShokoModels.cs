using System.Text.Json;

namespace Marquee.Providers.Shoko.Models;

/// <summary><c>POST /api/auth</c> body.</summary>
public sealed record ShokoLogin(string User, string Pass, string Device);

/// <summary><c>POST /api/auth</c> answer.</summary>
public sealed record ShokoKey
{
    public string? Apikey { get; init; }
}

/// <summary><c>GET /api/v3/Init/Status</c>.</summary>
public sealed record ShokoInitStatus
{
    public string? State { get; init; }

    public string? StartupMessage { get; init; }
}

/// <summary>A Shoko user (<c>User/Current</c>, <c>User</c>).</summary>
public sealed record ShokoUserInfo
{
    public int ID { get; init; }

    public string Username { get; init; } = string.Empty;

    public bool IsAdmin { get; init; }

    public string? PlexUsernames { get; init; }
}

/// <summary>A <c>{Total, List}</c> page.</summary>
public sealed record ShokoPage<T>
{
    public int Total { get; init; }

    public List<T> List { get; init; } = [];
}

public sealed record ShokoTmdbIds
{
    public List<int> Episode { get; init; } = [];

    public List<int> Show { get; init; } = [];
}

public sealed record ShokoSeriesIds
{
    public int ID { get; init; }

    public int AniDB { get; init; }

    public List<int> TvDB { get; init; } = [];

    public ShokoTmdbIds? TMDB { get; init; }
}

/// <summary>A series, reduced to its ids and name.</summary>
public sealed record ShokoSeries
{
    public ShokoSeriesIds IDs { get; init; } = new();

    public string? Name { get; init; }
}

public sealed record ShokoEpisodeIds
{
    public int ID { get; init; }

    public int ParentSeries { get; init; }

    public int AniDB { get; init; }

    public List<int> TvDB { get; init; } = [];

    public ShokoTmdbIds? TMDB { get; init; }
}

/// <summary>The <c>AniDB</c> block of an episode (with <c>includeDataFrom=AniDB</c>).</summary>
public sealed record ShokoAniDbEpisode
{
    public int AnimeID { get; init; }

    public string? Type { get; init; }

    public int EpisodeNumber { get; init; }
}

/// <summary>A file of an episode (with <c>includeFiles=true</c>).</summary>
public sealed record ShokoFile
{
    public int ID { get; init; }

    public string? Duration { get; init; }

    public string? ResumePosition { get; init; }

    public DateTimeOffset? Viewed { get; init; }

    public DateTimeOffset? Watched { get; init; }
}

/// <summary>An episode with the key's user's state.</summary>
public sealed record ShokoEpisode
{
    public ShokoEpisodeIds IDs { get; init; } = new();

    public string? Name { get; init; }

    public string? Duration { get; init; }

    public string? ResumePosition { get; init; }

    public int WatchCount { get; init; }

    public DateTimeOffset? Watched { get; init; }

    public ShokoAniDbEpisode? AniDB { get; init; }

    public List<ShokoFile>? Files { get; init; }

    public int Size { get; init; }
}

/// <summary>5.x <c>File/{id}/UserStats</c>.</summary>
public sealed record ShokoFileStats
{
    public string? ResumePosition { get; init; }

    public int WatchedCount { get; init; }

    public DateTimeOffset? LastWatchedAt { get; init; }

    public DateTimeOffset? LastUpdatedAt { get; init; }
}

/// <summary>6.0 <c>Episode/{id}/UserData</c>; tags and rating are kept as sent, since a PUT replaces the whole record.</summary>
public sealed record ShokoEpisodeUserData
{
    public int PlaybackCount { get; init; }

    public DateTimeOffset? LastPlayedAt { get; init; }

    public bool IsFavorite { get; init; }

    public JsonElement? UserTags { get; init; }

    public JsonElement? UserRating { get; init; }

    public DateTimeOffset? LastUpdatedAt { get; init; }
}
