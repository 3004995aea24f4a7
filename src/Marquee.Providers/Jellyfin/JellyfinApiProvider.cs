using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Marquee.Providers.Jellyfin.Models;

namespace Marquee.Providers.Jellyfin;

/// <summary>
/// Jellyfin or Emby, through their shared API, as a watch-state source and sink for every user of a server: what both
/// offer. <see cref="JellyfinProvider"/> adds resume points and ratings; <see cref="EmbyProvider"/> has no API for them,
/// and <see cref="SetProgressAsync"/> and <see cref="SetRatingAsync"/> refuse on Emby without a request. Maps domain ↔ wire; HTTP details live
/// in <see cref="JellyfinClient"/>. A multi-episode file (IndexNumber..IndexNumberEnd) is listed once per episode, each
/// keyed <c>{itemId}#{episode}</c> with the item id as <see cref="SourceItem.PartKey"/>; writes go to the one item.
/// Libraries are the user's views (CollectionFolder items); a library filter reads each wanted view by <c>ParentId</c>.
/// </summary>
public abstract class JellyfinApiProvider : IProvider, IAccountDirectory, ILibraryDirectory, IWatchStateSource, IWatchStateSink
{
    private const string ItemTypes = "Movie,Episode";
    private const string Fields = "ProviderIds,Path";

    private readonly JellyfinClient _client;
    private readonly int _pageSize;
    private readonly TimeSpan _testTimeout;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string User, string Item, bool Watched), Lazy<Task>> _partWrites = new();

    protected JellyfinApiProvider(JellyfinClient client, int pageSize, TimeSpan testTimeout, TimeProvider time)
    {
        _client = client;
        _pageSize = Math.Clamp(pageSize, 1, 1000);
        _testTimeout = testTimeout;
        _time = time;
    }

    private string Product => _client.IsEmby ? "Emby" : "Jellyfin";

    /// <summary>Logs in when needed and reads the system info, once each, within the test timeout (10 s), naming one reason when it fails.</summary>
    public async Task<IReadOnlyList<FieldProblem>> TestAsync(CancellationToken cancellationToken)
    {
        try
        {
            var info = await ProviderHttpClient.WithinAsync(_testTimeout, _time, () => _client.GetAsync("/System/Info", "System/Info", JellyfinJson.Default.JellyfinSystemInfo, cancellationToken));
            if (string.IsNullOrEmpty(info.Id) && string.IsNullOrEmpty(info.Version))
            {
                throw _client.Unexpected("/System/Info", $"the answer is JSON but not {Product}'s system info (no Id, no Version)");
            }

            return [];
        }
        catch (ProviderException ex) when (ex.Status == HttpStatusCode.Forbidden && !_client.UsesApiKey)
        {
            // A non-administrator may not read /System/Info, but a login that got this far works.
            return [];
        }
        catch (ProviderException ex)
        {
            return ProviderHttp.TestProblems(ex, "url", _client.UsesApiKey ? "apiKey" : "password", Product);
        }
    }

    public async Task<IReadOnlyList<ProviderAccount>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        await _client.TokenAsync(cancellationToken);
        if (_client.LoggedInUser is { Policy.IsAdministrator: false } me)
        {
            return [new ProviderAccount(me.Id, me.Name, Core.Connections.Account.KindUser)];
        }

        // The first administrator is the server's owner, so owner-to-owner mapping works across kinds.
        var users = (await _client.GetAsync("/Users", "Users", JellyfinJson.Default.ListJellyfinUser, cancellationToken)).Where(u => u.Policy?.IsDisabled != true).ToList();
        var owner = users.FirstOrDefault(u => u.Policy?.IsAdministrator == true);
        return [.. users.Select(u => new ProviderAccount(u.Id, u.Name, u == owner ? Core.Connections.Account.KindOwner : Core.Connections.Account.KindUser))];
    }

    /// <summary>The user's views (<c>GET /UserViews</c>; Emby <c>GET /Users/{userId}/Views</c>) as libraries keyed by view id.</summary>
    public async Task<IReadOnlyList<ProviderLibrary>> ListLibrariesAsync(ProviderAccount account, CancellationToken cancellationToken)
    {
        var user = Uri.EscapeDataString(account.ExternalId);
        var views = _client.IsEmby
            ? await _client.GetAsync("/Users/{userId}/Views", $"Users/{user}/Views", JellyfinJson.Default.JellyfinItemsResponse, cancellationToken)
            : await _client.GetAsync("/UserViews", $"UserViews?userId={user}", JellyfinJson.Default.JellyfinItemsResponse, cancellationToken);
        return [.. views.Items.Select(v => new ProviderLibrary(v.Id, v.Name ?? v.Id, v.CollectionType switch { "movies" => "movie", "tvshows" => "show", _ => v.CollectionType ?? string.Empty }))];
    }

    public async IAsyncEnumerable<SourceItemState> ReadAsync(ProviderAccount account, WatchStateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // No library filter reads the whole server in one listing; a filter reads each wanted view (by name or id) on its own.
        IReadOnlyList<string?> parents = [null];
        if (query.Libraries.Count > 0)
        {
            var libraries = await ListLibrariesAsync(account, cancellationToken);
            parents = [.. libraries.Where(l => query.Libraries.Any(w => w.Equals(l.Key, StringComparison.OrdinalIgnoreCase) || w.Equals(l.Title, StringComparison.OrdinalIgnoreCase))).Select(l => l.Key)];
        }

        string? date = query.ChangedSince is { } since ? Uri.EscapeDataString(since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)) : null;
        foreach (var parent in parents)
        {
            var scope = parent is null ? null : "ParentId=" + Uri.EscapeDataString(parent);
            var series = new Dictionary<string, JellyfinItem>(StringComparer.OrdinalIgnoreCase);
            await foreach (var show in PagesAsync(account, "Series", scope, cancellationToken))
            {
                series[show.Id] = show;
            }

            // Changed items (MinDateLastSaved) and changed user data (MinDateLastSavedForUser) are separate filters on the server.
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string?[] filters = date is null ? [scope] : [Join(scope, $"MinDateLastSaved={date}"), Join(scope, $"MinDateLastSavedForUser={date}")];
            foreach (var filter in filters)
            {
                await foreach (var item in PagesAsync(account, ItemTypes, filter, cancellationToken))
                {
                    if (seen.Add(item.Id))
                    {
                        foreach (var state in Map(item, series))
                        {
                            yield return state;
                        }
                    }
                }
            }
        }
    }

    public async Task<SourceItemState?> ReadItemAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken)
    {
        var (itemId, episode) = ParseKey(localKey);
        var page = await ItemsAsync(account, $"Recursive=true&Ids={Uri.EscapeDataString(itemId)}&Fields={Fields}", cancellationToken);
        if (page.Items.FirstOrDefault() is not { } item)
        {
            return null;
        }

        var series = new Dictionary<string, JellyfinItem>(StringComparer.OrdinalIgnoreCase);
        if (item.SeriesId is { Length: > 0 } seriesId)
        {
            var shows = await ItemsAsync(account, $"Recursive=true&Ids={Uri.EscapeDataString(seriesId)}&Fields={Fields}", cancellationToken);
            foreach (var show in shows.Items)
            {
                series[show.Id] = show;
            }
        }

        return Map(item, series).FirstOrDefault(s => episode is null || s.Item.Episode == episode);
    }

    public Task MarkWatchedAsync(ProviderAccount account, string localKey, DateTimeOffset? watchedAt, CancellationToken cancellationToken) =>
        WritePlayedAsync(account, localKey, true, watchedAt, cancellationToken);

    public Task MarkUnwatchedAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken) =>
        WritePlayedAsync(account, localKey, false, null, cancellationToken);

    public async Task SetProgressAsync(ProviderAccount account, string localKey, long positionMs, long durationMs, CancellationToken cancellationToken)
    {
        // An episode of a multi-episode file starts part way into the file (the inverse of PartState).
        var offset = 0L;
        var (itemId, part) = ParseKey(localKey);
        if (part is { } episode && !_client.IsEmby)
        {
            var page = await ItemsAsync(account, $"Recursive=true&Ids={Uri.EscapeDataString(itemId)}", cancellationToken);
            if (page.Items.FirstOrDefault() is { IndexNumber: { } first, IndexNumberEnd: { } last, RunTimeTicks: { } ticks } && last > first)
            {
                offset = ticks / TimeSpan.TicksPerMillisecond / (last - first + 1) * Math.Clamp(episode - first, 0, last - first);
            }
        }

        await UpdateUserDataAsync(account, localKey, new JellyfinUserDataUpdate { PlaybackPositionTicks = (offset + Math.Max(0, positionMs)) * TimeSpan.TicksPerMillisecond }, "resume points", cancellationToken);
    }

    public Task SetRatingAsync(ProviderAccount account, string localKey, double? rating, DateTimeOffset? ratedAt, CancellationToken cancellationToken)
    {
        if (rating is not { } value)
        {
            // UpdateUserItemDataDto leaves null fields unchanged, so the API has no way to clear a rating.
            throw new ProviderException(_client.Kind, null, $"{Server}: a rating cannot be cleared through the API.") { Endpoint = "POST /UserItems/{itemId}/UserData" };
        }

        return UpdateUserDataAsync(account, localKey, new JellyfinUserDataUpdate { Rating = Math.Clamp(value, 0, 10) }, "ratings", cancellationToken);
    }

    /// <summary>Turns ProviderIds ({"Imdb":"tt…","Tmdb":"603","Tvdb":…,"AniDB":…,"TvMaze":…}) into canonical ids; keys are matched without case.</summary>
    public static IReadOnlyList<ExternalId> IdsOf(IReadOnlyDictionary<string, string?>? providerIds)
    {
        if (providerIds is null)
        {
            return [];
        }

        var ids = new List<ExternalId>();
        foreach (var (key, raw) in providerIds)
        {
            var value = raw?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            var scheme = key.ToUpperInvariant() switch
            {
                "IMDB" when value.StartsWith("tt", StringComparison.OrdinalIgnoreCase) => ExternalId.Imdb,
                "TMDB" when IsNumber(value) => ExternalId.Tmdb,
                "TVDB" when IsNumber(value) => ExternalId.Tvdb,
                "ANIDB" when IsNumber(value) => ExternalId.AniDb,
                "TVMAZE" when IsNumber(value) => ExternalId.TvMaze,
                _ => null,
            };
            if (scheme is not null)
            {
                ids.Add(new ExternalId(scheme, scheme == ExternalId.Imdb ? value.ToLowerInvariant() : value));
            }
        }

        return [.. ids.OrderBy(i => i.Scheme, StringComparer.Ordinal)];
    }

    private string Server => $"{(_client.IsEmby ? "Emby" : "Jellyfin")} server '{_client.ConnectionName}'";

    /// <summary>
    /// Writes played or unplayed. The episodes of a multi-episode file all write to the one item, possibly at once: the
    /// first write for an item is shared by the others, since a second "played" would count a second play. The item is
    /// not read again first: the plan writes an episode of the file only when the run's read showed the item otherwise
    /// and every episode of it agrees.
    /// </summary>
    private async Task WritePlayedAsync(ProviderAccount account, string localKey, bool watched, DateTimeOffset? watchedAt, CancellationToken cancellationToken)
    {
        var (itemId, part) = ParseKey(localKey);
        if (part is null)
        {
            await SendPlayedAsync(account, itemId, watched, watchedAt, cancellationToken);
            return;
        }

        _partWrites.TryRemove((account.ExternalId, itemId, !watched), out _);
        var write = _partWrites.GetOrAdd((account.ExternalId, itemId, watched), _ => new Lazy<Task>(() => SendPlayedAsync(account, itemId, watched, watchedAt, cancellationToken)));
        try
        {
            await write.Value;
        }
        catch
        {
            _partWrites.TryRemove((account.ExternalId, itemId, watched), out _);
            throw;
        }
    }

    private async Task SendPlayedAsync(ProviderAccount account, string itemId, bool watched, DateTimeOffset? watchedAt, CancellationToken cancellationToken)
    {
        var user = Uri.EscapeDataString(account.ExternalId);
        var item = Uri.EscapeDataString(itemId);
        var method = watched ? HttpMethod.Post : HttpMethod.Delete;
        if (_client.IsEmby)
        {
            // Emby's DatePlayed is yyyyMMddHHmmss (emby-openapi-stable.json).
            var date = watched && watchedAt is { } at ? "?DatePlayed=" + at.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) : string.Empty;
            await _client.WriteAsync(method, "/Users/{userId}/PlayedItems/{itemId}", $"Users/{user}/PlayedItems/{item}{date}", null, JellyfinJson.Default.JellyfinUserData, cancellationToken);
            return;
        }

        var datePlayed = watched && watchedAt is { } when ? "&datePlayed=" + Uri.EscapeDataString(when.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)) : string.Empty;
        await _client.WriteAsync(method, "/UserPlayedItems/{itemId}", $"UserPlayedItems/{item}?userId={user}{datePlayed}", null, JellyfinJson.Default.JellyfinUserData, cancellationToken);
    }

    private async Task UpdateUserDataAsync(ProviderAccount account, string localKey, JellyfinUserDataUpdate update, string what, CancellationToken cancellationToken)
    {
        if (_client.IsEmby)
        {
            // Emby 4.x describes no user data write (only playback reports, which count a play and date it now).
            throw new ProviderException(_client.Kind, null, $"{Server}: Emby's API cannot set {what}.");
        }

        var (itemId, _) = ParseKey(localKey);
        using var body = JellyfinClient.Json(update, JellyfinJson.Default.JellyfinUserDataUpdate);
        await _client.WriteAsync(HttpMethod.Post, "/UserItems/{itemId}/UserData", $"UserItems/{Uri.EscapeDataString(itemId)}/UserData?userId={Uri.EscapeDataString(account.ExternalId)}", body, JellyfinJson.Default.JellyfinUserData, cancellationToken);
    }

    /// <summary>Pages through a listing by <c>StartIndex</c> and <c>Limit</c>, pages asked for ahead as <see cref="PagedListing"/> says.</summary>
    private IAsyncEnumerable<JellyfinItem> PagesAsync(ProviderAccount account, string types, string? filter, CancellationToken cancellationToken) =>
        PagedListing.ReadAsync(
            (start, ct) => ItemsAsync(
                account,
                $"Recursive=true&IncludeItemTypes={types}&Fields={Fields}&SortBy=SortName&SortOrder=Ascending&StartIndex={start.ToString(CultureInfo.InvariantCulture)}&Limit={_pageSize.ToString(CultureInfo.InvariantCulture)}"
                    + (filter is null ? string.Empty : "&" + filter),
                ct),
            static page => (page.Items, (long?)page.TotalRecordCount),
            _pageSize,
            cancellationToken);

    private Task<JellyfinItemsResponse> ItemsAsync(ProviderAccount account, string query, CancellationToken cancellationToken) =>
        _client.IsEmby
            ? _client.GetAsync("/Users/{userId}/Items", $"Users/{Uri.EscapeDataString(account.ExternalId)}/Items?{query}", JellyfinJson.Default.JellyfinItemsResponse, cancellationToken)
            : _client.GetAsync("/Items", $"Items?userId={Uri.EscapeDataString(account.ExternalId)}&{query}", JellyfinJson.Default.JellyfinItemsResponse, cancellationToken);

    private IEnumerable<SourceItemState> Map(JellyfinItem item, IReadOnlyDictionary<string, JellyfinItem> series)
    {
        var state = StateOf(item.UserData);
        var duration = item.RunTimeTicks is { } ticks ? ticks / TimeSpan.TicksPerMillisecond : (long?)null;
        if (!string.Equals(item.Type, "Episode", StringComparison.OrdinalIgnoreCase))
        {
            yield return new SourceItemState(
                new SourceItem
                {
                    LocalKey = item.Id,
                    Kind = MediaKind.Movie,
                    Title = item.Name,
                    Year = item.ProductionYear,
                    RawId = item.Id,
                    Ids = IdsOf(item.ProviderIds),
                    DurationMs = duration,
                },
                state);
            yield break;
        }

        var show = item.SeriesId is { } id ? series.GetValueOrDefault(id) : null;
        var episode = new SourceItem
        {
            LocalKey = item.Id,
            Kind = MediaKind.Episode,
            Title = item.Name,
            Year = item.ProductionYear,
            RawId = item.Id,
            Ids = IdsOf(item.ProviderIds),
            ShowLocalKey = item.SeriesId,
            ShowTitle = item.SeriesName ?? show?.Name,
            ShowIds = IdsOf(show?.ProviderIds),
            Season = item.ParentIndexNumber,
            Episode = item.IndexNumber,
            DurationMs = duration,
        };
        if (item.IndexNumber is { } first && item.IndexNumberEnd is { } last && last > first)
        {
            // One file, several episodes: each is matched by show ids + numbers; the file's own ids name no single episode.
            var share = duration is { } total ? total / (last - first + 1) : (long?)null;
            for (var e = first; e <= last; e++)
            {
                yield return new SourceItemState(
                    episode with { LocalKey = $"{item.Id}#{e.ToString(CultureInfo.InvariantCulture)}", Ids = [], Episode = e, EpisodeEnd = null, PartKey = item.Id, WatchedWithPart = true, DurationMs = share },
                    PartState(state, e - first, last - first + 1, share));
            }

            yield break;
        }

        yield return new SourceItemState(episode, state);
    }

    /// <summary>
    /// The file has one rating and one position for all its episodes: the rating is the first episode's, the position
    /// belongs to the episode it falls in (counted from that episode's start). Otherwise each would be copied to every
    /// episode elsewhere, and come back as changes to the others.
    /// </summary>
    private static WatchState PartState(WatchState state, int index, int parts, long? share)
    {
        var part = index == 0 ? state : state with { Rating = null, RatedAt = null };
        if (state.ProgressMs is not { } position)
        {
            return part;
        }

        var holder = share is > 0 and var length ? (int)Math.Min(parts - 1, position / length) : 0;
        return index == holder
            ? part with { ProgressMs = position - (holder * (share ?? 0)) }
            : part with { ProgressMs = null, ProgressAt = null };
    }

    private static WatchState StateOf(JellyfinUserData? data)
    {
        if (data is null)
        {
            return WatchState.Empty;
        }

        // PlayCount also grows on a stopped partial playback, so only Played says "watched".
        // A played item can hold a resume point too (a rewatch under way).
        var progress = data.PlaybackPositionTicks > 0 ? data.PlaybackPositionTicks / TimeSpan.TicksPerMillisecond : (long?)null;
        return new WatchState
        {
            PlayCount = data.Played ? Math.Max(1, data.PlayCount) : 0,
            LastWatchedAt = data.Played ? data.LastPlayedDate : null,
            Rating = data.Rating,
            ProgressMs = progress,
            ProgressAt = progress is null ? null : data.LastPlayedDate,
        };
    }

    private static (string ItemId, int? Episode) ParseKey(string localKey)
    {
        var hash = localKey.IndexOf('#', StringComparison.Ordinal);
        return hash < 0
            ? (localKey, null)
            : (localKey[..hash], int.TryParse(localKey[(hash + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var e) ? e : null);
    }

    private static string Join(string? first, string second) => first is null ? second : first + "&" + second;

    private static bool IsNumber(string value) => value.All(char.IsAsciiDigit);
}
