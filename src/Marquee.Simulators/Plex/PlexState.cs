using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Plex;

/// <summary>
/// The whole simulated world: library, accounts, per-account watch state, history and sessions.
/// Mutations take <see cref="Gate"/>; readers take it only to collect the items they will write.
/// </summary>
public sealed class PlexState
{
    private readonly Dictionary<int, PlexItem> _items = [];
    private readonly Dictionary<int, List<PlexItem>> _roots = [];
    private readonly Dictionary<string, int> _labelIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<int, string> _labelNames = [];
    private readonly Dictionary<long, ConcurrentDictionary<string, UserState>> _userStates = [];
    private readonly List<HistoryRow> _history = [];
    private readonly Dictionary<string, PlaySession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _terminated = new(StringComparer.Ordinal);
    private readonly List<Termination> _terminations = [];
    private readonly Dictionary<string, long> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimAccount> _pmsTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimAccount> _accountTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<long, HashSet<string>> _watchlists = [];
    private readonly Dictionary<long, Dictionary<string, long>> _watchlistedAt = [];
    private readonly Dictionary<long, List<Uri>> _webhooks = [];
    private readonly SectionListings _listings = new();
    private long _revision;
    private long _nextHistoryId = 9000;
    private int _nextSessionKey = 1;
    private int _nextRatingKey;
    private int _nextLabelId = 5000;

    public PlexState(PlexSimulatorOptions options, SimClock clock)
    {
        Options = options;
        Clock = clock;
        MachineIdentifier = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(options.Seed * 31 + options.Variant)))[..40];
        Accounts = CreateAccounts(options);
        foreach (var account in Accounts)
        {
            _pmsTokens[account.ServerToken] = account;
            _accountTokens[account.AccountToken] = account;
            _userStates[account.LocalId] = new ConcurrentDictionary<string, UserState>(StringComparer.Ordinal);
            _watchlists[account.LocalId] = new HashSet<string>(StringComparer.Ordinal);
            _watchlistedAt[account.LocalId] = new Dictionary<string, long>(StringComparer.Ordinal);
            _webhooks[account.LocalId] = [];
        }

        // The owner's account token also works on its own server.
        _pmsTokens[Owner.AccountToken] = Owner;
        if (options.WebhookUrl is not null)
        {
            _webhooks[Owner.LocalId].Add(options.WebhookUrl);
        }

        Sections = options.ShokoAnime ? [.. LibraryGenerator.Sections, ShokoAnimeLibrary.Section] : LibraryGenerator.Sections;
        foreach (var section in Sections)
        {
            _roots[section.Id] = [];
        }

        var generated = new LibraryGenerator(options).Generate();
        if (options.ShokoAnime)
        {
            var firstKey = generated.Count == 0 ? 1000 : generated.Max(i => i.RatingKey) + 1;
            var firstMedia = generated.Count == 0 ? 3000 : generated.Max(i => i.PartId) + 1;
            generated.AddRange(ShokoAnimeLibrary.Generate(Shoko.AnimeCatalog.Generate(options.Seed, options.ShokoSeries), firstKey, firstMedia));
        }

        foreach (var item in generated)
        {
            _items[item.RatingKey] = item;
            if (item.Type is ItemType.Movie or ItemType.Show)
            {
                _roots[item.SectionId].Add(item);
            }

            _nextRatingKey = Math.Max(_nextRatingKey, item.RatingKey + 1);
        }

        // The Shoko anime library (last in the list, so the other items' seeded state is the same) starts unwatched, as the Shoko simulator does.
        SeedLabelsAndState([.. generated.Where(i => i.SectionId != ShokoAnimeLibrary.Section.Id)]);
    }

    public Lock Gate { get; } = new();

    /// <summary>Gets what the artwork routes answer (a JPEG, 404, too large, HTML).</summary>
    public SimArtwork Artwork { get; } = new();

    public PlexSimulatorOptions Options { get; }

    public SimClock Clock { get; }

    public string MachineIdentifier { get; }

    public string Version => "1.42.2.10156-f737b826c";

    public IReadOnlyList<SimAccount> Accounts { get; }

    public SimAccount Owner => Accounts[0];

    public IReadOnlyList<SectionInfo> Sections { get; }

    public int ItemCount
    {
        get
        {
            lock (Gate)
            {
                return _items.Count;
            }
        }
    }

    public event Action<SimEvent>? Events;

    public long Now => Clock.UnixSeconds;

    /// <summary>
    /// Gets a number that grows with every write a section listing could show: a section's roots, any account's watch
    /// state, and (through <see cref="PlexItem.Revision"/>) any item's fields, whoever sets them.
    /// </summary>
    public long Revision => Interlocked.Read(ref _revision) + PlexItem.Revision;

    public SimAccount? PmsAccount(string? token) => token is not null && _pmsTokens.TryGetValue(token, out var a) ? a : null;

    public SimAccount? AccountByToken(string? token) => token is not null && _accountTokens.TryGetValue(token, out var a) ? a : null;

    public SimAccount? AccountByLocalId(long id) => Accounts.FirstOrDefault(a => a.LocalId == id);

    public SimAccount? AccountByName(string name) => Accounts.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    public SectionInfo? Section(int id) => Sections.FirstOrDefault(s => s.Id == id);

    public bool CanSee(SimAccount account, int sectionId) =>
        account.Kind != SimAccountKind.Friend || Section(sectionId)?.SharedWithFriends == true;

    public void Raise(SimEvent e) => Events?.Invoke(e);

    public PlexItem? Item(int ratingKey)
    {
        lock (Gate)
        {
            return _items.TryGetValue(ratingKey, out var item) && !item.Deleted ? item : null;
        }
    }

    public PlexItem? Item(string? ratingKey) =>
        int.TryParse(ratingKey, NumberStyles.None, CultureInfo.InvariantCulture, out var key) ? Item(key) : null;

    public List<PlexItem> Roots(int sectionId)
    {
        lock (Gate)
        {
            return _roots.TryGetValue(sectionId, out var list) ? [.. list.Where(i => !i.Deleted)] : [];
        }
    }

    /// <summary>
    /// The items <c>/library/sections/{id}/all</c> lists for <paramref name="query"/>, in its order: filtered and sorted
    /// once, then kept for the following pages until anything changes (see <see cref="SectionListings"/>).
    /// </summary>
    public IReadOnlyList<PlexItem> Listing(SimAccount account, int sectionId, ItemType type, MediaQuery query)
    {
        // Read before any item is: a write landing while the listing is built moves the revision past this one.
        var revision = Revision;
        return _listings.Get(
            new ListingKey(account.LocalId, sectionId, type, query.Key),
            revision,
            () => query.Apply(this, account, ItemsOfType(sectionId, type), hierarchyDefault: type is ItemType.Season or ItemType.Episode));
    }

    /// <summary>All items of one type in a section, in library order.</summary>
    public List<PlexItem> ItemsOfType(int sectionId, ItemType type)
    {
        lock (Gate)
        {
            if (!_roots.TryGetValue(sectionId, out var roots))
            {
                return [];
            }

            var result = new List<PlexItem>();
            foreach (var root in roots)
            {
                if (root.Deleted)
                {
                    continue;
                }

                if (root.Type == type)
                {
                    result.Add(root);
                    continue;
                }

                foreach (var season in root.Children ?? [])
                {
                    if (season.Deleted)
                    {
                        continue;
                    }

                    if (type == ItemType.Season)
                    {
                        result.Add(season);
                    }
                    else if (type == ItemType.Episode)
                    {
                        result.AddRange(season.Children!.Where(e => !e.Deleted));
                    }
                }
            }

            return result;
        }
    }

    public UserState State(SimAccount account, PlexItem item) =>
        _userStates[account.LocalId].TryGetValue(item.PrimaryGuid, out var s) ? s : default;

    /// <summary>State as Plex reports it: shows and seasons aggregate their episodes.</summary>
    public AggregateState Aggregate(SimAccount account, PlexItem item)
    {
        var own = State(account, item);
        if (item.IsLeaf)
        {
            return new AggregateState(own.ViewCount, own.LastViewedAt, own.ViewOffset, own.UserRating, own.LastRatedAt, 0, 0, 0);
        }

        int views = 0, viewed = 0, leaves = 0;
        long last = 0;
        foreach (var leaf in item.Leaves())
        {
            var s = State(account, leaf);
            leaves++;
            views += s.ViewCount;
            if (s.ViewCount > 0)
            {
                viewed++;
            }

            last = Math.Max(last, s.LastViewedAt);
        }

        var children = item.Type == ItemType.Show ? item.Children!.Count(c => !c.Deleted) : 0;
        return new AggregateState(views, last, 0, own.UserRating, own.LastRatedAt, leaves, viewed, children);
    }

    /// <summary>Whether any episode below a show or season has a resume position for the account.</summary>
    public bool AnyLeafInProgress(SimAccount account, PlexItem item) => item.Leaves().Any(leaf => State(account, leaf).ViewOffset > 0);

    public string LabelName(int id)
    {
        lock (Gate)
        {
            return _labelNames.TryGetValue(id, out var n) ? n : string.Empty;
        }
    }

    public int LabelId(string name)
    {
        lock (Gate)
        {
            return LabelIdLocked(name);
        }
    }

    /// <summary>Labels used in a section, for <c>/library/sections/{id}/label</c>.</summary>
    public List<(int Id, string Tag)> SectionLabels(int sectionId)
    {
        lock (Gate)
        {
            var ids = new SortedSet<int>();
            foreach (var item in _items.Values)
            {
                if (item.SectionId == sectionId && !item.Deleted)
                {
                    ids.UnionWith(item.Labels);
                }
            }

            return [.. ids.Select(id => (id, _labelNames[id])).OrderBy(t => t.Item2, StringComparer.OrdinalIgnoreCase)];
        }
    }

    // ---- Writes ---------------------------------------------------------------------------------

    /// <summary>Mark played (<c>/:/scrobble</c>): no history row, no webhook, cascades to episodes.</summary>
    public void Scrobble(SimAccount account, PlexItem item)
    {
        lock (Gate)
        {
            var now = Now;
            foreach (var leaf in item.Leaves())
            {
                Update(account, leaf, s => s with { ViewCount = s.ViewCount + 1, LastViewedAt = now, ViewOffset = 0 });
            }
        }

        AfterWrite(item);
    }

    /// <summary>Mark unplayed: a reset, not a decrement; history stays.</summary>
    public void Unscrobble(SimAccount account, PlexItem item)
    {
        lock (Gate)
        {
            foreach (var leaf in item.Leaves())
            {
                Update(account, leaf, s => s with { ViewCount = 0, ViewOffset = 0 });
            }
        }

        AfterWrite(item);
    }

    public void Rate(SimAccount account, PlexItem item, double? rating, long ratedAt, string? clientId = null)
    {
        lock (Gate)
        {
            Update(account, item, s => s with { UserRating = rating, LastRatedAt = ratedAt });
        }

        if (rating is { } r)
        {
            Raise(new RateEvent(account, item, r, clientId));
        }

        AfterWrite(item);
    }

    public void SetProgress(SimAccount account, PlexItem item, long offset)
    {
        lock (Gate)
        {
            var now = Now;
            Update(account, item, s => s with { ViewOffset = offset > 0 ? offset : s.ViewOffset, LastViewedAt = now });
        }
    }

    /// <summary>
    /// A player's <c>/:/timeline</c> report. Returns the termination text when the session was killed.
    /// </summary>
    public TimelineResult Timeline(SimAccount account, string clientId, PlexItem item, string state, long time, long duration, string? product = null)
    {
        var events = new List<SimEvent>();
        string? termination;
        PlaySession? session;
        lock (Gate)
        {
            var now = Now;
            var key = clientId + "|" + account.LocalId;
            if (_terminated.Remove(key, out termination))
            {
                var index = _terminations.FindLastIndex(t => t.ClientIdentifier == clientId && t.Account == account.Name && !t.Delivered);
                if (index >= 0)
                {
                    _terminations[index] = _terminations[index] with { Delivered = true };
                }

                return new TimelineResult(termination, null);
            }

            _sessions.TryGetValue(key, out session);
            if (session is not null && session.Item != item)
            {
                // A new item on the same player is a new session.
                _sessions.Remove(key);
                session.State = "stopped";
                events.Add(new PlaybackEvent("media.stop", account, session.Item, session));
                events.Add(new PlayingReport(session));
                session = null;
            }

            // A lone "stopped" past the threshold still plays the item (PLEX-API.md 5.4): it goes through
            // a session of its own below, without play webhooks; below the threshold it only keeps the offset.
            var stopOnly = session is null && state == "stopped";
            if (stopOnly && !(duration > 0 && time >= duration * Options.PlayedThreshold))
            {
                if (time > 0)
                {
                    Update(account, item, s => s with { ViewOffset = time, LastViewedAt = now });
                }

                return new TimelineResult(null, null);
            }

            if (session is null)
            {
                var sessionKey = _nextSessionKey++;
                session = new PlaySession
                {
                    SessionKey = sessionKey.ToString(CultureInfo.InvariantCulture),
                    SessionId = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(sessionKey * 7 + Options.Seed)))[..24],
                    Account = account,
                    ClientIdentifier = clientId,
                    Item = item,
                    State = state,
                    ViewOffset = time,
                    Duration = duration,
                    PlayQueueId = 100 + sessionKey,
                    PausedAt = state == "paused" ? now : null,
                };
                if (product is not null)
                {
                    session.Product = product;
                    session.DeviceName = product;
                }

                _sessions[key] = session;
                DeviceId(clientId);
                if (!stopOnly)
                {
                    events.Add(new PlaybackEvent("media.play", account, item, session));
                }

                if (account.Kind != SimAccountKind.Owner && !stopOnly)
                {
                    events.Add(new PlaybackEvent("playback.started", account, item, session));
                }
            }
            else
            {
                var previous = session.State;
                session.State = state;
                if (previous != "paused" && state == "paused")
                {
                    session.PausedAt = now;
                    events.Add(new PlaybackEvent("media.pause", account, item, session));
                }
                else if (previous == "paused" && state == "playing")
                {
                    session.PausedAt = null;
                    events.Add(new PlaybackEvent("media.resume", account, item, session));
                }
            }

            if (time > 0)
            {
                session.ViewOffset = time;
            }

            session.Duration = duration;
            var played = duration > 0 && time >= duration * Options.PlayedThreshold;
            if (played && !session.Scrobbled)
            {
                session.Scrobbled = true;
                Update(account, item, s => s with { ViewCount = s.ViewCount + 1, LastViewedAt = now, ViewOffset = 0 });
                _history.Add(new HistoryRow(_nextHistoryId++, account.LocalId, DeviceId(clientId), item.RatingKey, now));
                events.Add(new PlaybackEvent("media.scrobble", account, item, session));
            }
            else if (!session.Scrobbled && time > 0)
            {
                Update(account, item, s => s with { ViewOffset = time, LastViewedAt = now });
            }
            else
            {
                Update(account, item, s => s with { LastViewedAt = now });
            }

            events.Add(new PlayingReport(session));
            if (state == "stopped")
            {
                _sessions.Remove(key);
                events.Add(new PlaybackEvent("media.stop", account, item, session));
            }
        }

        foreach (var e in events)
        {
            Raise(e);
        }

        return new TimelineResult(null, session);
    }

    public List<PlaySession> Sessions()
    {
        lock (Gate)
        {
            return [.. _sessions.Values.OrderBy(s => int.Parse(s.SessionKey, CultureInfo.InvariantCulture))];
        }
    }

    public bool Terminate(string sessionId, string reason)
    {
        PlaySession? found;
        lock (Gate)
        {
            found = _sessions.FirstOrDefault(kv => kv.Value.SessionId == sessionId).Value;
            if (found is null)
            {
                return false;
            }

            var key = found.ClientIdentifier + "|" + found.Account.LocalId;
            _sessions.Remove(key);
            _terminated[key] = reason;
            _terminations.Add(new Termination(found.SessionId, found.SessionKey, found.Account.Name, found.ClientIdentifier, found.Item.RatingKey, reason, Now, false));
            found.State = "stopped";
        }

        Raise(new PlayingReport(found));
        return true;
    }

    /// <summary>Every terminate call so far, oldest first, with the reason the player gets (or got) on its next timeline call.</summary>
    public List<Termination> Terminations()
    {
        lock (Gate)
        {
            return [.. _terminations];
        }
    }

    /// <summary>Changes a live session's stream details under the state lock.</summary>
    public void Configure(PlaySession session, Action<PlaySession> change)
    {
        lock (Gate)
        {
            change(session);
        }
    }

    /// <summary>Drops a session without any event ("player vanished" is the opposite: see the control API).</summary>
    public void ResetSessions()
    {
        lock (Gate)
        {
            _sessions.Clear();
            _terminated.Clear();
            _terminations.Clear();
            _nextSessionKey = 1;
        }
    }

    public List<HistoryRow> History()
    {
        lock (Gate)
        {
            return [.. _history];
        }
    }

    public bool DeleteHistory(long id, SimAccount account)
    {
        lock (Gate)
        {
            var index = _history.FindIndex(h => h.Id == id && (account.IsOwner || h.AccountId == account.LocalId));
            if (index < 0)
            {
                return false;
            }

            _history.RemoveAt(index);
            return true;
        }
    }

    public IReadOnlyDictionary<string, long> Devices()
    {
        lock (Gate)
        {
            return new Dictionary<string, long>(_devices, StringComparer.Ordinal);
        }
    }

    /// <summary>Label edit of PUT /library/sections/{id}/all. Returns false when an id is unknown.</summary>
    public bool EditLabels(IReadOnlyList<PlexItem> targets, IReadOnlyList<string>? replace, IReadOnlyList<string>? remove, bool? locked, string? title)
    {
        lock (Gate)
        {
            var now = Now;
            foreach (var item in targets)
            {
                if (replace is not null)
                {
                    item.Labels = [.. replace.Where(s => s.Length > 0).Select(LabelIdLocked).Distinct()];
                }

                if (remove is not null)
                {
                    var removeIds = remove.Count == 0 ? null : remove.Select(LabelIdLocked).ToHashSet();
                    item.Labels = removeIds is null ? [] : [.. item.Labels.Where(l => !removeIds.Contains(l))];
                }

                if (locked is { } l)
                {
                    item.LabelLocked = l;
                }

                if (title is not null)
                {
                    item.Title = title;
                    item.TitleSort = title;
                }

                item.UpdatedAt = now;
            }
        }

        if (Options.TimelineOnWrites)
        {
            foreach (var item in targets)
            {
                Raise(new LibraryItemEvent(item, 5, null));
            }
        }

        return true;
    }

    public int EmptyTrash(int sectionId)
    {
        List<PlexItem> removed;
        lock (Gate)
        {
            removed = [.. _items.Values.Where(i => i.SectionId == sectionId && i.Unavailable && !i.Deleted)];
            foreach (var item in removed)
            {
                RemoveLocked(item);
            }
        }

        foreach (var item in removed)
        {
            Raise(new LibraryItemEvent(item, 9, "deleted"));
        }

        return removed.Count;
    }

    public PlexItem AddMovie(int sectionId, string title, int year, string? primaryGuid, long duration, string[]? externalGuids = null)
    {
        PlexItem item;
        lock (Gate)
        {
            var key = _nextRatingKey++;
            var now = Now;
            item = new PlexItem
            {
                RatingKey = key,
                Type = ItemType.Movie,
                SectionId = sectionId,
                Title = title,
                TitleSort = title,
                Year = year,
                Duration = duration,
                AddedAt = now,
                UpdatedAt = now,
                PrimaryGuid = primaryGuid ?? $"local://{key}",
                MediaId = key + 100_000,
                PartId = key + 600_000,
                File = $"/data/media/movies/{title} ({year})/{title} ({year}).mkv",
                OriginallyAvailableAt = $"{year:D4}-01-01",
                ExternalGuids = externalGuids ?? [],
            };
            _items[key] = item;
            _roots[sectionId].Add(item);
            Changed();
        }

        Raise(new LibraryItemEvent(item, 0, "created"));
        Raise(new LibraryItemEvent(item, 5, null));
        Raise(new LibraryNewEvent(item));
        return item;
    }

    public PlexItem AddEpisode(PlexItem season, string title, int index, long duration)
    {
        PlexItem item;
        lock (Gate)
        {
            var key = _nextRatingKey++;
            var now = Now;
            var show = season.Parent!;
            item = new PlexItem
            {
                RatingKey = key,
                Type = ItemType.Episode,
                SectionId = season.SectionId,
                Parent = season,
                Index = index,
                Title = title,
                Year = season.Year,
                Duration = duration,
                AddedAt = now,
                UpdatedAt = now,
                PrimaryGuid = $"local://{key}",
                MediaId = key + 100_000,
                PartId = key + 600_000,
                File = $"/data/media/tv/{show.Title}/Season {season.Index:D2}/{show.Title} - S{season.Index:D2}E{index:D2}.mkv",
            };
            _items[key] = item;
            // Copy on write: readers walk Children outside the lock.
            season.Children = [.. season.Children!, item];
            Changed();
        }

        Raise(new LibraryItemEvent(item, 0, "created"));
        Raise(new LibraryItemEvent(item, 5, null));
        Raise(new LibraryNewEvent(item));
        return item;
    }

    public bool Remove(PlexItem item)
    {
        lock (Gate)
        {
            if (item.Deleted)
            {
                return false;
            }

            RemoveLocked(item);
        }

        Raise(new LibraryItemEvent(item, 9, "deleted"));
        return true;
    }

    public void Rename(PlexItem item, string title)
    {
        lock (Gate)
        {
            item.Title = title;
            item.TitleSort = title;
            item.UpdatedAt = Now;
        }

        Raise(new LibraryItemEvent(item, 5, null));
    }

    /// <summary>A metadata refresh bumps updatedAt (PLEX-API.md 10 item 9).</summary>
    public void Refresh(PlexItem item)
    {
        lock (Gate)
        {
            item.UpdatedAt = Now;
        }
    }

    public void MarkUnavailable(PlexItem item, bool unavailable)
    {
        lock (Gate)
        {
            item.Unavailable = unavailable;
            item.DeletedAt = unavailable ? Now : 0;
        }
    }

    public void SetWebhooks(SimAccount account, IEnumerable<Uri> urls)
    {
        lock (Gate)
        {
            _webhooks[account.LocalId] = [.. urls];
        }
    }

    public List<Uri> Webhooks(SimAccount account)
    {
        lock (Gate)
        {
            return [.. _webhooks[account.LocalId]];
        }
    }

    public bool Watchlist(SimAccount account, string ratingKey, bool add)
    {
        lock (Gate)
        {
            if (add)
            {
                _watchlistedAt[account.LocalId][ratingKey] = Now;
                return _watchlists[account.LocalId].Add(ratingKey);
            }

            _watchlistedAt[account.LocalId].Remove(ratingKey);
            return _watchlists[account.LocalId].Remove(ratingKey);
        }
    }

    public List<(string Key, long At)> WatchlistOf(SimAccount account)
    {
        lock (Gate)
        {
            return [.. _watchlistedAt[account.LocalId].Select(kv => (kv.Key, kv.Value)).OrderByDescending(t => t.Value)];
        }
    }

    public long? WatchlistedAt(SimAccount account, string ratingKey)
    {
        lock (Gate)
        {
            return _watchlistedAt[account.LocalId].TryGetValue(ratingKey, out var at) ? at : null;
        }
    }

    /// <summary>Items whose primary guid is <c>plex://…/{hex}</c> (the online ratingKey).</summary>
    public PlexItem? ItemByOnlineKey(string hex)
    {
        lock (Gate)
        {
            return _items.Values.FirstOrDefault(i => !i.Deleted && i.Type is ItemType.Movie or ItemType.Show && i.PrimaryGuid.EndsWith("/" + hex, StringComparison.Ordinal));
        }
    }

    /// <summary>The online movies or shows whose external guids hold <paramref name="externalId"/> (<c>tmdb://603</c>): Discover's matches.</summary>
    public List<PlexItem> ItemsByExternalGuid(string externalId, ItemType type)
    {
        lock (Gate)
        {
            return [.. _items.Values.Where(i => !i.Deleted && i.Type == type && i.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal) && i.ExternalGuids.Contains(externalId, StringComparer.Ordinal))
                .DistinctBy(i => i.PrimaryGuid)];
        }
    }

    public Dictionary<string, UserState> DumpState(SimAccount account) =>
        new(_userStates[account.LocalId], StringComparer.Ordinal);

    internal long DeviceId(string clientId)
    {
        lock (Gate)
        {
            if (!_devices.TryGetValue(clientId, out var id))
            {
                id = _devices.Count + 10;
                _devices[clientId] = id;
            }

            return id;
        }
    }

    private void AfterWrite(PlexItem item)
    {
        if (Options.TimelineOnWrites)
        {
            Raise(new LibraryItemEvent(item, 5, null));
        }
    }

    private void Update(SimAccount account, PlexItem item, Func<UserState, UserState> change)
    {
        var states = _userStates[account.LocalId];
        var current = states.TryGetValue(item.PrimaryGuid, out var s) ? s : default;
        states[item.PrimaryGuid] = change(current);
        Changed();
    }

    /// <summary>Moves <see cref="Revision"/> on after a write to the roots or the watch state (item fields move it themselves).</summary>
    private void Changed() => Interlocked.Increment(ref _revision);

    private int LabelIdLocked(string name)
    {
        if (!_labelIds.TryGetValue(name, out var id))
        {
            id = _nextLabelId++;
            _labelIds[name] = id;
            _labelNames[id] = name;
        }

        return id;
    }

    private void RemoveLocked(PlexItem item)
    {
        foreach (var child in item.Children ?? [])
        {
            RemoveLocked(child);
        }

        item.Deleted = true;
        _items.Remove(item.RatingKey);
        if (item.Parent is null)
        {
            _roots[item.SectionId].Remove(item);
        }
        else
        {
            item.Parent.Children = [.. item.Parent.Children!.Where(c => c != item)];
        }

        Changed();
    }

    private void SeedLabelsAndState(List<PlexItem> items)
    {
        var random = new Random(Options.Seed + 1);
        string[] labels = ["favorites", "4k-candidate", "kids", "rewatch"];
        foreach (var item in items)
        {
            if (item.Type is ItemType.Movie or ItemType.Show && random.NextDouble() < 0.1)
            {
                item.Labels = [LabelIdLocked(labels[random.Next(labels.Length)])];
            }

            if (!item.IsLeaf)
            {
                continue;
            }

            foreach (var account in Accounts)
            {
                var roll = random.NextDouble();
                if (roll < 0.25)
                {
                    var viewedAt = item.AddedAt + random.Next(1, 30_000_000);
                    Update(account, item, s => s with { ViewCount = s.ViewCount + 1, LastViewedAt = viewedAt });
                    _history.Add(new HistoryRow(_nextHistoryId++, account.LocalId, 10 + account.Kind switch { SimAccountKind.Owner => 0, _ => 1 }, item.RatingKey, viewedAt));
                }
                else if (roll < 0.3)
                {
                    var at = item.AddedAt + random.Next(1, 30_000_000);
                    var offset = (long)(item.Duration * random.NextDouble() * 0.8) + 60_000;
                    Update(account, item, s => s with { ViewOffset = offset, LastViewedAt = at });
                }

                if (random.NextDouble() < 0.05)
                {
                    var rating = random.Next(1, 11);
                    var ratedAt = item.AddedAt + random.Next(1, 30_000_000);
                    Update(account, item, s => s with { UserRating = rating, LastRatedAt = ratedAt });
                }
            }
        }

        _history.Sort((a, b) => a.ViewedAt.CompareTo(b.ViewedAt));
        _devices["sim-seed-owner-device"] = 10;
        _devices["sim-seed-shared-device"] = 11;
    }

    private static IReadOnlyList<SimAccount> CreateAccounts(PlexSimulatorOptions options)
    {
        var random = new Random(options.Seed + 99);
        string Token() => Convert.ToBase64String(RandomBytes(random, 15)).Replace('+', 'x').Replace('/', 'y');
        string Uuid() => Convert.ToHexStringLower(RandomBytes(random, 8));
        var accounts = new List<SimAccount>
        {
            new("owner", 8_472_915, 1, SimAccountKind.Owner, options.OwnerToken, "srv-" + Token(), null, Uuid()),
        };
        string[] homeNames = ["kid", "partner", "guest", "teen", "grandma", "roommate"];
        for (var i = 0; i < options.HomeUsers; i++)
        {
            var id = 31_945_687L + (i * 1013);
            var name = i < homeNames.Length ? homeNames[i] : $"home{i + 1}";
            accounts.Add(new(name, id, id, SimAccountKind.Home, "acct-" + Token(), "srv-" + Token(), i % 2 == 1 ? $"{1234 + i:D4}" : null, Uuid()));
        }

        string[] friendNames = ["bob", "carol", "dave", "erin", "frank"];
        for (var i = 0; i < options.Friends; i++)
        {
            var id = 21_458_372L + (i * 977);
            var name = i < friendNames.Length ? friendNames[i] : $"friend{i + 1}";
            accounts.Add(new(name, id, id, SimAccountKind.Friend, "acct-" + Token(), "srv-" + Token(), null, Uuid()));
        }

        return accounts;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}

public readonly record struct AggregateState(int ViewCount, long LastViewedAt, long ViewOffset, double? UserRating, long LastRatedAt, int LeafCount, int ViewedLeafCount, int ChildCount);

public sealed record TimelineResult(string? TerminationText, PlaySession? Session);
