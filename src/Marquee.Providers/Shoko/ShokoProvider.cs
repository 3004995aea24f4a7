using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Marquee.Providers.Shoko.Models;

namespace Marquee.Providers.Shoko;

/// <summary>
/// Shoko Server (5.x or 6.0) as a watch-state source and sink for each Shoko user (SHOKO-API.md). Every episode with a
/// file is one item keyed <c>{seriesID}:{episodeID}</c>, identified by its Shoko episode id (what Shoko Relay puts in
/// Plex guids), its AniDB type and number (what HAMA's guids name), its TMDB/TvDB episode when the link is one to
/// one, and, for a series without a TMDB link, its show and the per-type season and number the legacy Shoko agent uses;
/// never by title. Watched state lives on files: 5.x takes a dated write per file (<c>PUT File/{id}/UserStats</c>,
/// which marks every episode of that file), 6.0 per episode (<c>PUT Episode/{id}/UserData</c>). Every write reads the
/// current state first, one write per file at a time, so a file holding two episodes is written once.
/// </summary>
public sealed class ShokoProvider : IProvider, IAccountDirectory, IWatchStateSource, IWatchStateSink, IProgressSink
{
    private const string EpisodeQuery = "pageSize=0&includeFiles=true&includeDataFrom=AniDB&includeMissing=true&includeHidden=true";

    private readonly ShokoClient _client;
    private readonly int _pageSize;
    private readonly TimeSpan _testTimeout;
    private readonly TimeProvider _time;
    private readonly int? _serverLine;
    private readonly ConcurrentDictionary<(string User, int File), SemaphoreSlim> _fileGates = new();
    private readonly Lock _gate = new();
    private Task<ShokoUserInfo>? _me;
    private Task<bool>? _isV6;

    public ShokoProvider(ShokoClient client, int pageSize, TimeSpan testTimeout, TimeProvider time, int? serverLine = null)
    {
        _client = client;
        _serverLine = serverLine;
        _pageSize = Math.Clamp(pageSize, 1, 100);
        _testTimeout = testTimeout;
        _time = time;
    }

    /// <summary>Reads the unauthenticated status and the key's user, within the test timeout, naming one reason when it fails.</summary>
    public async Task<IReadOnlyList<FieldProblem>> TestAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ProviderHttpClient.WithinAsync(_testTimeout, _time, async () =>
            {
                var status = await _client.GetPublicAsync("/api/v3/Init/Status", "api/v3/Init/Status", ShokoJson.Default.ShokoInitStatus, cancellationToken);
                if (string.IsNullOrEmpty(status.State))
                {
                    throw _client.Unexpected("/api/v3/Init/Status", "the answer is JSON but not Shoko's status (no State)");
                }

                if (status.State != "Started")
                {
                    return (IReadOnlyList<FieldProblem>)[new FieldProblem("url", $"not started: {_client.Server} is '{status.State}'{(status.StartupMessage is { } m ? $" ({m})" : string.Empty)}")];
                }

                await CurrentUserAsync(cancellationToken);
                return [];
            });
        }
        catch (ProviderException ex)
        {
            return ProviderHttp.TestProblems(ex, "url", _client.UsesApiKey ? "apiKey" : "password", "Shoko");
        }
    }

    /// <summary>
    /// The key's user; for an administrator every user of the server, each usable when it can log in (with no password,
    /// or one from <see cref="ShokoSettings.UserPasswords"/>). The first administrator is the owner.
    /// </summary>
    public async Task<IReadOnlyList<ProviderAccount>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        var me = await CurrentUserAsync(cancellationToken);
        if (!me.IsAdmin)
        {
            return [new ProviderAccount(Id(me.ID), me.Username, Core.Connections.Account.KindUser) { Aliases = PlexNames(me) }];
        }

        var users = await _client.GetAsync(null, "/api/v3/User", "api/v3/User", ShokoJson.Default.ListShokoUserInfo, cancellationToken);
        var owner = users.Where(u => u.IsAdmin).OrderBy(u => u.ID).FirstOrDefault() ?? me;
        var accounts = new List<ProviderAccount>();
        foreach (var user in users.OrderBy(u => u.ID))
        {
            var kind = user.ID == owner.ID ? Core.Connections.Account.KindOwner : Core.Connections.Account.KindUser;
            if (user.ID == me.ID)
            {
                accounts.Add(new ProviderAccount(Id(user.ID), user.Username, kind) { Aliases = PlexNames(user) });
                continue;
            }

            try
            {
                await _client.KeyAsync(user.Username, cancellationToken);
                accounts.Add(new ProviderAccount(Id(user.ID), user.Username, kind) { Aliases = PlexNames(user) });
            }
            catch (ProviderException ex) when (ex.IsAuthFailure)
            {
                accounts.Add(new ProviderAccount(Id(user.ID), user.Username, kind, CanAct: false, Reason: $"Shoko user '{user.Username}' has a password; add it to the connection's 'userPasswords' (name=password)") { Aliases = PlexNames(user) });
            }
        }

        return accounts;
    }

    /// <summary>Every episode with a file, series by series; with <see cref="WatchStateQuery.ChangedSince"/> only those watched since then. Shoko has no libraries: a library filter is not applied here.</summary>
    public async IAsyncEnumerable<SourceItemState> ReadAsync(ProviderAccount account, WatchStateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var user = await UserOfAsync(account, cancellationToken);
        IReadOnlyCollection<int> seriesIds;
        if (query.ChangedSince is { } since)
        {
            // The bulk listing of the user's watched episodes names the series that changed; each is then read whole.
            var changed = new HashSet<int>();
            for (var page = 1; ; page++)
            {
                var watched = await _client.GetAsync(user, "/api/v3/Episode", $"api/v3/Episode?pageSize=1000&page={Id(page)}&includeWatched=only", ShokoJson.Default.ShokoPageShokoEpisode, cancellationToken);
                foreach (var e in watched.List.Where(e => e.Watched >= since))
                {
                    changed.Add(e.IDs.ParentSeries);
                }

                if (watched.List.Count == 0 || page * 1000 >= watched.Total)
                {
                    break;
                }
            }

            seriesIds = changed;
        }
        else
        {
            var all = new List<int>();
            for (var page = 1; ; page++)
            {
                var listed = await _client.GetAsync(user, "/api/v3/Series", $"api/v3/Series?pageSize={Id(_pageSize)}&page={Id(page)}", ShokoJson.Default.ShokoPageShokoSeries, cancellationToken);
                all.AddRange(listed.List.Select(s => s.IDs.ID));
                if (listed.List.Count == 0 || page * _pageSize >= listed.Total)
                {
                    break;
                }
            }

            seriesIds = all;
        }

        foreach (var seriesId in seriesIds)
        {
            foreach (var item in await ReadSeriesAsync(user, seriesId, cancellationToken))
            {
                if (query.ChangedSince is not { } from || item.State.LastWatchedAt >= from)
                {
                    yield return item;
                }
            }
        }
    }

    public async Task<SourceItemState?> ReadItemAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken)
    {
        var found = await ReadItemsAsync(account, [localKey], cancellationToken);
        return found.GetValueOrDefault(localKey);
    }

    /// <summary>Reads the wanted items a series at a time (the series and its episodes: two requests per series).</summary>
    public async Task<IReadOnlyDictionary<string, SourceItemState>> ReadItemsAsync(ProviderAccount account, IReadOnlyCollection<string> localKeys, CancellationToken cancellationToken)
    {
        var user = await UserOfAsync(account, cancellationToken);
        var wanted = localKeys.ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, SourceItemState>(StringComparer.Ordinal);
        foreach (var seriesId in localKeys.Select(k => ParseKey(k)?.Series).OfType<int>().Distinct())
        {
            try
            {
                foreach (var item in await ReadSeriesAsync(user, seriesId, cancellationToken))
                {
                    if (wanted.Contains(item.Item.LocalKey))
                    {
                        found[item.Item.LocalKey] = item;
                    }
                }
            }
            catch (ProviderException ex) when (ex.Status == HttpStatusCode.NotFound)
            {
                // The series is gone: its items are left out.
            }
        }

        return found;
    }

    public Task MarkWatchedAsync(ProviderAccount account, string localKey, DateTimeOffset? watchedAt, CancellationToken cancellationToken) =>
        WriteAsync(account, localKey, watchedAt ?? _time.GetUtcNow(), cancellationToken);

    public Task MarkUnwatchedAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken) =>
        WriteAsync(account, localKey, null, cancellationToken);

    /// <summary>Sets the resume point on the episode's file, counted from the episode's start within that file.</summary>
    public async Task SetProgressAsync(ProviderAccount account, string localKey, long positionMs, long durationMs, CancellationToken cancellationToken)
    {
        var user = await UserOfAsync(account, cancellationToken);
        var (seriesId, episodeId) = ParseKey(localKey) ?? throw BadKey(localKey);
        var episodes = await EpisodesAsync(user, seriesId, cancellationToken);
        var episode = episodes.FirstOrDefault(e => e.IDs.ID == episodeId) ?? throw Missing(episodeId);
        var file = episode.Files?.FirstOrDefault() ?? throw NoFile(episodeId);
        var offset = OffsetInFile(episodes, file.ID, episodeId);
        var ticks = (offset + Math.Max(0, positionMs)) * TimeSpan.TicksPerMillisecond;
        await _client.GetAsync(user, "/api/v3/File/{fileID}/Scrobble", $"api/v3/File/{Id(file.ID)}/Scrobble?event=pause&resumePosition={ticks.ToString(CultureInfo.InvariantCulture)}", ShokoJson.Default.String, cancellationToken);
    }

    private static string Id(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static (int Series, int Episode)? ParseKey(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && int.TryParse(key.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var series)
            && int.TryParse(key.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var episode)
            ? (series, episode)
            : null;
    }

    private static TimeSpan? Duration(string? value) =>
        value is not null && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) ? span : null;

    private static string Prefix(string? type) => type switch
    {
        "Episode" => string.Empty,
        "Special" => "S",
        "Credits" => "C",
        "Trailer" => "T",
        "Parody" => "P",
        "Other" => "O",
        _ => "U",
    };

    /// <summary>The season the legacy Shoko agent gives a type when the series has no TMDB link (SHOKO-API.md section 9).</summary>
    private static int? TypeSeason(string? type) => type switch
    {
        "Episode" => 1,
        "Special" => 0,
        "Credits" => -1,
        "Trailer" => -2,
        "Parody" => -3,
        "Other" => -4,
        _ => null,
    };

    /// <summary>Where an episode starts in a file holding several (the earlier episodes' lengths), in milliseconds.</summary>
    private static long OffsetInFile(IReadOnlyList<ShokoEpisode> episodes, int fileId, int episodeId)
    {
        var offset = 0L;
        foreach (var e in episodes.Where(e => e.Files?.Any(f => f.ID == fileId) == true))
        {
            if (e.IDs.ID == episodeId)
            {
                return offset;
            }

            offset += (long)(Duration(e.Duration)?.TotalMilliseconds ?? 0);
        }

        return 0;
    }

    private ProviderException Missing(int episodeId) =>
        new("shoko", HttpStatusCode.NotFound, $"{_client.Server}: episode {Id(episodeId)} does not exist (any more)") { Endpoint = "GET /api/v3/Series/{seriesID}/Episode" };

    private ProviderException NoFile(int episodeId) =>
        new("shoko", null, $"{_client.Server}: episode {Id(episodeId)} has no file, and Shoko keeps watched state and resume points on files") { Endpoint = "GET /api/v3/Series/{seriesID}/Episode" };

    private ProviderException BadKey(string key) =>
        new("shoko", null, $"{_client.Server}: '{key}' is not a Shoko item key ({{seriesID}}:{{episodeID}})");

    private Task<ShokoUserInfo> CurrentUserAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_me is null || _me.IsFaulted || _me.IsCanceled)
            {
                _me = _client.GetAsync(null, "/api/v3/User/Current", "api/v3/User/Current", ShokoJson.Default.ShokoUserInfo, cancellationToken);
            }

            return _me;
        }
    }

    /// <summary>The user name to act as: null for the connection's own user, else the account's name.</summary>
    private async Task<string?> UserOfAsync(ProviderAccount account, CancellationToken cancellationToken)
    {
        var me = await CurrentUserAsync(cancellationToken);
        return account.ExternalId == Id(me.ID) ? null : account.Name;
    }

    /// <summary>Whether the server is the 6.0 line (dated writes on episodes), read once from <c>Init/Version</c>; 5.x when it cannot tell.</summary>
    private Task<bool> IsV6Async(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_isV6 is null || _isV6.IsFaulted || _isV6.IsCanceled)
            {
                _isV6 = DetectAsync(cancellationToken);
            }

            return _isV6;
        }
    }

    private async Task<bool> DetectAsync(CancellationToken cancellationToken)
    {
        if (_serverLine is { } fixedLine)
        {
            return fixedLine >= 6;
        }

        var body = await _client.GetPublicAsync("/api/v3/Init/Version", "api/v3/Init/Version", ShokoJson.Default.JsonElement, cancellationToken);
        return (ServerLine(body) ?? 5) >= 6;
    }

    /// <summary>
    /// The major version of the server in an <c>Init/Version</c> body, of either shape seen in the wild: the component
    /// set (<c>{"Server": {"Version": "5.1.0"}}</c>) or a list of named components (<c>[{"Name": "Server", "Version": …}]</c>);
    /// null when the body names none (the caller then assumes 5.x, and the <c>serverVersion</c> setting can fix it).
    /// </summary>
    public static int? ServerLine(JsonElement body)
    {
        string? text = null;
        if (body.ValueKind == JsonValueKind.Object && Property(body, "Server") is { ValueKind: JsonValueKind.Object } server)
        {
            text = Property(server, "Version") is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
        }
        else if (body.ValueKind == JsonValueKind.Array)
        {
            text = body.EnumerateArray()
                .Where(c => c.ValueKind == JsonValueKind.Object && Property(c, "Name") is { ValueKind: JsonValueKind.String } n && n.GetString()!.Equals("Server", StringComparison.OrdinalIgnoreCase))
                .Select(c => Property(c, "Version") is { ValueKind: JsonValueKind.String } v ? v.GetString() : null)
                .FirstOrDefault();
        }

        var major = (text ?? string.Empty).Trim().TrimStart('v', 'V').Split('.', '-')[0];
        return int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

        static JsonElement? Property(JsonElement element, string name) =>
            element.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined } found ? found.Value : null;
    }

    private async Task<List<ShokoEpisode>> EpisodesAsync(string? user, int seriesId, CancellationToken cancellationToken) =>
        (await _client.GetAsync(user, "/api/v3/Series/{seriesID}/Episode", $"api/v3/Series/{Id(seriesId)}/Episode?{EpisodeQuery}", ShokoJson.Default.ShokoPageShokoEpisode, cancellationToken)).List;

    private async Task<List<SourceItemState>> ReadSeriesAsync(string? user, int seriesId, CancellationToken cancellationToken)
    {
        var series = await _client.GetAsync(user, "/api/v3/Series/{seriesID}", $"api/v3/Series/{Id(seriesId)}", ShokoJson.Default.ShokoSeries, cancellationToken);
        var episodes = await EpisodesAsync(user, seriesId, cancellationToken);
        var v6 = await IsV6Async(cancellationToken);
        return Map(series, episodes, v6);
    }

    private List<SourceItemState> Map(ShokoSeries series, IReadOnlyList<ShokoEpisode> episodes, bool v6)
    {
        var tmdbShows = series.IDs.TMDB?.Show ?? [];
        var linked = tmdbShows.Count > 0;
        var showIds = new List<ExternalId> { new(ExternalId.Shoko, "series/" + Id(series.IDs.ID)) };
        showIds.AddRange(tmdbShows.Distinct().Select(t => new ExternalId(ExternalId.Tmdb, Id(t))));
        showIds.AddRange(series.IDs.TvDB.Distinct().Select(t => new ExternalId(ExternalId.Tvdb, Id(t))));

        // A TMDB/TvDB episode names one Shoko episode only when the link is one to one; otherwise it would join two.
        var withFiles = episodes.Where(e => e.Files is { Count: > 0 } || e.Size > 0).ToList();
        var tmdbUse = withFiles.SelectMany(e => (e.IDs.TMDB?.Episode ?? []).Distinct()).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        var tvdbUse = withFiles.SelectMany(e => e.IDs.TvDB.Distinct()).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        var fileUse = withFiles.SelectMany(e => (e.Files ?? []).Select(f => f.ID).Distinct()).GroupBy(f => f).ToDictionary(g => g.Key, g => g.Count());
        var items = new List<SourceItemState>();
        foreach (var episode in withFiles)
        {
            var ids = new List<ExternalId> { new(ExternalId.Shoko, "episode/" + Id(episode.IDs.ID)) };
            var animeId = episode.AniDB?.AnimeID is > 0 and var a ? a : series.IDs.AniDB;
            if (episode.AniDB is { EpisodeNumber: > 0 } anidb && animeId > 0 && Prefix(anidb.Type) != "U")
            {
                ids.Add(new ExternalId(ExternalId.AniDbEpisode, $"{Id(animeId)}/{Prefix(anidb.Type)}{Id(anidb.EpisodeNumber)}"));
            }

            if (episode.IDs.TMDB?.Episode is [var tmdb] && tmdbUse.GetValueOrDefault(tmdb) == 1)
            {
                ids.Add(new ExternalId(ExternalId.Tmdb, Id(tmdb)));
            }

            if (episode.IDs.TvDB is [var tvdb] && tvdbUse.GetValueOrDefault(tvdb) == 1)
            {
                ids.Add(new ExternalId(ExternalId.Tvdb, Id(tvdb)));
            }

            var shared = (episode.Files ?? []).FirstOrDefault(f => fileUse.GetValueOrDefault(f.ID) > 1);
            var duration = Duration(episode.Duration);
            var item = new SourceItem
            {
                LocalKey = $"{Id(series.IDs.ID)}:{Id(episode.IDs.ID)}",
                Kind = MediaKind.Episode,
                Title = episode.Name,
                RawId = $"shoko://episode/{Id(episode.IDs.ID)}",
                Ids = ids,
                ShowLocalKey = Id(series.IDs.ID),
                ShowTitle = series.Name,
                ShowIds = showIds,

                // Without a TMDB link the legacy Shoko agent numbers by type; with one it follows TMDB, which the episode listing does not give.
                Season = linked ? null : TypeSeason(episode.AniDB?.Type),
                Episode = linked ? null : episode.AniDB?.EpisodeNumber,
                PartKey = shared is null ? null : "file/" + Id(shared.ID),
                WatchedWithPart = shared is not null && !v6,
                DurationMs = duration is { } d ? (long)d.TotalMilliseconds : null,
                Library = "Shoko",
            };
            items.Add(new SourceItemState(item, StateOf(episode, episodes)));
        }

        return items;
    }

    private static WatchState StateOf(ShokoEpisode episode, IReadOnlyList<ShokoEpisode> episodes)
    {
        long? progress = null;
        if (Duration(episode.ResumePosition) is { TotalMilliseconds: > 0 } resume && episode.Files is { Count: > 0 } files)
        {
            // The point is the file's: it belongs to the episode it falls in, counted from that episode's start.
            var offset = OffsetInFile(episodes, files[0].ID, episode.IDs.ID);
            var length = (long)(Duration(episode.Duration)?.TotalMilliseconds ?? long.MaxValue);
            var position = (long)resume.TotalMilliseconds - offset;
            progress = position > 0 && position < length ? position : null;
        }

        return new WatchState
        {
            PlayCount = episode.Watched is null ? 0 : Math.Max(1, episode.WatchCount),
            LastWatchedAt = episode.Watched,
            ProgressMs = progress,
            ProgressAt = progress is null ? null : episode.Files?.Select(f => f.Viewed).Max(),
        };
    }

    /// <summary>
    /// Sets watched (<paramref name="watchedAt"/>) or unwatched (null) with the date. 5.x: each file of the episode, one
    /// writer per file, skipped when the file already says so; 6.0: the episode record (read, changed, written whole).
    /// </summary>
    private async Task WriteAsync(ProviderAccount account, string localKey, DateTimeOffset? watchedAt, CancellationToken cancellationToken)
    {
        var user = await UserOfAsync(account, cancellationToken);
        var (seriesId, episodeId) = ParseKey(localKey) ?? throw BadKey(localKey);
        var now = _time.GetUtcNow();
        if (await IsV6Async(cancellationToken))
        {
            var path = $"api/v3/Episode/{Id(episodeId)}/UserData";
            var current = await _client.GetAsync(user, "/api/v3/Episode/{episodeID}/UserData", path, ShokoJson.Default.ShokoEpisodeUserData, cancellationToken);
            if ((current.LastPlayedAt is null) == (watchedAt is null))
            {
                return;
            }

            var next = current with
            {
                PlaybackCount = watchedAt is null ? current.PlaybackCount : current.PlaybackCount + 1,
                LastPlayedAt = watchedAt,
                LastUpdatedAt = now,
            };
            await _client.PutAsync(user, "/api/v3/Episode/{episodeID}/UserData", path, next, ShokoJson.Default.ShokoEpisodeUserData, ShokoJson.Default.ShokoEpisodeUserData, cancellationToken);
            return;
        }

        var episodes = await EpisodesAsync(user, seriesId, cancellationToken);
        var episode = episodes.FirstOrDefault(e => e.IDs.ID == episodeId) ?? throw Missing(episodeId);
        if (episode.Files is not { Count: > 0 } files)
        {
            throw NoFile(episodeId);
        }

        foreach (var file in files)
        {
            var gate = _fileGates.GetOrAdd((user ?? string.Empty, file.ID), _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                var statsPath = $"api/v3/File/{Id(file.ID)}/UserStats";
                ShokoFileStats? stats = null;
                try
                {
                    stats = await _client.GetAsync(user, "/api/v3/File/{fileID}/UserStats", statsPath, ShokoJson.Default.ShokoFileStats, cancellationToken);
                }
                catch (ProviderException ex) when (ex.Status == HttpStatusCode.NotFound)
                {
                    // The user never touched the file.
                }

                if ((stats?.LastWatchedAt is null) == (watchedAt is null))
                {
                    continue;
                }

                var body = new ShokoFileStats
                {
                    ResumePosition = "00:00:00",
                    WatchedCount = (stats?.WatchedCount ?? 0) + (watchedAt is null ? 0 : 1),
                    LastWatchedAt = watchedAt,
                    LastUpdatedAt = now,
                };
                await _client.PutAsync(user, "/api/v3/File/{fileID}/UserStats", statsPath, body, ShokoJson.Default.ShokoFileStats, ShokoJson.Default.ShokoFileStats, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <summary>The Plex account titles Shoko keeps for a user: comma-separated, trimmed, compared without case.</summary>
    private static IReadOnlyList<string> PlexNames(ShokoUserInfo user) =>
        (user.PlexUsernames ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
