using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Marquee.Providers.Plex.Models;

namespace Marquee.Providers.Plex;

/// <summary>
/// Plex as a watch-state source and sink for every account of a server (owner, Home users, friends), plus labels,
/// sessions, history, trash and the Discover watchlist. Maps domain ↔ wire; HTTP details live in <see cref="PlexClient"/>.
/// </summary>
public sealed partial class PlexProvider :
    IProvider,
    IAccountDirectory,
    IWatchStateSource,
    IWatchStateSink,
    IProgressSink,
    IRatingSink,
    ILibraryDirectory,
    IHistorySource,
    ISessionManager,
    ILabelManager,
    ILibraryMaintenance,
    IWatchlist
{
    private const string Library = "identifier=com.plexapp.plugins.library";
    private const string SectionAll = "/library/sections/{id}/all";
    private const string Metadata = "/library/metadata/{id}";
    private const int ItemsPerRequest = 100;

    private readonly PlexClient _client;
    private readonly PlexSettings _settings;
    private readonly PlexAccounts _accounts;
    private readonly int _pageSize;
    private readonly TimeSpan _testTimeout;
    private readonly TimeProvider _time;

    internal PlexProvider(PlexClient client, PlexSettings settings, PlexAccounts accounts, int pageSize, TimeSpan testTimeout, TimeProvider time)
    {
        _client = client;
        _settings = settings;
        _accounts = accounts;
        _pageSize = Math.Clamp(pageSize, 1, 1000);
        _testTimeout = testTimeout;
        _time = time;
    }

    /// <summary>Gets the owner as an account, for owner-only calls and tests.</summary>
    public static ProviderAccount Owner { get; } = new("owner", "owner", Core.Connections.Account.KindOwner);

    /// <summary>Gets the accounts that lost access while this provider ran, with the reason.</summary>
    public IReadOnlyDictionary<string, string> LostAccess => _accounts.LostAccess;

    /// <summary>One request, one attempt, within the test timeout (10 s): says refused, timed out, TLS, redirect, not a Plex server or unauthorised.</summary>
    public async Task<IReadOnlyList<FieldProblem>> TestAsync(CancellationToken cancellationToken)
    {
        try
        {
            var root = await ProviderHttpClient.WithinAsync(_testTimeout, _time, () => _client.GetJsonAsync(PlexHost.Server, "/", string.Empty, _settings.Token, PlexJson.Default.PlexResponse, cancellationToken));
            if (string.IsNullOrEmpty(root.MediaContainer?.MachineIdentifier))
            {
                throw _client.Unexpected(PlexHost.Server, HttpMethod.Get, "/", "the answer is JSON but not a Plex Media Server's (no MediaContainer.machineIdentifier)");
            }

            return [];
        }
        catch (ProviderException ex)
        {
            return ProviderHttp.TestProblems(ex, "url", "token", "Plex");
        }
    }

    /// <summary>Returns the server's machine identifier (from the settings, or asked once from <c>/identity</c>).</summary>
    internal Task<string> MachineIdAsync(CancellationToken cancellationToken) => _accounts.MachineIdAsync(cancellationToken);

    public Task<IReadOnlyList<ProviderAccount>> ListAccountsAsync(CancellationToken cancellationToken) => _accounts.ListAsync(cancellationToken);

    public string? Incomplete => _accounts.Incomplete;

    public Task<IReadOnlyList<ProviderLibrary>> ListLibrariesAsync(ProviderAccount account, CancellationToken cancellationToken) =>
        _accounts.WithServerTokenAsync(account, token => SectionsAsync(token, cancellationToken), cancellationToken);

    public async IAsyncEnumerable<SourceItemState> ReadAsync(ProviderAccount account, WatchStateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The section list doubles as the access check: a 401 there refreshes the account's token once.
        var token = string.Empty;
        var sections = await _accounts.WithServerTokenAsync(
            account,
            async t =>
            {
                token = t;
                return await SectionsAsync(t, cancellationToken);
            },
            cancellationToken);
        var wanted = sections.Where(s => s.Type is "movie" or "show")
            .Where(s => query.Libraries.Count == 0 || query.Libraries.Any(l => l.Equals(s.Key, StringComparison.Ordinal) || l.Equals(s.Title, StringComparison.OrdinalIgnoreCase)));
        var changed = query.ChangedSince is { } since ? ChangedFilter(since) : string.Empty;
        foreach (var section in wanted)
        {
            if (section.Type == "movie")
            {
                await foreach (var item in PagesAsync(token, section.Key, 1, changed, cancellationToken))
                {
                    yield return Map(item, section, null);
                }

                continue;
            }

            if (changed.Length > 0)
            {
                // Only what changed: the episodes first, then just their shows, many per request (PLEX-API.md 4.4).
                var episodes = new List<PlexListed>();
                await foreach (var episode in PagesAsync(token, section.Key, 4, changed, cancellationToken))
                {
                    episodes.Add(episode);
                }

                var showKeys = episodes.Select(e => e.GrandparentRatingKey).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                var changedShows = await MetadataByKeyAsync(token, showKeys, cancellationToken);
                var changedParts = new Dictionary<string, ShowParts>(StringComparer.Ordinal);
                foreach (var episode in episodes)
                {
                    yield return Map(episode, section, episode.GrandparentRatingKey is { } key ? changedShows.GetValueOrDefault(key) : null, changedParts);
                }

                continue;
            }

            // Shows once per section (paged), so episodes get their show's ids without a read per item.
            var shows = new Dictionary<string, PlexListed>(StringComparer.Ordinal);
            await foreach (var show in PagesAsync(token, section.Key, 2, string.Empty, cancellationToken))
            {
                if (show.RatingKey is not null)
                {
                    shows[show.RatingKey] = show;
                }
            }

            var parts = new Dictionary<string, ShowParts>(StringComparer.Ordinal);
            await foreach (var episode in PagesAsync(token, section.Key, 4, string.Empty, cancellationToken))
            {
                yield return Map(episode, section, episode.GrandparentRatingKey is { } key ? shows.GetValueOrDefault(key) : null, parts);
            }
        }
    }

    public async Task<SourceItemState?> ReadItemAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken)
    {
        return await _accounts.WithServerTokenAsync(
            account,
            async token =>
            {
                var item = await MetadataAsync(token, localKey, cancellationToken);
                if (item is null)
                {
                    return null;
                }

                PlexListed? show = null;
                if (item.Type == "episode" && item.GrandparentRatingKey is { } showKey)
                {
                    show = await MetadataAsync(token, showKey, cancellationToken);
                }

                var section = new ProviderLibrary(item.LibrarySectionID ?? string.Empty, item.LibrarySectionTitle ?? string.Empty, item.Type == "movie" ? "movie" : "show");
                return (SourceItemState?)Map(item, section, show);
            },
            cancellationToken);
    }

    /// <summary>Reads items 100 per request (<c>/library/metadata/1,2,3</c>), then their shows the same way.</summary>
    public async Task<IReadOnlyDictionary<string, SourceItemState>> ReadItemsAsync(ProviderAccount account, IReadOnlyCollection<string> localKeys, CancellationToken cancellationToken)
    {
        return await _accounts.WithServerTokenAsync(
            account,
            async token =>
            {
                var items = await MetadataByKeyAsync(token, [.. localKeys.Distinct(StringComparer.Ordinal)], cancellationToken);
                var showKeys = items.Values.Where(i => i.Type == "episode").Select(i => i.GrandparentRatingKey).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                var shows = await MetadataByKeyAsync(token, showKeys, cancellationToken);
                var found = new Dictionary<string, SourceItemState>(StringComparer.Ordinal);
                foreach (var (key, item) in items)
                {
                    var section = new ProviderLibrary(item.LibrarySectionID ?? string.Empty, item.LibrarySectionTitle ?? string.Empty, item.Type == "movie" ? "movie" : "show");
                    found[key] = Map(item, section, item.GrandparentRatingKey is { } show ? shows.GetValueOrDefault(show) : null);
                }

                return (IReadOnlyDictionary<string, SourceItemState>)found;
            },
            cancellationToken);
    }

    public Task MarkWatchedAsync(ProviderAccount account, string localKey, DateTimeOffset? watchedAt, CancellationToken cancellationToken) =>
        WriteAsync(account, HttpMethod.Put, "/:/scrobble", $":/scrobble?{Library}&key={E(localKey)}", cancellationToken);

    public Task MarkUnwatchedAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken) =>
        WriteAsync(account, HttpMethod.Put, "/:/unscrobble", $":/unscrobble?{Library}&key={E(localKey)}", cancellationToken);

    public Task SetProgressAsync(ProviderAccount account, string localKey, long positionMs, long durationMs, CancellationToken cancellationToken) =>
        WriteAsync(
            account,
            HttpMethod.Post,
            "/:/timeline",
            $":/timeline?ratingKey={E(localKey)}&key={E("/library/metadata/" + localKey)}&{Library}&state=stopped&time={PlexClient.Q(Math.Max(positionMs, 0))}&duration={PlexClient.Q(Math.Max(durationMs, 1))}",
            cancellationToken);

    public async Task SetRatingAsync(ProviderAccount account, string localKey, double? rating, DateTimeOffset? ratedAt, CancellationToken cancellationToken)
    {
        var at = ratedAt is { } when ? $"&ratedAt={PlexClient.Q(when.ToUnixTimeSeconds())}" : string.Empty;
        if (rating is { } value)
        {
            var clamped = Math.Clamp(value, 0, 10).ToString("0.###", CultureInfo.InvariantCulture);
            await WriteAsync(account, HttpMethod.Put, "/:/rate", $":/rate?{Library}&key={E(localKey)}&rating={clamped}{at}", cancellationToken);
            return;
        }

        try
        {
            await WriteAsync(account, HttpMethod.Put, "/:/rate", $":/rate?{Library}&key={E(localKey)}&rating=-1", cancellationToken);
        }
        catch (ProviderException ex) when (ex.Status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
        {
            // Recent servers refuse -1 (PLEX-API.md 5.3); the refused call changed nothing, so 0 is a different request, not a repeat.
            await WriteAsync(account, HttpMethod.Put, "/:/rate", $":/rate?{Library}&key={E(localKey)}&rating=0", cancellationToken);
        }
    }

    public async IAsyncEnumerable<HistoryEntry> ReadHistoryAsync(ProviderAccount account, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Non-owner tokens only see their own rows (PLEX-API.md 7.1); the owner filters to local account 1.
        var token = await _accounts.ServerTokenAsync(account, cancellationToken);
        var filter = new StringBuilder("sort=viewedAt:desc");
        if (account.Kind == Core.Connections.Account.KindOwner)
        {
            filter.Append("&accountID=1");
        }

        if (since is { } from)
        {
            filter.Append("&viewedAt%3E=").Append(PlexClient.Q(from.ToUnixTimeSeconds()));
        }

        await foreach (var row in PagedAsync(PlexHost.Server, "/status/sessions/history/all", "status/sessions/history/all?" + filter, token, cancellationToken))
        {
            yield return new HistoryEntry(
                row.HistoryKey?.Split('/')[^1],
                row.RatingKey,
                row.Title ?? string.Empty,
                row.Type,
                DateTimeOffset.FromUnixTimeSeconds(row.ViewedAt ?? 0),
                row.AccountID,
                row.LibrarySectionID,
                row.GrandparentTitle,
                row.ParentIndex,
                row.Index);
        }
    }

    public async Task<IReadOnlyList<PlaybackSession>> ListSessionsAsync(CancellationToken cancellationToken)
    {
        var response = await _client.GetJsonAsync(PlexHost.Server, "/status/sessions", "status/sessions", _settings.Token, PlexJson.Default.PlexResponse, cancellationToken);
        return (response.MediaContainer?.Metadata ?? [])
            .Select(m => new PlaybackSession(
                m.Session?.Id ?? string.Empty,
                m.SessionKey ?? string.Empty,
                m.RatingKey ?? string.Empty,
                m.GrandparentTitle is { } show ? $"{show} - {m.Title}" : m.Title ?? string.Empty,
                m.User?.Id,
                m.User?.Title,
                m.Player?.Title ?? m.Player?.Product,
                m.Player?.State,
                m.ViewOffset,
                m.Duration)
            {
                DeviceId = m.Player?.MachineIdentifier,
                Platform = m.Player?.Platform,
                Product = m.Player?.Product,
                Remote = m.Session?.Location is { } location ? location == "wan" : m.Player?.Local == false,
                BandwidthKbps = m.Session?.Bandwidth,
                VideoDecision = Decision(m.TranscodeSession?.VideoDecision, m.Media),
                AudioDecision = m.TranscodeSession?.AudioDecision ?? "directplay",
                SourceHeight = Height(m.Media?.FirstOrDefault()),
                LibraryKey = m.LibrarySectionID,
                LibraryTitle = m.LibrarySectionTitle,
            })
            .ToList();
    }

    /// <summary>The video decision: the transcode session's, else the part's (<c>directplay</c>, <c>copy</c>, <c>transcode</c>).</summary>
    private static string Decision(string? transcode, List<PlexMedia>? media) =>
        transcode ?? media?.FirstOrDefault()?.Part?.FirstOrDefault()?.Decision switch
        {
            "transcode" => "transcode",
            "copy" => "copy",
            _ => "directplay",
        };

    /// <summary>The source's height: <c>videoResolution</c> (<c>4k</c>, <c>1080</c>, <c>sd</c>…) or the media's height.</summary>
    private static int? Height(PlexMedia? media) => media?.VideoResolution?.ToLowerInvariant() switch
    {
        "4k" => 2160,
        "sd" => 480,
        { } text when int.TryParse(text.TrimEnd('p'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var lines) => lines,
        _ => media?.Height,
    };

    public async Task<int> CountTrashAsync(string libraryKey, CancellationToken cancellationToken)
    {
        // Items whose files are gone carry deletedAt and match trash=1; the leaves are what emptyTrash deletes.
        var section = (await SectionsAsync(_settings.Token, cancellationToken)).FirstOrDefault(s => s.Key == libraryKey)
            ?? throw new Core.Validation.NotFoundException("library", libraryKey);
        var type = section.Type switch
        {
            "show" => 4,
            "artist" => 10,
            "photo" => 13,
            _ => 1,
        };
        var response = await _client.GetJsonAsync(PlexHost.Server, SectionAll, $"library/sections/{E(libraryKey)}/all?type={type}&trash=1&X-Plex-Container-Start=0&X-Plex-Container-Size=0", _settings.Token, PlexJson.Default.PlexResponse, cancellationToken);
        return (int)(response.MediaContainer?.TotalSize ?? response.MediaContainer?.Size ?? 0);
    }

    public Task TerminateSessionAsync(string sessionId, string message, CancellationToken cancellationToken) =>
        _client.WriteAsync(PlexHost.Server, HttpMethod.Post, "/status/sessions/terminate", $"status/sessions/terminate?sessionId={E(sessionId)}&reason={E(message)}", _settings.Token, cancellationToken);

    public async Task<IReadOnlyList<string>> GetLabelsAsync(string localKey, CancellationToken cancellationToken)
    {
        var item = await MetadataAsync(_settings.Token, localKey, cancellationToken) ?? throw NotFound(localKey);
        return Labels(item.Label);
    }

    public async Task AddLabelsAsync(string localKey, IReadOnlyCollection<string> labels, bool lockField, CancellationToken cancellationToken)
    {
        // Setting labels replaces the whole list (PLEX-API.md 5.6): read it fresh and send existing + new.
        var item = await MetadataAsync(_settings.Token, localKey, cancellationToken) ?? throw NotFound(localKey);
        var all = Labels(item.Label).Concat(labels).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var query = new StringBuilder();
        for (var i = 0; i < all.Count; i++)
        {
            query.Append(CultureInfo.InvariantCulture, $"&label%5B{i}%5D.tag.tag={E(all[i])}");
        }

        if (lockField)
        {
            query.Append("&label.locked=1");
        }

        await EditAsync(item, localKey, query.ToString(), cancellationToken);
    }

    public async Task RemoveLabelsAsync(string localKey, IReadOnlyCollection<string> labels, CancellationToken cancellationToken)
    {
        var item = await MetadataAsync(_settings.Token, localKey, cancellationToken) ?? throw NotFound(localKey);
        var list = string.Join(',', labels.Select(E));
        await EditAsync(item, localKey, $"&label%5B%5D.tag.tag-={list}", cancellationToken);
    }

    public Task EmptyTrashAsync(string libraryKey, CancellationToken cancellationToken) =>
        _client.WriteAsync(PlexHost.Server, HttpMethod.Put, "/library/sections/{id}/emptyTrash", $"library/sections/{E(libraryKey)}/emptyTrash", _settings.Token, cancellationToken);

    public async Task<IReadOnlyList<WatchlistEntry>> ReadWatchlistAsync(ProviderAccount account, CancellationToken cancellationToken)
    {
        var token = await _accounts.AccountTokenAsync(account, cancellationToken);
        var result = new List<WatchlistEntry>();
        await foreach (var item in PagedAsync(PlexHost.Discover, "/library/sections/watchlist/{filter}", "library/sections/watchlist/all?includeGuids=1&sort=watchlistedAt:desc", token, cancellationToken))
        {
            var ids = PlexGuidParser.ForItem(item.PrimaryGuid, item.Guids).Ids;
            result.Add(new WatchlistEntry(item.RatingKey ?? string.Empty, item.Title ?? string.Empty, item.Type, item.Year, ids, item.AddedAt is { } a ? DateTimeOffset.FromUnixTimeSeconds(a) : null));
        }

        return result;
    }

    public async Task AddToWatchlistAsync(ProviderAccount account, string key, CancellationToken cancellationToken)
    {
        var token = await _accounts.AccountTokenAsync(account, cancellationToken);
        await _client.WriteAsync(PlexHost.Discover, HttpMethod.Put, "/actions/addToWatchlist", $"actions/addToWatchlist?ratingKey={E(OnlineKey(key))}", token, cancellationToken);
    }

    public async Task RemoveFromWatchlistAsync(ProviderAccount account, string key, CancellationToken cancellationToken)
    {
        var token = await _accounts.AccountTokenAsync(account, cancellationToken);
        await _client.WriteAsync(PlexHost.Discover, HttpMethod.Put, "/actions/removeFromWatchlist", $"actions/removeFromWatchlist?ratingKey={E(OnlineKey(key))}", token, cancellationToken);
    }

    /// <summary>
    /// Maps one listed item. <paramref name="shared"/>, when given, holds each show's key, title and ids as the last of
    /// its episodes made them, and later episodes of the show that bring the same show guid and title and the same show
    /// ids of their own (none, for a modern agent) take the same objects instead of copies of their own (a library's
    /// episodes are most of a listing).
    /// </summary>
    internal static SourceItemState Map(PlexListed item, ProviderLibrary section, PlexListed? show, Dictionary<string, ShowParts>? shared = null)
    {
        var parsed = PlexGuidParser.ForItem(item.PrimaryGuid, item.GuidIds);
        var isEpisode = item.Type == "episode";
        IReadOnlyList<ExternalId> showIds = [];
        string? showKey = null;
        string? showTitle = null;
        if (isEpisode)
        {
            showKey = item.GrandparentRatingKey;
            showTitle = item.GrandparentTitle ?? show?.Title;
            if (shared is not null && showKey is not null && shared.TryGetValue(showKey, out var parts)
                && parts.Guid == item.GrandparentGuid && parts.Title == showTitle && SameIds(parts.EpisodeShowIds, parsed.ShowIds))
            {
                (showKey, showTitle, showIds) = (parts.Key, parts.Title, parts.Ids);
            }
            else
            {
                var fromShow = show is null ? PlexGuid.None : PlexGuidParser.ForItem(show.PrimaryGuid, show.GuidIds);
                var fromGrandparent = PlexGuidParser.Parse(item.GrandparentGuid);
                showIds = PlexGuidParser.Union(parsed.ShowIds, fromShow.Ids, fromGrandparent.Ids);
                if (shared is not null && showKey is not null)
                {
                    shared[showKey] = new ShowParts(showKey, item.GrandparentGuid, showTitle, parsed.ShowIds, showIds);
                }
            }
        }

        var source = new SourceItem
        {
            LocalKey = item.RatingKey ?? string.Empty,
            Kind = isEpisode ? MediaKind.Episode : MediaKind.Movie,
            Title = item.Title,
            Year = item.Year,
            RawId = item.PrimaryGuid,
            SharedStateKey = string.IsNullOrEmpty(item.PrimaryGuid) ? null : item.PrimaryGuid,
            Ids = parsed.Ids,
            ShowLocalKey = showKey,
            ShowTitle = showTitle,
            ShowIds = showIds,
            Season = isEpisode ? item.ParentIndex ?? parsed.Season : null,
            Episode = isEpisode ? item.Index ?? parsed.Episode : null,
            Edition = string.IsNullOrEmpty(item.EditionTitle) ? null : item.EditionTitle,
            Library = section.Title,
            PartKey = item.PartKey,
            DurationMs = item.Duration,
            UpdatedAt = item.UpdatedAt is { } u ? DateTimeOffset.FromUnixTimeSeconds(u) : null,
            Labels = Labels(item.Label),
        };
        var viewCount = item.ViewCount ?? 0;
        var lastViewed = item.LastViewedAt is { } lv ? DateTimeOffset.FromUnixTimeSeconds(lv) : (DateTimeOffset?)null;
        var state = new WatchState
        {
            PlayCount = viewCount,
            LastWatchedAt = viewCount > 0 ? lastViewed : null,
            Rating = item.UserRating,
            RatedAt = item.UserRating is not null && item.LastRatedAt is { } lr ? DateTimeOffset.FromUnixTimeSeconds(lr) : null,
            ProgressMs = item.ViewOffset is > 0 ? item.ViewOffset : null,
            ProgressAt = item.ViewOffset is > 0 ? lastViewed : null,
        };
        return new SourceItemState(source, state);
    }

    /// <summary>
    /// A show's parts that its episodes share: its key, the guid and title they name it by, the show ids their own guids
    /// name (a legacy agent's episode guid names its show: <c>com.plexapp.agents.thetvdb://{show}/{season}/{episode}</c>;
    /// a modern one names none), and the show's ids made of these.
    /// </summary>
    internal sealed record ShowParts(string Key, string? Guid, string? Title, IReadOnlyList<ExternalId> EpisodeShowIds, IReadOnlyList<ExternalId> Ids);

    private static bool SameIds(IReadOnlyList<ExternalId> a, IReadOnlyList<ExternalId> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string ChangedFilter(DateTimeOffset since)
    {
        var t = PlexClient.Q(since.ToUnixTimeSeconds());

        // Watched, progressed or rated since (lastViewedAt, lastRatedAt) or edited since (updatedAt), PLEX-API.md 4.3.
        return $"&lastViewedAt%3E%3E={t}&or=1&updatedAt%3E%3E={t}&or=1&lastRatedAt%3E%3E={t}";
    }

    private static IReadOnlyList<string> Labels(List<PlexTag>? labels) =>
        labels is not { Count: > 0 } ? Array.Empty<string>() : labels.Select(l => l.Tag).Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();

    private static string OnlineKey(string key)
    {
        // Accept the 24-hex key itself or a plex://movie/<hex> guid (PLEX-API.md 8).
        var slash = key.LastIndexOf('/');
        return slash >= 0 ? key[(slash + 1)..] : key;
    }

    private static string E(string value) => Uri.EscapeDataString(value);

    private ProviderException NotFound(string localKey) =>
        new(PlexClient.ProviderName, HttpStatusCode.NotFound, $"Plex server '{_client.ConnectionName}': item {localKey} does not exist") { Endpoint = "GET " + Metadata };

    private async Task EditAsync(PlexListed item, string localKey, string edits, CancellationToken cancellationToken)
    {
        var type = item.Type switch { "movie" => 1, "show" => 2, "season" => 3, "episode" => 4, _ => 1 };
        if (item.LibrarySectionID is { Length: > 0 } section)
        {
            await _client.WriteAsync(PlexHost.Server, HttpMethod.Put, SectionAll, $"library/sections/{E(section)}/all?type={type}&id={E(localKey)}{edits}", _settings.Token, cancellationToken);
        }
        else
        {
            await _client.WriteAsync(PlexHost.Server, HttpMethod.Put, Metadata, $"library/metadata/{E(localKey)}?{edits.TrimStart('&')}", _settings.Token, cancellationToken);
        }
    }

    private Task WriteAsync(ProviderAccount account, HttpMethod method, string template, string pathAndQuery, CancellationToken cancellationToken) =>
        _accounts.WithServerTokenAsync(
            account,
            async token =>
            {
                await _client.WriteAsync(PlexHost.Server, method, template, pathAndQuery, token, cancellationToken);
                return true;
            },
            cancellationToken);

    private async Task<IReadOnlyList<ProviderLibrary>> SectionsAsync(string token, CancellationToken cancellationToken)
    {
        var response = await _client.GetJsonAsync(PlexHost.Server, "/library/sections", "library/sections", token, PlexJson.Default.PlexResponse, cancellationToken);
        return (response.MediaContainer?.Directory ?? [])
            .Where(d => !string.IsNullOrEmpty(d.Key))
            .Select(d => new ProviderLibrary(d.Key!, d.Title ?? d.Key!, d.Type ?? string.Empty, d.Agent))
            .ToList();
    }

    private async Task<PlexListed?> MetadataAsync(string token, string localKey, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetJsonAsync(PlexHost.Server, Metadata, $"library/metadata/{E(localKey)}?includeGuids=1", token, PlexJson.Default.PlexListing, cancellationToken);
            return response.MediaContainer?.Metadata?.FirstOrDefault();
        }
        catch (ProviderException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Reads items (or shows) by rating key, up to <see cref="ItemsPerRequest"/> per request (comma-separated ids); keys not visible are left out.</summary>
    private async Task<Dictionary<string, PlexListed>> MetadataByKeyAsync(string token, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var shows = new Dictionary<string, PlexListed>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(ItemsPerRequest))
        {
            try
            {
                var response = await _client.GetJsonAsync(PlexHost.Server, Metadata, $"library/metadata/{string.Join(',', chunk.Select(E))}?includeGuids=1", token, PlexJson.Default.PlexListing, cancellationToken);
                foreach (var item in response.MediaContainer?.Metadata ?? [])
                {
                    if (item.RatingKey is not null)
                    {
                        shows[item.RatingKey] = item;
                    }
                }
            }
            catch (ProviderException ex) when (ex.Status == HttpStatusCode.NotFound)
            {
                // None of these items is visible any more (a show's episodes keep the ids they carry themselves).
            }
        }

        return shows;
    }

    private IAsyncEnumerable<PlexListed> PagesAsync(string token, string section, int type, string filter, CancellationToken cancellationToken) =>
        PagedAsync(PlexHost.Server, SectionAll, $"library/sections/{E(section)}/all?type={type}&includeGuids=1&excludeFields={Unread}{filter}", token, PlexJson.Default.PlexListing, static p => (p.MediaContainer?.Metadata, p.MediaContainer?.TotalSize), cancellationToken);

    /// <summary>
    /// The fields of a listed item that a listing's reader (<see cref="PlexListed"/>) does not read, asked to be left out
    /// (PLEX-API.md 1.5): a summary alone is often longer than all the rest of an item. A hint only: a server that ignores
    /// it sends them, and they are skipped as before.
    /// </summary>
    internal const string Unread = "summary,tagline,thumb,art,parentThumb,grandparentThumb,grandparentArt,theme,grandparentTheme,titleSort,contentRating,studio,originallyAvailableAt,addedAt,key,parentKey,grandparentKey,parentTitle,parentRatingKey,parentGuid,audienceRating,audienceRatingImage,rating,ratingImage,chapterSource,primaryExtraKey,skipCount,leafCount,viewedLeafCount,childCount";

    private IAsyncEnumerable<PlexMetadata> PagedAsync(PlexHost host, string template, string pathAndQuery, string token, CancellationToken cancellationToken) =>
        PagedAsync(host, template, pathAndQuery, token, PlexJson.Default.PlexResponse, static p => (p.MediaContainer?.Metadata, p.MediaContainer?.TotalSize), cancellationToken);

    /// <summary>Pages through a listing (PLEX-API.md 1.4), pages asked for ahead as <see cref="PagedListing"/> says.</summary>
    private IAsyncEnumerable<TItem> PagedAsync<TPage, TItem>(PlexHost host, string template, string pathAndQuery, string token, JsonTypeInfo<TPage> type, Func<TPage, (List<TItem>? Items, long? Total)> read, CancellationToken cancellationToken) =>
        PagedListing.ReadAsync(
            (start, ct) => _client.GetJsonAsync(host, template, $"{pathAndQuery}&X-Plex-Container-Start={PlexClient.Q(start)}&X-Plex-Container-Size={PlexClient.Q(_pageSize)}", token, type, ct),
            read,
            _pageSize,
            cancellationToken);
}
