using Marquee.Simulators.Infrastructure;

namespace Marquee.Simulators.Shoko;

/// <summary>A Shoko user; its API keys are per device name.</summary>
public sealed class ShokoUser
{
    public required int Id { get; init; }

    public required string Username { get; init; }

    public required string Password { get; set; }

    public bool IsAdmin { get; init; }

    /// <summary>Gets or sets the comma-separated Plex account titles of this user.</summary>
    public string PlexUsernames { get; set; } = string.Empty;

    public List<string> CommunitySites { get; } = ["Plex"];

    internal Dictionary<string, string> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>A user's record of one file: watched date and count, resume point (ticks), last change.</summary>
public sealed record ShokoFileRecord(DateTimeOffset? WatchedAt, int WatchedCount, long ResumeTicks, DateTimeOffset UpdatedAt);

/// <summary>A user's record of one episode: watched date, completed plays, last change (6.0 also favourites).</summary>
public sealed record ShokoEpisodeRecord(DateTimeOffset? WatchedAt, int WatchCount, DateTimeOffset UpdatedAt, bool IsFavorite = false);

/// <summary>What a user sees of one episode: the <c>Watched</c>, <c>WatchCount</c> and <c>ResumePosition</c> the API shows.</summary>
public sealed record ShokoEpisodeView(DateTimeOffset? Watched, int WatchCount, long? ResumeTicks, DateTimeOffset? UpdatedAt);

/// <summary>Why the server answers nothing useful right now (SHOKO-API.md section 4).</summary>
public enum ShokoServerMode
{
    Started,
    NotStarted,
    DatabaseBlocked,
}

/// <summary>
/// The simulated server's state: the catalog, users and keys, and per-user file and episode records, with the
/// propagation rules of SHOKO-API.md section 8 for the configured server line. All access goes through one lock.
/// </summary>
public sealed class ShokoState
{
    private readonly Dictionary<int, AnimeSeries> _series;
    private readonly Dictionary<int, AnimeEpisode> _episodes;
    private readonly Dictionary<int, AnimeFile> _files;
    private readonly Dictionary<int, List<(AnimeFile File, int Percentage)>> _filesOfEpisode = [];
    private readonly Dictionary<(int User, int File), ShokoFileRecord> _fileRecords = [];
    private readonly Dictionary<(int User, int Episode), ShokoEpisodeRecord> _episodeRecords = [];

    public ShokoState(ShokoSimulatorOptions options, SimClock clock)
    {
        Options = options;
        Clock = clock;
        Catalog = AnimeCatalog.Generate(options.Seed, options.Series);
        _series = Catalog.Series.ToDictionary(s => s.Id);
        _episodes = Catalog.Episodes.ToDictionary(e => e.Id);
        _files = Catalog.Files.ToDictionary(f => f.Id);
        foreach (var file in Catalog.Files)
        {
            foreach (var xref in file.Episodes)
            {
                if (!_filesOfEpisode.TryGetValue(xref.EpisodeId, out var list))
                {
                    _filesOfEpisode[xref.EpisodeId] = list = [];
                }

                list.Add((file, xref.Percentage));
            }
        }

        Users = [.. options.UserNames.Select((name, i) => new ShokoUser { Id = i + 1, Username = name, Password = options.Password, IsAdmin = i == 0, PlexUsernames = name })];
        Started = clock.GetUtcNow();
    }

    public Lock Gate { get; } = new();

    public ShokoSimulatorOptions Options { get; }

    public SimClock Clock { get; }

    public AnimeCatalog Catalog { get; }

    public IReadOnlyList<ShokoUser> Users { get; }

    public DateTimeOffset Started { get; }

    public bool IsV6 => Options.Version == ShokoServerVersion.V6;

    public ShokoServerMode Mode { get; set; } = ShokoServerMode.Started;

    /// <summary>Gets or sets the shape of <c>Init/Version</c>'s body (control API: <c>POST /_sim/version-body</c>).</summary>
    public ShokoVersionBody VersionBody { get; set; } = ShokoVersionBody.Set;

    public DateTimeOffset Now => Clock.GetUtcNow();

    public AnimeSeries? Series(int id) => _series.GetValueOrDefault(id);

    public AnimeEpisode? Episode(int id) => _episodes.GetValueOrDefault(id);

    public AnimeFile? File(int id) => _files.GetValueOrDefault(id);

    public IReadOnlyList<(AnimeFile File, int Percentage)> FilesOf(AnimeEpisode episode) => _filesOfEpisode.GetValueOrDefault(episode.Id) ?? [];

    public ShokoUser? UserByName(string name) => Users.FirstOrDefault(u => string.Equals(u.Username, name, StringComparison.OrdinalIgnoreCase));

    /// <summary><c>POST /api/auth</c>: the same key for the same user and device; null for wrong credentials.</summary>
    public string? Authenticate(string user, string? password, string device)
    {
        lock (Gate)
        {
            var found = UserByName(user);
            if (found is null || !string.Equals(found.Password, password ?? string.Empty, StringComparison.Ordinal))
            {
                return null;
            }

            if (!found.Keys.TryGetValue(device, out var key))
            {
                key = Guid.NewGuid().ToString("D");
                found.Keys[device] = key;
            }

            return key;
        }
    }

    public ShokoUser? UserByKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        var wanted = key.Trim().ToLowerInvariant();
        lock (Gate)
        {
            return Users.FirstOrDefault(u => u.Keys.Values.Contains(wanted, StringComparer.Ordinal));
        }
    }

    /// <summary>Forgets every key (as after a reinstall): clients must log in again.</summary>
    public void RevokeKeys()
    {
        lock (Gate)
        {
            foreach (var user in Users)
            {
                user.Keys.Clear();
            }
        }
    }

    public ShokoFileRecord? FileRecord(ShokoUser user, AnimeFile file)
    {
        lock (Gate)
        {
            return _fileRecords.GetValueOrDefault((user.Id, file.Id));
        }
    }

    public ShokoEpisodeRecord? EpisodeRecord(ShokoUser user, AnimeEpisode episode)
    {
        lock (Gate)
        {
            return _episodeRecords.GetValueOrDefault((user.Id, episode.Id));
        }
    }

    /// <summary>
    /// What the API shows: 5.x takes <c>Watched</c> from the file record this user changed last, 6.0 from the
    /// episode record; the resume point always comes from the file record changed last.
    /// </summary>
    public ShokoEpisodeView View(ShokoUser user, AnimeEpisode episode)
    {
        lock (Gate)
        {
            var record = _episodeRecords.GetValueOrDefault((user.Id, episode.Id));
            var latest = FilesOf(episode).Select(f => _fileRecords.GetValueOrDefault((user.Id, f.File.Id))).Where(r => r is not null).MaxBy(r => r!.UpdatedAt);
            var watched = IsV6 ? record?.WatchedAt : latest?.WatchedAt;
            var resume = latest is { ResumeTicks: > 0 } r2 ? r2.ResumeTicks : (long?)null;
            return new ShokoEpisodeView(watched, record?.WatchCount ?? 0, resume, record?.UpdatedAt ?? latest?.UpdatedAt);
        }
    }

    /// <summary>Whether the <c>includeWatched</c> filter counts the episode as watched: the episode record decides.</summary>
    public bool WatchedForFilter(ShokoUser user, AnimeEpisode episode)
    {
        lock (Gate)
        {
            return _episodeRecords.GetValueOrDefault((user.Id, episode.Id))?.WatchedAt is not null;
        }
    }

    /// <summary><c>POST /Episode/{id}/Watched/{value}</c>: server time; 5.x through the files (none: no change), 6.0 on the episode record too.</summary>
    public void MarkEpisode(ShokoUser user, AnimeEpisode episode, bool watched, bool updateFiles = true)
    {
        lock (Gate)
        {
            var now = Now;
            if (IsV6)
            {
                SetEpisode(user, episode, watched ? now : null, now);
                if (updateFiles)
                {
                    foreach (var (file, _) in FilesOf(episode))
                    {
                        SetFile(user, file, watched ? now : null, now, null, propagate: false);
                    }
                }

                return;
            }

            foreach (var (file, _) in FilesOf(episode))
            {
                SetFile(user, file, watched ? now : null, now, null, propagate: true);
            }
        }
    }

    /// <summary><c>POST /File/{id}/Watched/{value}</c>: server time, spread to the file's episodes.</summary>
    public void MarkFile(ShokoUser user, AnimeFile file, bool watched)
    {
        lock (Gate)
        {
            SetFile(user, file, watched ? Now : null, Now, null, propagate: true);
        }
    }

    /// <summary>5.x <c>PUT /File/{id}/UserStats</c>: the record as given (the count grows on every dated write), spread to the episodes with that date.</summary>
    public ShokoFileRecord PutFileStats(ShokoUser user, AnimeFile file, long resumeTicks, DateTimeOffset? lastWatchedAt, DateTimeOffset? lastUpdatedAt)
    {
        lock (Gate)
        {
            SetFile(user, file, lastWatchedAt, lastUpdatedAt ?? Now, Math.Clamp(resumeTicks, 0, file.DurationMs * TimeSpan.TicksPerMillisecond), propagate: true);
            return _fileRecords[(user.Id, file.Id)];
        }
    }

    /// <summary>6.0 <c>PUT /Episode/{id}/UserData</c>: sets the episode record; a changed play date is copied to its files (not spread further).</summary>
    public ShokoEpisodeRecord PutEpisodeUserData(ShokoUser user, AnimeEpisode episode, int playbackCount, DateTimeOffset? lastPlayedAt, DateTimeOffset lastUpdatedAt, bool isFavorite)
    {
        lock (Gate)
        {
            var before = _episodeRecords.GetValueOrDefault((user.Id, episode.Id));
            var record = new ShokoEpisodeRecord(lastPlayedAt, playbackCount, lastUpdatedAt, isFavorite);
            _episodeRecords[(user.Id, episode.Id)] = record;
            if (before?.WatchedAt != lastPlayedAt)
            {
                foreach (var (file, _) in FilesOf(episode))
                {
                    SetFile(user, file, lastPlayedAt, lastUpdatedAt, null, propagate: false);
                }
            }

            return record;
        }
    }

    /// <summary>
    /// <c>File/{id}/Scrobble</c>: sets the resume point (clamped to the file's length) and, when asked or when the point
    /// passes the end (5.x: at the end, 6.0: past 97.5 %), marks the file watched now and clears the point.
    /// </summary>
    public void Scrobble(ShokoUser user, AnimeFile file, long? positionTicks, bool? watched)
    {
        lock (Gate)
        {
            var now = Now;
            var duration = file.DurationMs * TimeSpan.TicksPerMillisecond;
            var current = _fileRecords.GetValueOrDefault((user.Id, file.Id));
            var position = positionTicks is { } p ? Math.Clamp(p, 0, duration) : current?.ResumeTicks ?? 0;
            var finished = positionTicks is { } q && (IsV6 ? q > duration * 0.975 : q >= duration);
            if (watched == true || finished)
            {
                SetFile(user, file, now, now, 0, propagate: true);
            }
            else if (watched == false)
            {
                SetFile(user, file, null, now, position, propagate: true);
            }
            else
            {
                _fileRecords[(user.Id, file.Id)] = new ShokoFileRecord(current?.WatchedAt, current?.WatchedCount ?? 0, position, now);
            }
        }
    }

    /// <summary>Removes every user's records.</summary>
    public void ClearRecords()
    {
        lock (Gate)
        {
            _fileRecords.Clear();
            _episodeRecords.Clear();
        }
    }

    public IReadOnlyDictionary<int, ShokoEpisodeView> Dump(ShokoUser user)
    {
        lock (Gate)
        {
            return Catalog.Episodes.Select(e => (e.Id, View: View(user, e))).Where(p => p.View.Watched is not null || p.View.ResumeTicks is not null || p.View.WatchCount > 0).ToDictionary(p => p.Id, p => p.View);
        }
    }

    private void SetFile(ShokoUser user, AnimeFile file, DateTimeOffset? watchedAt, DateTimeOffset updatedAt, long? resumeTicks, bool propagate)
    {
        var current = _fileRecords.GetValueOrDefault((user.Id, file.Id));
        // 5.x counts every dated write, even of the same date; 6.0 only a change.
        var count = (current?.WatchedCount ?? 0) + (watchedAt is not null && (!IsV6 || current?.WatchedAt != watchedAt) ? 1 : 0);
        _fileRecords[(user.Id, file.Id)] = new ShokoFileRecord(watchedAt, count, resumeTicks ?? (watchedAt is not null ? 0 : current?.ResumeTicks ?? 0), updatedAt);
        if (!propagate)
        {
            return;
        }

        foreach (var xref in file.Episodes)
        {
            if (_episodes.TryGetValue(xref.EpisodeId, out var episode))
            {
                // An episode is watched once its watched files cover more than 95 % of it (a share of 0 or less counts 100).
                var covered = 0;
                DateTimeOffset? latest = null;
                foreach (var (other, share) in FilesOf(episode))
                {
                    if (_fileRecords.GetValueOrDefault((user.Id, other.Id))?.WatchedAt is { } at)
                    {
                        covered += share <= 0 ? 100 : share;
                        latest = latest is { } l && l > at ? l : at;
                    }
                }

                var date = covered > 95 ? (watchedAt ?? latest) : null;
                SetEpisode(user, episode, date, updatedAt);
            }
        }
    }

    private void SetEpisode(ShokoUser user, AnimeEpisode episode, DateTimeOffset? watchedAt, DateTimeOffset updatedAt)
    {
        var current = _episodeRecords.GetValueOrDefault((user.Id, episode.Id));
        var changed = current?.WatchedAt != watchedAt;
        var count = (current?.WatchCount ?? 0) + (changed && watchedAt is not null ? 1 : 0);
        _episodeRecords[(user.Id, episode.Id)] = new ShokoEpisodeRecord(watchedAt, count, changed ? updatedAt : current?.UpdatedAt ?? updatedAt, current?.IsFavorite ?? false);
    }
}
