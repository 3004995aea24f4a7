namespace Marquee.Providers.Plex.Models;

/// <summary>plex.tv account (<c>GET /api/v2/user</c>, home users, home switch).</summary>
public sealed record PlexTvUser
{
    public long Id { get; init; }

    public string? Uuid { get; init; }

    public string? Username { get; init; }

    public string? Title { get; init; }

    public string? Email { get; init; }

    public string? AuthToken { get; init; }

    public bool Admin { get; init; }

    public bool Protected { get; init; }

    public bool Restricted { get; init; }

    public bool Guest { get; init; }
}

/// <summary><c>GET /api/v2/home/users</c>.</summary>
public sealed record PlexHome
{
    public List<PlexTvUser>? Users { get; init; }
}

/// <summary>A login PIN (<c>POST /api/v2/pins</c>, <c>GET /api/v2/pins/{id}</c>).</summary>
public sealed record PlexPin
{
    public long Id { get; init; }

    public string? Code { get; init; }

    public string? ClientIdentifier { get; init; }

    public string? AuthToken { get; init; }

    public long? ExpiresIn { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A device of <c>GET /api/v2/resources</c>.</summary>
public sealed record PlexResource
{
    public string? Name { get; init; }

    public string? Product { get; init; }

    public string? Provides { get; init; }

    public string? ClientIdentifier { get; init; }

    public string? AccessToken { get; init; }

    public bool Owned { get; init; }

    public bool Home { get; init; }

    public bool HttpsRequired { get; init; }

    public string? SourceTitle { get; init; }

    public List<PlexConnection>? Connections { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsServer => Provides?.Split(',').Any(p => p.Trim().Equals("server", StringComparison.OrdinalIgnoreCase)) == true;
}

public sealed record PlexConnection
{
    public string? Protocol { get; init; }

    public string? Address { get; init; }

    public int Port { get; init; }

    public string? Uri { get; init; }

    public bool Local { get; init; }

    public bool Relay { get; init; }
}

/// <summary>plex.tv v2 error body: <c>{"errors":[{code,message,status}]}</c>.</summary>
public sealed record PlexTvErrors
{
    public List<PlexTvError>? Errors { get; init; }
}

public sealed record PlexTvError
{
    public int Code { get; init; }

    public string? Message { get; init; }
}

/// <summary>A friend or Home user of the v1 XML lists (<c>/api/users</c>, <c>shared_servers</c>).</summary>
public sealed record PlexSharedUser(long Id, string Title, string? Username, string? Email, bool Home, string? AccessToken);
