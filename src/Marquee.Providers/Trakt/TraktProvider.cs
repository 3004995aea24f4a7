using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Core.Sync;

namespace Marquee.Providers.Trakt;

/// <summary>
/// One Trakt account as a watch-state source and sink (TRAKT-API.md). Reads are bulk listings, every page followed:
/// watched movies, watched shows with their episodes (<c>extended=progress</c>, the only way seasons come since 2026)
/// and ratings. Writes go in batches of <see cref="TraktApp.BatchSize"/> per POST, one POST at a time at Trakt's write
/// window: history adds with the original <c>watched_at</c> (a play already in the history at the same minute is left
/// out, so a rerun adds none), history removes, ratings with <c>rated_at</c>. Episodes are always sent inside their show
/// and season with their numbers: a show or season is never sent bare (Trakt would mark all of it).
/// </summary>
public sealed partial class TraktProvider : IProvider, IAccountDirectory, IWatchStateSource, IWatchStateSink, IRatingSink, IBatchWriteSink, ICatalogTarget
{
    private const string Library = "Trakt";
    private readonly TraktClient _client;
    private readonly Lock _gate = new();
    private Task<Dictionary<string, SourceItemState>>? _snapshot;
    private Dictionary<string, SourceItemState>? _loaded;
    private ProviderAccount? _me;

    public TraktProvider(TraktClient client)
    {
        _client = client;
    }

    /// <summary>Reads the account's settings; a refused token points at the login, a refused app at the client id.</summary>
    public async Task<IReadOnlyList<FieldProblem>> TestAsync(CancellationToken cancellationToken)
    {
        try
        {
            await MeAsync(cancellationToken);
            return [];
        }
        catch (ProviderException ex)
        {
            var field = ex.Status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest => "accessToken",
                HttpStatusCode.Forbidden when !ex.Message.Contains("Cloudflare", StringComparison.Ordinal) => "clientId",
                _ => "url",
            };
            return [new FieldProblem(field, ex.Message)];
        }
    }

    /// <summary>The one account the tokens belong to; it is the connection's owner.</summary>
    public async Task<IReadOnlyList<ProviderAccount>> ListAccountsAsync(CancellationToken cancellationToken) => [await MeAsync(cancellationToken)];

    /// <summary>
    /// Every watched or rated movie and episode of the account, and its resume points when <see cref="WatchStateQuery.Progress"/>
    /// asks for them (one more listing, <c>/sync/playback</c>). Trakt lists everything at once, so
    /// <see cref="WatchStateQuery.ChangedSince"/> only filters what is returned.
    /// </summary>
    public async IAsyncEnumerable<SourceItemState> ReadAsync(ProviderAccount account, WatchStateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var all = await LoadAsync(query.Progress, cancellationToken);
        foreach (var item in all.Values.OrderBy(i => i.Item.LocalKey, StringComparer.Ordinal))
        {
            if (query.ChangedSince is not { } since || item.State.LastWatchedAt >= since || item.State.RatedAt >= since || item.State.ProgressAt >= since)
            {
                yield return item;
            }
        }
    }

    public async Task<SourceItemState?> ReadItemAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken)
    {
        var all = await SnapshotAsync(cancellationToken);
        return Find(all, localKey) ?? Empty(localKey);
    }

    /// <summary>
    /// The items from one listing of the account (read once per run, kept up to date with this provider's own writes); an
    /// item Trakt does not list is there with no state. It is the run's full read when there was one, with the resume
    /// points if that read asked for them; otherwise one listing without them (a read of single items turns no share of
    /// a length into a position, so the playback listing would go unused).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, SourceItemState>> ReadItemsAsync(ProviderAccount account, IReadOnlyCollection<string> localKeys, CancellationToken cancellationToken)
    {
        var all = await SnapshotAsync(cancellationToken);
        var found = new Dictionary<string, SourceItemState>(StringComparer.Ordinal);
        foreach (var key in localKeys)
        {
            if ((Find(all, key) ?? Empty(key)) is { } state)
            {
                found[key] = state;
            }
        }

        return found;
    }

    public string? KeyFor(SourceItem item) => item.Kind switch
    {
        MediaKind.Movie => TraktKeys.Movie(item.Ids),
        MediaKind.Episode when item.Season is { } season && item.Episode is { } number && item.EpisodeEnd is null => TraktKeys.Episode(item.ShowIds, season, number),
        _ => null,
    };

    public Task MarkWatchedAsync(ProviderAccount account, string localKey, DateTimeOffset? watchedAt, CancellationToken cancellationToken) =>
        OneAsync(account, new BatchWrite(localKey, WriteAction.MarkWatched, watchedAt, null, null), cancellationToken);

    public Task MarkUnwatchedAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken) =>
        OneAsync(account, new BatchWrite(localKey, WriteAction.MarkUnwatched, null, null, null), cancellationToken);

    public Task SetRatingAsync(ProviderAccount account, string localKey, double? rating, DateTimeOffset? ratedAt, CancellationToken cancellationToken) =>
        OneAsync(account, new BatchWrite(localKey, rating is null ? WriteAction.ClearRating : WriteAction.SetRating, null, rating, ratedAt), cancellationToken);

    /// <summary>
    /// Sends the writes grouped by endpoint, <see cref="TraktApp.BatchSize"/> items per POST. An item Trakt answers as
    /// not found, or a request Trakt refuses, fails with the reason; the others are kept in this provider's listing.
    /// </summary>
    public async Task<IReadOnlyList<ProviderException?>> WriteBatchAsync(ProviderAccount account, IReadOnlyList<BatchWrite> writes, CancellationToken cancellationToken)
    {
        var results = new ProviderException?[writes.Count];
        var parsed = new TraktKey?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            parsed[i] = TraktKeys.Parse(writes[i].LocalKey);
            if (parsed[i] is null)
            {
                results[i] = new ProviderException("trakt", null, $"'{writes[i].LocalKey}' is not a Trakt item key (movie:tmdb=ID or episode:tvdb=ID:SEASON:NUMBER).");
            }
        }

        var usable = Enumerable.Range(0, writes.Count).Where(i => parsed[i] is not null).ToList();
        var adds = usable.Where(i => writes[i].Action is WriteAction.MarkWatched or WriteAction.Rewatch).ToList();
        var removes = usable.Where(i => writes[i].Action == WriteAction.MarkUnwatched).ToList();
        var rates = usable.Where(i => writes[i].Action is WriteAction.SetRating && Stars(writes[i].Rating) is not null).ToList();
        var unrates = usable.Where(i => writes[i].Action is WriteAction.ClearRating || (writes[i].Action is WriteAction.SetRating && Stars(writes[i].Rating) is null)).ToList();
        var pauses = usable.Where(i => writes[i].Action == WriteAction.SetProgress).ToList();
        foreach (var i in usable.Except(adds).Except(removes).Except(rates).Except(unrates).Except(pauses))
        {
            results[i] = new ProviderException("trakt", null, $"Trakt takes no '{writes[i].Action}' writes from Marquee.");
        }

        try
        {
            if (adds.Count > 0)
            {
                var known = await PlaysAtAsync(adds.Select(i => writes[i].WatchedAt), cancellationToken);
                adds = adds.Where(i => writes[i].WatchedAt is not { } at || !known.Contains(PlayKey(writes[i].LocalKey, at))).ToList();
            }

            await SendAsync("sync/history", adds, parsed, writes, results, i => writes[i].WatchedAt is { } at ? new JsonObject { ["watched_at"] = TraktWire.Date(TraktWire.ToMinute(at)) } : [], cancellationToken);
            await SendAsync("sync/history/remove", removes, parsed, writes, results, _ => [], cancellationToken);
            await SendAsync("sync/ratings", rates, parsed, writes, results, i => Rating(writes[i]), cancellationToken);
            await SendAsync("sync/ratings/remove", unrates, parsed, writes, results, _ => [], cancellationToken);
            await PauseAsync(pauses, writes, results, cancellationToken);
        }
        catch (ProviderException ex)
        {
            // A refusal of the whole account (locked, limit, login) fails whatever was not sent yet.
            for (var i = 0; i < results.Length; i++)
            {
                results[i] ??= ex;
            }
        }

        lock (_gate)
        {
            if (_loaded is { } snapshot)
            {
                for (var i = 0; i < writes.Count; i++)
                {
                    if (results[i] is null)
                    {
                        Apply(snapshot, writes[i]);
                    }
                }
            }
        }

        return results;
    }

    /// <summary>
    /// The listed item a key names: the same key, or an item listed under another of its ids (a movie Marquee named by
    /// its imdb id that Trakt lists under its tmdb id), so a play already there is never sent again.
    /// </summary>
    private static SourceItemState? Find(Dictionary<string, SourceItemState> all, string key)
    {
        if (all.TryGetValue(key, out var found))
        {
            return found;
        }

        if (TraktKeys.Parse(key) is not { } parsed)
        {
            return null;
        }

        var id = new ExternalId(parsed.Scheme, parsed.Value);
        return all.Values.FirstOrDefault(i => parsed.IsEpisode
            ? i.Item.Kind == MediaKind.Episode && i.Item.Season == parsed.Season && i.Item.Episode == parsed.Number && i.Item.ShowIds.Contains(id)
            : i.Item.Kind == MediaKind.Movie && i.Item.Ids.Contains(id));
    }

    private static int? Stars(double? rating) => rating is { } r && Math.Round(r, MidpointRounding.AwayFromZero) is var stars && stars >= 1 ? (int)Math.Min(10, stars) : null;

    private static JsonObject Rating(BatchWrite write)
    {
        var body = new JsonObject { ["rating"] = Stars(write.Rating) };
        if (write.RatedAt is { } at)
        {
            body["rated_at"] = TraktWire.Date(at);
        }

        return body;
    }

    private static string PlayKey(string key, DateTimeOffset at) => $"{key}|{TraktWire.ToMinute(at).ToUnixTimeSeconds()}";

    private static SourceItemState? Empty(string key) => TraktKeys.Parse(key) is { } parsed
        ? new SourceItemState(
            new SourceItem
            {
                LocalKey = key,
                Kind = parsed.IsEpisode ? MediaKind.Episode : MediaKind.Movie,
                Ids = parsed.IsEpisode ? [] : [new ExternalId(parsed.Scheme, parsed.Value)],
                ShowIds = parsed.IsEpisode ? [new ExternalId(parsed.Scheme, parsed.Value)] : [],
                Season = parsed.IsEpisode ? parsed.Season : null,
                Episode = parsed.IsEpisode ? parsed.Number : null,
                Library = Library,
            },
            WatchState.Empty)
        : null;

    private static ProviderException Wrap(TraktException ex) =>
        new("trakt", ex.Status is { } s ? (HttpStatusCode)s : null, ex.Message, ex) { IsTransient = ex.Status is 429 or >= 500 };

    private static DateTimeOffset? Date(JsonNode? node) =>
        node?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at.ToUnixTimeSeconds() > 0 ? at : null;

    private static int Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;

    private async Task OneAsync(ProviderAccount account, BatchWrite write, CancellationToken cancellationToken)
    {
        var result = await WriteBatchAsync(account, [write], cancellationToken);
        if (result[0] is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>The plays already in the history around the given dates, keyed by every id of the item and the minute.</summary>
    private async Task<HashSet<string>> PlaysAtAsync(IEnumerable<DateTimeOffset?> dates, CancellationToken cancellationToken)
    {
        var minutes = dates.OfType<DateTimeOffset>().Select(TraktWire.ToMinute).ToList();
        var known = new HashSet<string>(StringComparer.Ordinal);
        if (minutes.Count == 0)
        {
            return known;
        }

        var from = TraktWire.Date(minutes.Min());
        var to = TraktWire.Date(minutes.Max().AddMinutes(1));
        foreach (var row in await ListAsync($"sync/history?start_at={Uri.EscapeDataString(from)}&end_at={Uri.EscapeDataString(to)}", cancellationToken))
        {
            if (Date(row["watched_at"]) is not { } at)
            {
                continue;
            }

            var keys = row["type"]?.GetValue<string>() switch
            {
                "movie" => TraktKeys.All("movie", row["movie"]?["ids"] as JsonObject),
                "episode" => TraktKeys.All("episode", row["show"]?["ids"] as JsonObject, Int(row["episode"]?["season"]), Int(row["episode"]?["number"])),
                _ => [],
            };
            foreach (var key in keys)
            {
                known.Add(PlayKey(key, at));
            }
        }

        return known;
    }

    /// <summary>Posts the writes <paramref name="indexes"/> to one endpoint, 100 items per request; what Trakt did not find fails with the reason.</summary>
    private async Task SendAsync(string path, List<int> indexes, TraktKey?[] parsed, IReadOnlyList<BatchWrite> writes, ProviderException?[] results, Func<int, JsonObject> metadata, CancellationToken cancellationToken)
    {
        foreach (var chunk in indexes.Chunk(TraktApp.BatchSize))
        {
            var movies = new JsonArray();
            var shows = new Dictionary<(string, string), SortedDictionary<int, JsonArray>>();
            foreach (var i in chunk)
            {
                var key = parsed[i]!;
                if (!key.IsEpisode)
                {
                    var movie = new JsonObject { ["ids"] = key.Ids() };
                    foreach (var (name, value) in metadata(i))
                    {
                        movie[name] = value?.DeepClone();
                    }

                    movies.Add(movie);
                    continue;
                }

                var seasons = shows.TryGetValue((key.Scheme, key.Value), out var s) ? s : shows[(key.Scheme, key.Value)] = [];
                var episodes = seasons.TryGetValue(key.Season, out var e) ? e : seasons[key.Season] = [];
                var episode = new JsonObject { ["number"] = key.Number };
                foreach (var (name, value) in metadata(i))
                {
                    episode[name] = value?.DeepClone();
                }

                episodes.Add(episode);
            }

            var body = new JsonObject();
            if (movies.Count > 0)
            {
                body["movies"] = movies;
            }

            if (shows.Count > 0)
            {
                body["shows"] = new JsonArray([.. shows.Select(show => (JsonNode)new JsonObject
                {
                    ["ids"] = new TraktKey(true, show.Key.Item1, show.Key.Item2, 0, 0).Ids(),
                    ["seasons"] = new JsonArray([.. show.Value.Select(season => (JsonNode)new JsonObject { ["number"] = season.Key, ["episodes"] = season.Value })]),
                })]);
            }

            if (await PostBatchAsync(path, body, chunk, results, cancellationToken) is not { } answer)
            {
                continue;
            }

            var missing = NotFound(answer["not_found"] as JsonObject);
            foreach (var i in chunk.Where(i => missing.Contains(writes[i].LocalKey) || (parsed[i]!.IsEpisode && missing.Contains("show:" + parsed[i]!.Scheme + "=" + parsed[i]!.Value))))
            {
                results[i] = new ProviderException("trakt", HttpStatusCode.NotFound, $"Trakt does not know {writes[i].LocalKey} (answered as not found by POST /{path}).") { Endpoint = "POST /" + path };
            }
        }
    }

    /// <summary>
    /// Posts one batch and returns Trakt's answer (an empty object when it sent none); null when the request failed, which
    /// fails every write it carried. A refusal of the whole account (a limit, a lock, the login, the app) is thrown, so
    /// nothing more is sent.
    /// </summary>
    private async Task<JsonNode?> PostBatchAsync(string path, JsonObject body, IEnumerable<int> chunk, ProviderException?[] results, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.WriteAsync(path, body, cancellationToken) ?? new JsonObject();
        }
        catch (TraktException ex)
        {
            var failure = Wrap(ex);
            foreach (var i in chunk)
            {
                results[i] = failure;
            }

            return ex.Status is 420 or 423 or 426 or 401 or 403 ? throw failure : null;
        }
        catch (HttpRequestException ex)
        {
            foreach (var i in chunk)
            {
                results[i] = new ProviderException("trakt", null, $"Trakt could not be reached for POST /{path}: {ex.Message}", ex) { IsTransient = true };
            }

            return null;
        }
    }

    /// <summary>The keys of what Trakt echoed as not found: movies by each id, a show by its ids (all its episodes sent), and each episode of a show echoed with seasons.</summary>
    private static HashSet<string> NotFound(JsonObject? notFound)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var movie in (notFound?["movies"] as JsonArray ?? []).OfType<JsonObject>())
        {
            keys.UnionWith(TraktKeys.All("movie", movie["ids"] as JsonObject));
        }

        foreach (var show in (notFound?["shows"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var ids = show["ids"] as JsonObject;
            if (show["seasons"] is not JsonArray seasons)
            {
                keys.UnionWith(TraktKeys.ExternalIds(ids).Select(id => $"show:{id.Scheme}={id.Value}"));
                continue;
            }

            foreach (var season in seasons.OfType<JsonObject>())
            {
                foreach (var episode in (season["episodes"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    keys.UnionWith(TraktKeys.All("episode", ids, Int(season["number"]), Int(episode["number"])));
                }
            }
        }

        return keys;
    }

    private static void Apply(Dictionary<string, SourceItemState> snapshot, BatchWrite write)
    {
        var current = Find(snapshot, write.LocalKey) ?? Empty(write.LocalKey);
        if (current is null)
        {
            return;
        }

        var state = current.State;
        state = write.Action switch
        {
            WriteAction.MarkWatched or WriteAction.Rewatch => state with { PlayCount = state.PlayCount + 1, LastWatchedAt = Later(state.LastWatchedAt, write.WatchedAt) },
            WriteAction.SetProgress => state with { ProgressMs = write.ProgressMs, ProgressPercent = ProgressShare.Of(write.ProgressMs ?? 0, write.DurationMs ?? 1) },
            WriteAction.MarkUnwatched => state with { PlayCount = 0, LastWatchedAt = null },
            _ when Stars(write.Rating) is { } stars && write.Action == WriteAction.SetRating => state with { Rating = stars, RatedAt = write.RatedAt },
            _ => state with { Rating = null, RatedAt = null },
        };
        snapshot[current.Item.LocalKey] = current with { State = state };
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private async Task<Dictionary<string, SourceItemState>> SnapshotAsync(CancellationToken cancellationToken)
    {
        Task<Dictionary<string, SourceItemState>> loading;
        lock (_gate)
        {
            if (_snapshot is null || _snapshot.IsFaulted || _snapshot.IsCanceled)
            {
                _snapshot = LoadCoreAsync(playback: false, cancellationToken);
            }

            loading = _snapshot;
        }

        var all = await loading;
        lock (_gate)
        {
            if (ReferenceEquals(_snapshot, loading))
            {
                _loaded = all;
            }

            return new Dictionary<string, SourceItemState>(all, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// A fresh listing (a run's full read), with the playback listing when <paramref name="playback"/>, kept as the snapshot
    /// later reads and writes of this run use. A full read never reuses an earlier snapshot, so one listed without the
    /// resume points is never taken for a read that wants them.
    /// </summary>
    private async Task<Dictionary<string, SourceItemState>> LoadAsync(bool playback, CancellationToken cancellationToken)
    {
        var fresh = await LoadCoreAsync(playback, cancellationToken);
        lock (_gate)
        {
            _snapshot = Task.FromResult(fresh);
            _loaded = fresh;
            return new Dictionary<string, SourceItemState>(fresh, StringComparer.Ordinal);
        }
    }

    private async Task<Dictionary<string, SourceItemState>> LoadCoreAsync(bool playback, CancellationToken cancellationToken)
    {
        var items = new Dictionary<string, (SourceItem Item, WatchState State)>(StringComparer.Ordinal);
        void Merge(SourceItem item, Func<WatchState, WatchState> change)
        {
            var (known, state) = items.TryGetValue(item.LocalKey, out var found) ? found : (item, WatchState.Empty);
            items[item.LocalKey] = (known, change(state));
        }

        foreach (var row in await ListAsync("sync/watched/movies", cancellationToken))
        {
            if (MovieItem(row["movie"] as JsonObject) is { } movie)
            {
                Merge(movie, s => s with { PlayCount = Math.Max(1, Int(row["plays"])), LastWatchedAt = Date(row["last_watched_at"]) });
            }
        }

        foreach (var row in await ListAsync("sync/watched/shows?extended=progress", cancellationToken))
        {
            var show = row["show"] as JsonObject;
            foreach (var season in (row["seasons"] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var episode in (season["episodes"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (EpisodeItem(show, Int(season["number"]), Int(episode["number"])) is { } item && Int(episode["plays"]) > 0)
                    {
                        Merge(item, s => s with { PlayCount = Int(episode["plays"]), LastWatchedAt = Date(episode["last_watched_at"]) });
                    }
                }
            }
        }

        if (playback)
        {
            await ReadPlaybackAsync(Merge, cancellationToken);
        }

        foreach (var row in await ListAsync("sync/ratings", cancellationToken))
        {
            var item = row["type"]?.GetValue<string>() switch
            {
                "movie" => MovieItem(row["movie"] as JsonObject),
                "episode" => EpisodeItem(row["show"] as JsonObject, Int(row["episode"]?["season"]), Int(row["episode"]?["number"])),
                _ => null,
            };
            if (item is not null && Int(row["rating"]) is > 0 and var rating)
            {
                Merge(item, s => s with { Rating = rating, RatedAt = Date(row["rated_at"]) });
            }
        }

        return items.ToDictionary(p => p.Key, p => new SourceItemState(p.Value.Item, p.Value.State), StringComparer.Ordinal);
    }

    private static SourceItem? MovieItem(JsonObject? movie)
    {
        var ids = TraktKeys.ExternalIds(movie?["ids"] as JsonObject);
        return TraktKeys.Movie(ids) is { } key
            ? new SourceItem
            {
                LocalKey = key,
                Kind = MediaKind.Movie,
                Title = movie?["title"]?.GetValue<string>(),
                Year = movie?["year"] is JsonValue y && y.TryGetValue<int>(out var year) ? year : null,
                RawId = movie?["ids"]?["trakt"] is { } trakt ? $"trakt://movie/{trakt}" : null,
                Ids = ids,
                Library = Library,
            }
            : null;
    }

    private static SourceItem? EpisodeItem(JsonObject? show, int season, int number)
    {
        var ids = TraktKeys.ExternalIds(show?["ids"] as JsonObject);
        return TraktKeys.Episode(ids, season, number) is { } key
            ? new SourceItem
            {
                LocalKey = key,
                Kind = MediaKind.Episode,
                RawId = show?["ids"]?["trakt"] is { } trakt ? string.Create(CultureInfo.InvariantCulture, $"trakt://show/{trakt}/{season}/{number}") : null,
                ShowTitle = show?["title"]?.GetValue<string>(),
                ShowIds = ids,
                Season = season,
                Episode = number,
                Library = Library,
            }
            : null;
    }

    private async Task<List<JsonObject>> ListAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.ListAsync(path, cancellationToken);
        }
        catch (TraktException ex)
        {
            throw Wrap(ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException("trakt", null, $"Trakt could not be reached at {path}: {ex.Message}", ex) { IsTransient = true };
        }
    }

    private async Task<ProviderAccount> MeAsync(CancellationToken cancellationToken)
    {
        if (_me is not null)
        {
            return _me;
        }

        JsonNode? settings;
        try
        {
            settings = await _client.GetAsync("users/settings", cancellationToken);
        }
        catch (TraktException ex)
        {
            throw Wrap(ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException("trakt", null, $"Trakt could not be reached: {ex.Message}", ex) { IsTransient = true };
        }

        var user = settings?["user"] as JsonObject;
        var name = user?["username"]?.GetValue<string>();
        var slug = user?["ids"]?["slug"]?.GetValue<string>() ?? name;
        if (name is null || slug is null)
        {
            throw new ProviderException("trakt", null, "Trakt answered GET /users/settings without the user's name: is the URL Trakt's API?");
        }

        return _me = new ProviderAccount(slug, name, Core.Connections.Account.KindOwner);
    }
}
