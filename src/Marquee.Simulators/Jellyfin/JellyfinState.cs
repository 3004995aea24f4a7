using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Jellyfin.Model;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Jellyfin;

/// <summary>A library as a user view (a CollectionFolder): its id is what <c>ParentId</c> takes to list only that library.</summary>
public sealed record JfView(string Id, string Name, string CollectionType);

/// <summary>Raised for every change a webhook plugin reports.</summary>
public sealed record JfEvent(string Type, JfItem Item, JfUser? User, JfUserData? Data, string? SaveReason, long? PositionTicks, bool? PlayedToCompletion);

/// <summary>
/// The server's state: users, tokens, the library built by the Plex simulator's generator (same seed, same titles and ids),
/// and per-user item data. Every read and write takes one lock.
/// </summary>
public sealed class JellyfinState
{
    private static readonly string[] UserNames = ["admin", "ada", "milo", "nora", "felix", "iris", "jonah", "mara", "otto", "selma"];

    private readonly Lock _gate = new();
    private readonly List<JfItem> _items = [];
    private readonly Dictionary<string, JfItem> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string User, string Item), JfUserData> _data = [];
    private readonly Dictionary<string, JfUser> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (JfUser User, string ItemId, long Position)> _playing = new(StringComparer.Ordinal);
    private int _nextEmbyId = 100_000;
    private int _nextToken;

    internal JellyfinState(JellyfinSimulatorOptions options, SimClock clock)
    {
        Options = options;
        Clock = clock;
        ServerId = Hex($"server:{options.Seed}:{options.Flavor}");
        var users = new List<JfUser>();
        for (var i = 0; i < Math.Max(1, options.Users); i++)
        {
            var name = i < options.UserNames.Count ? options.UserNames[i] : i < UserNames.Length ? UserNames[i] : $"user{i}";
            users.Add(new JfUser(Hex($"user:{options.Seed}:{i}"), name, name + "-pw", i == 0));
        }

        Users = users;
        Views = [.. new[] { ("Movies", "movies"), ("Shows", "tvshows"), ("Anime", "tvshows") }.Select(v => new JfView(NewId($"view:{v.Item1}"), v.Item1, v.Item2))];
        Generate();
    }

    public event Action<JfEvent>? Changed;

    public JellyfinSimulatorOptions Options { get; }

    public SimClock Clock { get; }

    public string ServerId { get; }

    public IReadOnlyList<JfUser> Users { get; }

    /// <summary>Gets the libraries every user sees (<c>/UserViews</c>, Emby <c>/Users/{userId}/Views</c>).</summary>
    public IReadOnlyList<JfView> Views { get; }

    public JfView? View(string id) => Views.FirstOrDefault(v => string.Equals(v.Id, id, StringComparison.OrdinalIgnoreCase) || string.Equals(v.Id, id.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

    public bool IsEmby => Options.Flavor == JellyfinFlavor.Emby;

    public string Version => IsEmby ? "4.1.1.0" : "10.11.8";

    public int ItemCount
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public JfUser? UserById(string id) => Users.FirstOrDefault(u => string.Equals(u.Id, id, StringComparison.OrdinalIgnoreCase) || string.Equals(u.Id, id.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

    public JfUser? UserByName(string name) => Users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase));

    public JfUser? Authenticate(string user, string password)
    {
        var found = UserByName(user);
        return found is not null && found.Password == password ? found : null;
    }

    public string IssueToken(JfUser user)
    {
        lock (_gate)
        {
            var token = Hex($"token:{Options.Seed}:{user.Id}:{++_nextToken}");
            _tokens[token] = user;
            return token;
        }
    }

    /// <summary>The user a session token belongs to; null for the API key or an unknown token.</summary>
    public JfUser? TokenUser(string token)
    {
        lock (_gate)
        {
            return _tokens.GetValueOrDefault(token);
        }
    }

    public bool IsKnownToken(string token)
    {
        lock (_gate)
        {
            return token == Options.ApiKey || _tokens.ContainsKey(token);
        }
    }

    public void RevokeTokens()
    {
        lock (_gate)
        {
            _tokens.Clear();
        }
    }

    public JfItem? Item(string id)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(id) ?? _byId.GetValueOrDefault(id.Replace("-", string.Empty, StringComparison.Ordinal));
        }
    }

    public JfItem? ItemByPlexKey(int ratingKey)
    {
        lock (_gate)
        {
            return _items.FirstOrDefault(i => i.PlexRatingKey == ratingKey && !i.IsFolder);
        }
    }

    public List<JfItem> Items()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    /// <summary>The episodes below a series or season.</summary>
    public List<JfItem> Episodes(JfItem folder) =>
        [.. Items().Where(i => i.Type == "Episode" && (folder.Type == "Series" ? i.SeriesId == folder.Id : i.SeasonId == folder.Id))];

    public JfUserData Data(JfUser user, JfItem item)
    {
        lock (_gate)
        {
            return _data.GetValueOrDefault((user.Id, item.Id));
        }
    }

    public IReadOnlyDictionary<string, JfUserData> DataOf(JfUser user)
    {
        lock (_gate)
        {
            return _data.Where(p => p.Key.User == user.Id && !p.Value.IsEmpty)
                .OrderBy(p => p.Key.Item, StringComparer.Ordinal)
                .ToDictionary(p => p.Key.Item, p => p.Value, StringComparer.Ordinal);
        }
    }

    /// <summary>Marks played: PlayCount + 1, the given date (or now) as LastPlayedDate, position reset.</summary>
    public JfUserData MarkPlayed(JfUser user, JfItem item, DateTimeOffset? datePlayed, string reason = "TogglePlayed") =>
        Update(user, item, d => d with { Played = true, PlayCount = d.PlayCount + 1, LastPlayedDate = datePlayed ?? Clock.GetUtcNow(), PlaybackPositionTicks = 0 }, reason);

    public JfUserData MarkUnplayed(JfUser user, JfItem item) =>
        Update(user, item, d => d with { Played = false, PlayCount = 0, PlaybackPositionTicks = 0 }, "TogglePlayed");

    public JfUserData SetFavorite(JfUser user, JfItem item, bool favorite) =>
        Update(user, item, d => d with { IsFavorite = favorite }, "UpdateUserRating");

    public JfUserData SetLikes(JfUser user, JfItem item, bool? likes) =>
        Update(user, item, d => d with { Likes = likes }, "UpdateUserRating");

    /// <summary>A direct user data write; it bypasses the playback rules (JELLYFIN-NOTES.md).</summary>
    public JfUserData Update(JfUser user, JfItem item, Func<JfUserData, JfUserData> change, string reason)
    {
        JfUserData next;
        lock (_gate)
        {
            next = change(_data.GetValueOrDefault((user.Id, item.Id))) with { LastSaved = Clock.GetUtcNow() };
            _data[(user.Id, item.Id)] = next;
        }

        Changed?.Invoke(new JfEvent("UserDataSaved", item, user, next, reason, null, null));
        return next;
    }

    public void PlaybackStart(JfUser user, JfItem item, string session, long position)
    {
        lock (_gate)
        {
            _playing[session] = (user, item.Id, position);
        }

        Changed?.Invoke(new JfEvent("PlaybackStart", item, user, Data(user, item), null, position, null));
    }

    public void PlaybackProgress(JfUser user, JfItem item, string session, long position)
    {
        lock (_gate)
        {
            _playing[session] = (user, item.Id, position);
        }

        Changed?.Invoke(new JfEvent("PlaybackProgress", item, user, Data(user, item), null, position, null));
    }

    /// <summary>
    /// The server's rules for a stopped session: under 5 % the position resets, over 90 % (or any stop of an item
    /// shorter than 300 s) the item is played; PlayCount grows and LastPlayedDate becomes now either way.
    /// </summary>
    public JfUserData PlaybackStopped(JfUser user, JfItem item, string session, long position)
    {
        lock (_gate)
        {
            _playing.Remove(session);
        }

        var runtime = item.RunTimeTicks ?? 0;
        var share = runtime > 0 ? (double)position / runtime : 0;
        var played = runtime < TimeSpan.FromSeconds(300).Ticks || share > 0.9;
        var now = Clock.GetUtcNow();
        var data = Update(
            user,
            item,
            d => played
                ? d with { Played = true, PlayCount = d.PlayCount + 1, LastPlayedDate = now, PlaybackPositionTicks = 0 }
                : d with { PlayCount = d.PlayCount + 1, LastPlayedDate = now, PlaybackPositionTicks = share < 0.05 ? 0 : position },
            "PlaybackFinished");
        Changed?.Invoke(new JfEvent("PlaybackStop", item, user, data, null, position, played));
        return data;
    }

    public JfItem AddMovie(string name, int year, IReadOnlyDictionary<string, string> providerIds, long runtimeTicks)
    {
        var now = Clock.GetUtcNow();
        JfItem item;
        lock (_gate)
        {
            item = new JfItem
            {
                Id = NewId($"added:{_items.Count}:{name}"),
                Type = "Movie",
                Name = name,
                SortName = name,
                Library = "Movies",
                Year = year,
                RunTimeTicks = runtimeTicks,
                Path = $"/data/media/movies/{name} ({year})/{name} ({year}).mkv",
                ProviderIds = new Dictionary<string, string>(providerIds, StringComparer.Ordinal),
                DateCreated = now,
                DateLastSaved = now,
            };
            Add(item);
        }

        Changed?.Invoke(new JfEvent("ItemAdded", item, null, null, null, null, null));
        return item;
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            if (!_byId.Remove(id, out var item))
            {
                return false;
            }

            _items.Remove(item);
            return true;
        }
    }

    public void Rename(JfItem item, string name)
    {
        lock (_gate)
        {
            item.Name = name;
            item.SortName = name;
            item.DateLastSaved = Clock.GetUtcNow();
        }
    }

    public static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    private string NewId(string text) => IsEmby ? (_nextEmbyId++).ToString(CultureInfo.InvariantCulture) : Hex($"item:{Options.Seed}:{text}");

    private void Add(JfItem item)
    {
        _items.Add(item);
        _byId[item.Id] = item;
    }

    private void Generate()
    {
        var plex = new LibraryGenerator(new PlexSimulatorOptions { Seed = Options.Seed, Movies = Options.Movies, Shows = Options.Shows, LegacyShare = 0 }).Generate();
        var libraries = new Dictionary<int, string> { [1] = "Movies", [2] = "Shows", [4] = "Anime" };
        var byKey = new Dictionary<int, JfItem>();
        var lastByPart = new Dictionary<int, JfItem>();
        foreach (var source in plex)
        {
            if (!libraries.TryGetValue(source.SectionId, out var library) || source.EditionTitle is not null)
            {
                continue;
            }

            var added = DateTimeOffset.FromUnixTimeSeconds(source.AddedAt);
            var saved = DateTimeOffset.FromUnixTimeSeconds(source.UpdatedAt);
            switch (source.Type)
            {
                case ItemType.Movie:
                    Add(byKey[source.RatingKey] = Leaf(source, "Movie", library, added, saved, ProviderIdsOf(source.SourceIds)));
                    break;
                case ItemType.Show:
                    Add(byKey[source.RatingKey] = new JfItem
                    {
                        Id = NewId($"series:{source.RatingKey}"),
                        Type = "Series",
                        Name = source.Title,
                        SortName = source.TitleSort,
                        Library = library,
                        Year = source.Year,
                        Path = $"/data/media/{library.ToLowerInvariant()}/{source.Title}",
                        ProviderIds = ProviderIdsOf(source.SourceIds),
                        DateCreated = added,
                        DateLastSaved = saved,
                        PlexRatingKey = source.RatingKey,
                    });
                    break;
                case ItemType.Season:
                    var series = byKey[source.Parent!.RatingKey];
                    Add(byKey[source.RatingKey] = new JfItem
                    {
                        Id = NewId($"season:{source.RatingKey}"),
                        Type = "Season",
                        Name = source.Title,
                        Library = library,
                        ParentId = series.Id,
                        SeriesId = series.Id,
                        SeriesName = series.Name,
                        IndexNumber = source.Index,
                        DateCreated = added,
                        DateLastSaved = saved,
                        PlexRatingKey = source.RatingKey,
                    });
                    break;
                default:
                    // A multi-episode file is one item in Jellyfin: IndexNumber..IndexNumberEnd, and episodes without an NFO have no ids.
                    if (source.PartId != 0 && lastByPart.TryGetValue(source.PartId, out var first))
                    {
                        first.IndexNumberEnd = source.Index;
                        first.Name += " / " + source.Title;
                        first.RunTimeTicks += source.Duration * TimeSpan.TicksPerMillisecond;
                        first.ProviderIds = new(StringComparer.Ordinal);
                        byKey[source.RatingKey] = first;
                        break;
                    }

                    var season = byKey[source.Parent!.RatingKey];
                    var episode = Leaf(source, "Episode", library, added, saved, source.Index % 2 == 1 ? ProviderIdsOf(source.SourceIds) : new(StringComparer.Ordinal));
                    episode.ParentId = season.Id;
                    episode.SeasonId = season.Id;
                    episode.SeriesId = season.SeriesId;
                    episode.SeriesName = season.SeriesName;
                    episode.ParentIndexNumber = source.Parent.Index;
                    episode.IndexNumber = source.Index;
                    Add(byKey[source.RatingKey] = episode);
                    lastByPart[source.PartId] = episode;
                    break;
            }
        }
    }

    private JfItem Leaf(PlexItem source, string type, string library, DateTimeOffset added, DateTimeOffset saved, Dictionary<string, string> ids) => new()
    {
        Id = NewId($"{type}:{source.RatingKey}"),
        Type = type,
        Name = source.Title,
        SortName = source.TitleSort ?? source.Title,
        Library = library,
        Year = source.Year,
        RunTimeTicks = source.Duration * TimeSpan.TicksPerMillisecond,
        Path = source.File,
        ProviderIds = ids,
        DateCreated = added,
        DateLastSaved = saved,
        PlexRatingKey = source.RatingKey,
    };

    private static Dictionary<string, string> ProviderIdsOf(IEnumerable<string> guids)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var guid in guids)
        {
            var split = guid.IndexOf("://", StringComparison.Ordinal);
            var key = guid[..split] switch
            {
                "imdb" => "Imdb",
                "tmdb" => "Tmdb",
                "tvdb" => "Tvdb",
                "anidb" => "AniDB",
                "tvmaze" => "TvMaze",
                _ => null,
            };
            if (key is not null)
            {
                ids[key] = guid[(split + 3)..];
            }
        }

        return ids;
    }
}
