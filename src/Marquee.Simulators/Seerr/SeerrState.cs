using Marquee.Simulators.Infrastructure;

namespace Marquee.Simulators.Seerr;

/// <summary>A Seerr user (SEERR-API.md section 5.2).</summary>
public sealed record SeerrUser(int Id, int UserType, long? PlexId, string? PlexUsername, string? Username, string Email, long Permissions, string AvatarUuid, DateTimeOffset CreatedAt)
{
    public const long Admin = 2;

    public const long ManageUsers = 8;

    public const long ManageRequests = 16;

    public const long RequestView = 16384;

    public string DisplayName => Username ?? PlexUsername ?? Email;

    public bool Sees(long permission) => (Permissions & (Admin | permission)) != 0;
}

/// <summary>A title Seerr tracks (section 6.2); <see cref="Status"/> uses the media status numbers of section 4.3.</summary>
public sealed class SeerrMedia
{
    public required int Id { get; init; }

    public required string MediaType { get; init; }

    public required int TmdbId { get; init; }

    public int? TvdbId { get; init; }

    public required string Title { get; init; }

    public int Year { get; init; }

    public int Status { get; set; } = 2;

    public int Status4k { get; set; } = 1;

    public string? RatingKey { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? MediaAddedAt { get; set; }
}

/// <summary>A request (section 4.2); <see cref="Status"/> uses the request status numbers of section 4.3.</summary>
public sealed class SeerrRequest
{
    public required int Id { get; init; }

    public required int MediaId { get; init; }

    public required int RequestedBy { get; init; }

    public int? ModifiedBy { get; set; }

    public int Status { get; set; }

    public bool Is4k { get; init; }

    public bool IsAutoRequest { get; init; }

    public IReadOnlyList<int> Seasons { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Users, media and requests of the simulated request manager, guarded by one lock.</summary>
public sealed class SeerrState
{
    private readonly List<SeerrUser> _users = [];
    private readonly List<SeerrMedia> _media = [];
    private readonly List<SeerrRequest> _requests = [];
    private int _nextRequestId = 1;
    private int _nextMediaId = 1;

    public SeerrState(SeerrSimulatorOptions options, SimClock clock)
    {
        Options = options;
        Clock = clock;
        var now = clock.GetUtcNow();

        // The fictional world of the contract's examples: 1 = owner alice, 2 = friend bob ("Bobby"), 3 = local erin.
        _users.Add(new SeerrUser(1, 1, 8472915, "alice", null, "alice@example.org", SeerrUser.Admin, "a1b2c3d4e5f60718", now));
        _users.Add(new SeerrUser(2, 1, 21458372, "bob", "Bobby", "bob@example.org", 8388640, "b7c8d9e0f1a2b3c4", now));
        _users.Add(new SeerrUser(3, 2, null, null, "erin", "erin@example.org", 32, "e0e0e0e0e0e0e0e0", now));
    }

    public SeerrSimulatorOptions Options { get; }

    public SimClock Clock { get; }

    public Lock Gate { get; } = new();

    public bool IsOverseerr => Options.Flavor == SeerrFlavor.Overseerr;

    public string Version => Options.Flavor switch
    {
        SeerrFlavor.Overseerr => "1.34.0",
        SeerrFlavor.Jellyseerr => "2.7.3",
        _ => "3.1.0",
    };

    public List<SeerrUser> Users()
    {
        lock (Gate)
        {
            return [.. _users];
        }
    }

    public SeerrUser? User(int id)
    {
        lock (Gate)
        {
            return _users.Find(u => u.Id == id);
        }
    }

    public SeerrMedia? Media(int id)
    {
        lock (Gate)
        {
            return _media.Find(m => m.Id == id);
        }
    }

    public List<SeerrRequest> Requests()
    {
        lock (Gate)
        {
            return [.. _requests];
        }
    }

    public SeerrRequest? Request(int id)
    {
        lock (Gate)
        {
            return _requests.Find(r => r.Id == id);
        }
    }

    public SeerrUser AddUser(long? plexId, string? plexUsername, string? username, string? email, long permissions)
    {
        lock (Gate)
        {
            var id = _users.Max(u => u.Id) + 1;
            var user = new SeerrUser(id, plexId is null ? 2 : 1, plexId, plexUsername, username, email ?? $"{plexUsername ?? username}@example.org", permissions, $"{id:x16}", Clock.GetUtcNow());
            _users.Add(user);
            return user;
        }
    }

    /// <summary>Creates a request: PENDING, or APPROVED when <paramref name="autoApprove"/> (section 10 item 5).</summary>
    public SeerrRequest AddRequest(int userId, string mediaType, int tmdbId, int? tvdbId, string title, int year, IReadOnlyList<int> seasons, bool is4k, bool autoApprove, bool isAutoRequest)
    {
        lock (Gate)
        {
            if (_users.Find(u => u.Id == userId) is null)
            {
                throw new KeyNotFoundException($"no user with id {userId}");
            }

            var now = Clock.GetUtcNow();
            var media = _media.Find(m => m.MediaType == mediaType && m.TmdbId == tmdbId);
            if (media is null)
            {
                media = new SeerrMedia { Id = _nextMediaId++, MediaType = mediaType, TmdbId = tmdbId, TvdbId = tvdbId, Title = title, Year = year, CreatedAt = now, UpdatedAt = now };
                _media.Add(media);
            }

            var status = autoApprove ? 2 : 1;
            if (is4k)
            {
                media.Status4k = Math.Max(media.Status4k, autoApprove ? 3 : 2);
            }
            else
            {
                media.Status = Math.Max(media.Status, autoApprove ? 3 : 2);
            }

            media.UpdatedAt = now;
            var request = new SeerrRequest
            {
                Id = _nextRequestId++,
                MediaId = media.Id,
                RequestedBy = userId,
                ModifiedBy = autoApprove ? userId : null,
                Status = status,
                Is4k = is4k,
                IsAutoRequest = isAutoRequest,
                Seasons = mediaType == "tv" ? (seasons.Count == 0 ? [1] : seasons) : [],
                CreatedAt = now,
                UpdatedAt = now,
            };
            _requests.Add(request);
            return request;
        }
    }

    /// <summary>Approves (status 2) or declines (status 3) a request as the admin.</summary>
    public SeerrRequest Decide(int requestId, bool approve)
    {
        lock (Gate)
        {
            var request = _requests.Find(r => r.Id == requestId) ?? throw new KeyNotFoundException($"no request with id {requestId}");
            request.Status = approve ? 2 : 3;
            request.ModifiedBy = 1;
            request.UpdatedAt = Clock.GetUtcNow();
            return request;
        }
    }

    /// <summary>
    /// The media of a request reaches the library: media status 5; on Seerr and Jellyseerr every non-declined request of
    /// it moves to COMPLETED (5), on Overseerr they stay APPROVED. Returns the requests notified (one per requester).
    /// </summary>
    public (SeerrMedia Media, List<SeerrRequest> Notified) MakeAvailable(int mediaId, string? ratingKey)
    {
        lock (Gate)
        {
            var media = _media.Find(m => m.Id == mediaId) ?? throw new KeyNotFoundException($"no media with id {mediaId}");
            var now = Clock.GetUtcNow();
            media.Status = 5;
            media.RatingKey = ratingKey ?? media.RatingKey;
            media.MediaAddedAt ??= now;
            media.UpdatedAt = now;
            var notified = _requests.Where(r => r.MediaId == mediaId && r.Status != 3 && !r.Is4k).ToList();
            foreach (var request in notified)
            {
                request.Status = IsOverseerr ? 2 : 5;
                request.UpdatedAt = now;
            }

            return (media, notified);
        }
    }

    public bool DeleteRequest(int requestId)
    {
        lock (Gate)
        {
            return _requests.RemoveAll(r => r.Id == requestId) > 0;
        }
    }
}
