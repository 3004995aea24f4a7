using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Marquee.Simulators.Infrastructure;

namespace Marquee.Simulators.Trakt;

public enum DeviceCodeState
{
    Pending,
    Approved,
    Denied,
    Used,
}

public sealed class TraktDeviceCode
{
    public required string DeviceCode { get; init; }

    public required string UserCode { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DeviceCodeState State { get; set; }

    public string? Account { get; set; }

    public DateTimeOffset? LastPoll { get; set; }

    public int Polls { get; set; }
}

public sealed record TraktToken(string AccessToken, string RefreshToken, string Account, long CreatedAt, int ExpiresIn)
{
    public JsonObject ToJson() => new()
    {
        ["access_token"] = AccessToken,
        ["token_type"] = "bearer",
        ["expires_in"] = ExpiresIn,
        ["refresh_token"] = RefreshToken,
        ["scope"] = "public",
        ["created_at"] = CreatedAt,
    };
}

/// <summary>The whole simulated service: catalogue, accounts, tokens and device codes, under one lock.</summary>
public sealed class TraktState
{
    private readonly Dictionary<string, TraktAccount> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TraktToken> _access = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TraktToken> _refresh = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TraktDeviceCode> _devices = new(StringComparer.Ordinal);
    private long _nextHistoryId = 10_000_000_000;
    private long _nextListId = 1_100_000;
    private long _nextPlaybackId = 5_000_000;

    public TraktState(TraktSimulatorOptions options, SimClock clock, TimeProvider realTime)
    {
        Options = options;
        Clock = clock;
        RealTime = realTime;
        Catalog = new TraktCatalog(options.Seed, options.Movies, options.Shows, options.Seasons, options.EpisodesPerSeason);
        TokenLifetimeSeconds = options.TokenLifetimeSeconds;
        WatchlistLimit = options.WatchlistLimit;
        foreach (var name in options.Accounts)
        {
            _accounts[name] = new TraktAccount(name, clock.GetUtcNow());
        }
    }

    public TraktSimulatorOptions Options { get; }

    public SimClock Clock { get; }

    /// <summary>The wall clock of polling intervals and rate limits (they must pass in real time even when the simulator clock is frozen).</summary>
    public TimeProvider RealTime { get; }

    public TraktCatalog Catalog { get; }

    public Lock Gate { get; } = new();

    public int TokenLifetimeSeconds { get; set; }

    public int WatchlistLimit { get; set; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public IReadOnlyList<TraktAccount> Accounts
    {
        get
        {
            lock (Gate)
            {
                return [.. _accounts.Values];
            }
        }
    }

    public TraktAccount? Account(string name)
    {
        lock (Gate)
        {
            return _accounts.GetValueOrDefault(name);
        }
    }

    // ---- OAuth ----------------------------------------------------------------------------------------

    public TraktDeviceCode NewDeviceCode()
    {
        lock (Gate)
        {
            var code = new TraktDeviceCode
            {
                DeviceCode = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                UserCode = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)),
                ExpiresAt = Now.AddSeconds(Options.DeviceCodeLifetimeSeconds),
            };
            _devices[code.DeviceCode] = code;
            return code;
        }
    }

    public TraktDeviceCode? DeviceByUserCode(string userCode)
    {
        lock (Gate)
        {
            return _devices.Values.FirstOrDefault(d => string.Equals(d.UserCode, userCode, StringComparison.OrdinalIgnoreCase));
        }
    }

    public IReadOnlyList<TraktDeviceCode> DeviceCodes
    {
        get
        {
            lock (Gate)
            {
                return [.. _devices.Values];
            }
        }
    }

    /// <summary>One poll of <c>/oauth/device/token</c>: the status and, at 200, the token.</summary>
    public (int Status, TraktToken? Token) Poll(string deviceCode)
    {
        lock (Gate)
        {
            if (!_devices.TryGetValue(deviceCode, out var code))
            {
                return (404, null);
            }

            var wall = RealTime.GetUtcNow();
            var tooSoon = code.LastPoll is { } last && wall - last < TimeSpan.FromSeconds(Options.PollIntervalSeconds);
            code.LastPoll = wall;
            code.Polls++;
            if (code.State == DeviceCodeState.Used)
            {
                return (409, null);
            }

            if (Now >= code.ExpiresAt)
            {
                return (410, null);
            }

            if (code.State == DeviceCodeState.Denied)
            {
                return (418, null);
            }

            if (tooSoon)
            {
                return (429, null);
            }

            if (code.State == DeviceCodeState.Pending && Options.AutoApprove is { } auto && code.Polls >= 2 && _accounts.ContainsKey(auto))
            {
                code.State = DeviceCodeState.Approved;
                code.Account = auto;
            }

            if (code.State == DeviceCodeState.Pending)
            {
                return (400, null);
            }

            code.State = DeviceCodeState.Used;
            return (200, IssueLocked(code.Account!));
        }
    }

    public void Decide(TraktDeviceCode code, string? account)
    {
        lock (Gate)
        {
            if (account is not null && !_accounts.ContainsKey(account))
            {
                throw new KeyNotFoundException($"No account '{account}'.");
            }

            if (code.State != DeviceCodeState.Pending)
            {
                throw new ArgumentException($"The code {code.UserCode} is {code.State.ToString().ToLowerInvariant()}, not pending.");
            }

            code.State = account is null ? DeviceCodeState.Denied : DeviceCodeState.Approved;
            code.Account = account;
        }
    }

    public TraktToken Issue(string account)
    {
        lock (Gate)
        {
            if (!_accounts.ContainsKey(account))
            {
                throw new KeyNotFoundException($"No account '{account}'.");
            }

            return IssueLocked(account);
        }
    }

    /// <summary>Exchanges a refresh token once; the old one (and its access token) stop working.</summary>
    public TraktToken? Refresh(string refreshToken)
    {
        lock (Gate)
        {
            if (!_refresh.Remove(refreshToken, out var old))
            {
                return null;
            }

            _access.Remove(old.AccessToken);
            return IssueLocked(old.Account);
        }
    }

    public bool Revoke(string token)
    {
        lock (Gate)
        {
            if (_access.Remove(token, out var byAccess))
            {
                _refresh.Remove(byAccess.RefreshToken);
                return true;
            }

            if (_refresh.Remove(token, out var byRefresh))
            {
                _access.Remove(byRefresh.AccessToken);
                return true;
            }

            return false;
        }
    }

    /// <summary>The account of a valid, unexpired access token.</summary>
    public TraktAccount? Authenticate(string accessToken)
    {
        lock (Gate)
        {
            if (!_access.TryGetValue(accessToken, out var token) || Now.ToUnixTimeSeconds() >= token.CreatedAt + token.ExpiresIn)
            {
                return null;
            }

            return _accounts.GetValueOrDefault(token.Account);
        }
    }

    public void RevokeAll()
    {
        lock (Gate)
        {
            _access.Clear();
            _refresh.Clear();
        }
    }

    private TraktToken IssueLocked(string account)
    {
        var token = new TraktToken(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            _accounts[account].Name,
            Now.ToUnixTimeSeconds(),
            TokenLifetimeSeconds);
        _access[token.AccessToken] = token;
        _refresh[token.RefreshToken] = token;
        return token;
    }

    // ---- history ----------------------------------------------------------------------------------------

    /// <summary>Reads a <c>watched_at</c>: absent is now, "released" the release date, "unknown" no date; kept to the minute.</summary>
    public DateTimeOffset? WatchedAt(TraktBulkItem item)
    {
        var node = item.Meta("watched_at");
        if (node is null)
        {
            return TraktJson.ToMinute(Now);
        }

        var text = node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : throw new FormatException("watched_at must be a string");
        return text switch
        {
            "released" => TraktJson.ToMinute(item.Media.Released ?? Now),
            "unknown" => null,
            _ => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                ? TraktJson.ToMinute(date)
                : throw new FormatException($"watched_at '{text}' is not a date"),
        };
    }

    public JsonObject AddHistory(TraktAccount account, TraktBulk bulk, string action = "watch")
    {
        lock (Gate)
        {
            var dates = bulk.Items.Select(WatchedAt).ToList();
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < bulk.Items.Count; i++)
            {
                var media = bulk.Items[i].Media;
                account.Plays.Add(new TraktPlay(_nextHistoryId++, media, dates[i], action));
                counts[TraktJson.Plural(media.Kind)] = counts.GetValueOrDefault(TraktJson.Plural(media.Kind)) + 1;
                account.Touch(media, "watched_at", Now);
                AutoRemoveFromWatchlist(account, media);
            }

            return new JsonObject { ["added"] = TraktJson.Counts(counts, "movies", "episodes"), ["not_found"] = bulk.NotFoundJson() };
        }
    }

    public JsonObject RemoveHistory(TraktAccount account, TraktBulk bulk, IReadOnlyList<long> ids)
    {
        lock (Gate)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var targets = bulk.Items.Select(i => i.Media).ToHashSet();
            var idSet = ids.ToHashSet();
            var removed = account.Plays.Where(p => targets.Contains(p.Media) || idSet.Contains(p.Id)).ToList();
            foreach (var play in removed)
            {
                account.Plays.Remove(play);
                counts[TraktJson.Plural(play.Media.Kind)] = counts.GetValueOrDefault(TraktJson.Plural(play.Media.Kind)) + 1;
                account.Touch(play.Media, "watched_at", Now);
            }

            var unknown = new JsonArray([.. ids.Where(id => !removed.Any(p => p.Id == id)).Select(id => (JsonNode)JsonValue.Create(id))]);
            return new JsonObject { ["deleted"] = TraktJson.Counts(counts, "movies", "episodes"), ["not_found"] = bulk.NotFoundJson(unknown) };
        }
    }

    private void AutoRemoveFromWatchlist(TraktAccount account, TraktMedia watched)
    {
        var gone = account.Watchlist.RemoveAll(e => e.Media == watched || e.Media == watched.Parent || e.Media == watched.Show);
        if (gone > 0)
        {
            account.Touch("watchlist.updated_at", Now);
        }
    }

    // ---- ratings ------------------------------------------------------------------------------------------

    public JsonObject AddRatings(TraktAccount account, TraktBulk bulk)
    {
        lock (Gate)
        {
            var values = new List<(TraktMedia Media, int Rating, DateTimeOffset At)>();
            foreach (var item in bulk.Items)
            {
                var rating = item.Meta("rating") is JsonValue r && r.TryGetValue<int>(out var n) && n is >= 1 and <= 10
                    ? n
                    : throw new FormatException("rating must be a whole number from 1 to 10");
                var at = item.Meta("rated_at") is JsonValue ra && DateTimeOffset.TryParse(ra.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed.ToUniversalTime()
                    : item.Meta("rated_at") is null ? Now : throw new FormatException("rated_at is not a date");
                values.Add((item.Media, rating, at));
            }

            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (media, rating, at) in values)
            {
                account.Ratings[media] = new TraktRating(media, rating, at);
                counts[TraktJson.Plural(media.Kind)] = counts.GetValueOrDefault(TraktJson.Plural(media.Kind)) + 1;
                account.Touch(media, "rated_at", Now);
            }

            return new JsonObject { ["added"] = TraktJson.Counts(counts, "movies", "shows", "seasons", "episodes"), ["not_found"] = bulk.NotFoundJson() };
        }
    }

    public JsonObject RemoveRatings(TraktAccount account, TraktBulk bulk)
    {
        lock (Gate)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var item in bulk.Items)
            {
                if (account.Ratings.Remove(item.Media))
                {
                    counts[TraktJson.Plural(item.Media.Kind)] = counts.GetValueOrDefault(TraktJson.Plural(item.Media.Kind)) + 1;
                    account.Touch(item.Media, "rated_at", Now);
                }
            }

            return new JsonObject { ["deleted"] = TraktJson.Counts(counts, "movies", "shows", "seasons", "episodes"), ["not_found"] = bulk.NotFoundJson() };
        }
    }

    // ---- watchlist ----------------------------------------------------------------------------------------

    /// <summary>Adds to the watchlist; null when the add would cross the account's limit (a 420).</summary>
    public JsonObject? AddWatchlist(TraktAccount account, TraktBulk bulk)
    {
        lock (Gate)
        {
            var fresh = bulk.Items.Select(i => i.Media).Distinct().Where(m => account.Watchlist.All(e => e.Media != m)).ToList();
            if (account.Watchlist.Count + fresh.Count > WatchlistLimit)
            {
                return null;
            }

            var added = new Dictionary<string, int>(StringComparer.Ordinal);
            var existing = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var item in bulk.Items)
            {
                var key = TraktJson.Plural(item.Media.Kind);
                if (account.Watchlist.Any(e => e.Media == item.Media))
                {
                    existing[key] = existing.GetValueOrDefault(key) + 1;
                    continue;
                }

                account.Watchlist.Add(new TraktWatchlistEntry(_nextListId++, item.Media, TraktJson.ToMinute(Now), item.Meta("notes")?.ToString()));
                added[key] = added.GetValueOrDefault(key) + 1;
                account.Touch(item.Media, "watchlisted_at", Now);
                account.Touch("watchlist.updated_at", Now);
            }

            return new JsonObject
            {
                ["added"] = TraktJson.Counts(added, "movies", "shows", "seasons", "episodes"),
                ["existing"] = TraktJson.Counts(existing, "movies", "shows", "seasons", "episodes"),
                ["not_found"] = bulk.NotFoundJson(),
                ["list"] = ListInfo(account),
            };
        }
    }

    public JsonObject RemoveWatchlist(TraktAccount account, TraktBulk bulk)
    {
        lock (Gate)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var item in bulk.Items)
            {
                if (account.Watchlist.RemoveAll(e => e.Media == item.Media) > 0)
                {
                    counts[TraktJson.Plural(item.Media.Kind)] = counts.GetValueOrDefault(TraktJson.Plural(item.Media.Kind)) + 1;
                    account.Touch(item.Media, "watchlisted_at", Now);
                    account.Touch("watchlist.updated_at", Now);
                }
            }

            return new JsonObject { ["deleted"] = TraktJson.Counts(counts, "movies", "shows", "seasons", "episodes"), ["not_found"] = bulk.NotFoundJson(), ["list"] = ListInfo(account) };
        }
    }

    private static JsonObject ListInfo(TraktAccount account) => new()
    {
        ["updated_at"] = TraktJson.Date(account.Activities["watchlist.updated_at"]),
        ["item_count"] = account.Watchlist.Count,
    };

    // ---- playback ------------------------------------------------------------------------------------------

    /// <summary>Progress kept for the last 6 months only; older entries are dropped as they are read.</summary>
    public IReadOnlyList<TraktPlayback> PlaybackOf(TraktAccount account)
    {
        lock (Gate)
        {
            var cutoff = Now.AddMonths(-6);
            foreach (var old in account.Playback.Values.Where(p => p.PausedAt < cutoff).ToList())
            {
                account.Playback.Remove(old.Media);
            }

            return [.. account.Playback.Values.OrderByDescending(p => p.PausedAt)];
        }
    }

    public TraktPlayback Pause(TraktAccount account, TraktMedia media, double progress)
    {
        lock (Gate)
        {
            var entry = new TraktPlayback(account.Playback.TryGetValue(media, out var old) ? old.Id : _nextPlaybackId++, media, progress, Now);
            account.Playback[media] = entry;
            account.Touch(media, "paused_at", Now);
            return entry;
        }
    }

    public bool DeletePlayback(TraktAccount account, long id)
    {
        lock (Gate)
        {
            var found = account.Playback.Values.FirstOrDefault(p => p.Id == id);
            if (found is null)
            {
                return false;
            }

            account.Playback.Remove(found.Media);
            account.Touch(found.Media, "paused_at", Now);
            return true;
        }
    }

    /// <summary>A scrobble: start clears progress, pause stores it, stop at 80 % or more records a play.</summary>
    public JsonObject Scrobble(TraktAccount account, string action, TraktMedia media, double progress)
    {
        lock (Gate)
        {
            var id = 0L;
            switch (action)
            {
                case "start":
                    account.Playback.Remove(media);
                    break;
                case "pause":
                    id = Pause(account, media, progress).Id;
                    break;
                default:
                    if (progress >= 80)
                    {
                        account.Playback.Remove(media);
                        id = _nextHistoryId++;
                        account.Plays.Add(new TraktPlay(id, media, TraktJson.ToMinute(Now), "scrobble"));
                        account.Touch(media, "watched_at", Now);
                        AutoRemoveFromWatchlist(account, media);
                    }
                    else
                    {
                        id = Pause(account, media, progress).Id;
                        action = "pause";
                    }

                    break;
            }

            var row = new JsonObject { ["id"] = id, ["action"] = action, ["progress"] = progress };
            row[TraktJson.Singular(media.Kind)] = TraktJson.Media(media);
            if (media.Show is { } show)
            {
                row["show"] = TraktJson.Media(show);
            }

            return row;
        }
    }

    // ---- control helpers -------------------------------------------------------------------------------------

    public long Play(TraktAccount account, TraktMedia media, DateTimeOffset? watchedAt, string action = "watch")
    {
        lock (Gate)
        {
            var id = _nextHistoryId++;
            account.Plays.Add(new TraktPlay(id, media, watchedAt is { } w ? TraktJson.ToMinute(w) : null, action));
            account.Touch(media, "watched_at", Now);
            return id;
        }
    }

    public void Rate(TraktAccount account, TraktMedia media, int rating, DateTimeOffset? at)
    {
        lock (Gate)
        {
            account.Ratings[media] = new TraktRating(media, rating, at ?? Now);
            account.Touch(media, "rated_at", Now);
        }
    }

    public bool ListAdd(TraktAccount account, TraktMedia media)
    {
        lock (Gate)
        {
            if (account.Watchlist.Any(e => e.Media == media))
            {
                return false;
            }

            account.Watchlist.Add(new TraktWatchlistEntry(_nextListId++, media, TraktJson.ToMinute(Now), null));
            account.Touch(media, "watchlisted_at", Now);
            account.Touch("watchlist.updated_at", Now);
            return true;
        }
    }

    public bool ListRemove(TraktAccount account, TraktMedia media)
    {
        lock (Gate)
        {
            var removed = account.Watchlist.RemoveAll(e => e.Media == media) > 0;
            if (removed)
            {
                account.Touch("watchlist.updated_at", Now);
            }

            return removed;
        }
    }
}
