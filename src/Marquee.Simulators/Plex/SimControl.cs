using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Plex;

/// <summary>How plex.tv fails, for outage tests: not at all, refusing connections (listener stopped), or 500 to every call.</summary>
public enum PlexTvOutage
{
    None,
    Unreachable,
    Error500,
}

/// <summary>Result of a simulated playback.</summary>
public sealed record PlayResult(string SessionKey, string SessionId, bool Scrobbled, long ViewOffset);

/// <summary>
/// Control surface for tests and the <c>/_sim</c> HTTP API (not part of Plex). Every HTTP control call
/// goes through these methods.
/// </summary>
public sealed class SimControl
{
    private readonly PlexState _state;
    private readonly SimHarness _harness;
    private readonly EventStream _stream;
    private readonly WebhookDispatcher _webhooks;
    private readonly PinStore _pins;

    internal SimControl(PlexState state, SimHarness harness, EventStream stream, WebhookDispatcher webhooks, PinStore pins)
    {
        _state = state;
        _harness = harness;
        _stream = stream;
        _webhooks = webhooks;
        _pins = pins;
    }

    public PlexState State => _state;

    public SimHarness Harness => _harness;

    /// <summary>Gets the community side: watchlist privacy per account, titles watchlisted that no library holds.</summary>
    public CommunityState Community { get; init; } = new();

    public EventStream Stream => _stream;

    public WebhookDispatcher Webhooks => _webhooks;

    public IReadOnlyDictionary<string, long> RequestCounts => _harness.RequestCounts;

    public void ResetCounts() => _harness.ResetCounts();

    public void SetClock(DateTimeOffset now) => _state.Clock.Set(now);

    public void AdvanceClock(TimeSpan by) => _state.Clock.Advance(by);

    public DateTimeOffset Now => _state.Clock.GetUtcNow();

    public void SetFault(string endpoint, FaultSpec? spec) => _harness.SetFault(endpoint, spec);

    public void ClearFaults() => _harness.ClearFaults();

    public void SetLatency(int ms) => _harness.LatencyMs = ms;

    /// <summary>Gets the current plex.tv outage.</summary>
    public PlexTvOutage PlexTvOutage { get; private set; }

    /// <summary>Stops or restarts the plex.tv listener (same port) as the outage needs it; set by the simulator.</summary>
    internal Func<bool, Task>? PlexTvListening { get; set; }

    /// <summary>Makes plex.tv unreachable (connections refused) or answer 500 to everything, or lifts the outage.</summary>
    public async Task SetPlexTvOutageAsync(PlexTvOutage outage)
    {
        PlexTvOutage = outage;
        if (PlexTvListening is { } listening)
        {
            await listening(outage != PlexTvOutage.Unreachable);
        }
    }

    public SimAccount Account(string nameOrId) =>
        _state.AccountByName(nameOrId)
        ?? (long.TryParse(nameOrId, System.Globalization.CultureInfo.InvariantCulture, out var id) ? _state.Accounts.FirstOrDefault(a => a.LocalId == id || a.PlexTvId == id) : null)
        ?? throw new KeyNotFoundException($"No account '{nameOrId}'.");

    public PlexItem Item(int ratingKey) => _state.Item(ratingKey) ?? throw new KeyNotFoundException($"No item {ratingKey}.");

    /// <summary>
    /// Plays <paramref name="ratingKey"/> as <paramref name="account"/> up to <paramref name="positionMs"/>
    /// through the same path as <c>/:/timeline</c>: session, event stream, webhooks, and at the played
    /// threshold a history row and media.scrobble. <paramref name="stop"/> ends the session afterwards.
    /// </summary>
    public PlayResult Play(string account, int ratingKey, long positionMs, bool stop = false, string clientId = "sim-player", bool pause = false)
    {
        var who = Account(account);
        var item = Item(ratingKey);
        if (!item.IsLeaf)
        {
            throw new ArgumentException("Only movies and episodes can be played.", nameof(ratingKey));
        }

        // A player starting the item reports its first second; one already playing it goes on from where it is (it
        // does not jump back to the start on the way).
        var continuing = _state.Sessions().Any(s => s.ClientIdentifier == clientId && s.Account == who && s.Item == item);
        var result = continuing ? null : _state.Timeline(who, clientId, item, "playing", Math.Min(positionMs, 1000), item.Duration);
        if (continuing || positionMs > 1000)
        {
            result = _state.Timeline(who, clientId, item, "playing", positionMs, item.Duration);
        }

        if (pause)
        {
            result = _state.Timeline(who, clientId, item, "paused", positionMs, item.Duration);
        }

        var session = result!.Session!;
        if (stop)
        {
            _state.Timeline(who, clientId, item, "stopped", positionMs, item.Duration);
        }

        return new PlayResult(session.SessionKey, session.SessionId, session.Scrobbled, session.ViewOffset);
    }

    /// <summary>
    /// Starts a playback that stays open, as a player would through <c>/:/timeline</c>, with the stream details
    /// <c>/status/sessions</c> shows: player, platform, transcode decisions and output height, LAN or WAN with
    /// bandwidth, and optionally paused since <see cref="SessionSpec.PausedMinutes"/> ago.
    /// </summary>
    public PlayResult StartSession(SessionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var who = Account(spec.Account);
        var item = Item(spec.RatingKey);
        if (!item.IsLeaf)
        {
            throw new ArgumentException("Only movies and episodes can be played.", nameof(spec));
        }

        string[] decisions = ["directplay", "copy", "transcode"];
        if (!decisions.Contains(spec.VideoDecision ?? "directplay") || !decisions.Contains(spec.AudioDecision ?? "directplay"))
        {
            throw new ArgumentException("Decisions are directplay, copy or transcode.", nameof(spec));
        }

        if (spec.Location is not (null or "lan" or "wan") || spec.Bandwidth < 0 || spec.PausedMinutes < 0 || spec.OutputHeight < 0)
        {
            throw new ArgumentException("location is lan or wan; bandwidth, pausedMinutes and outputHeight are not negative.", nameof(spec));
        }

        var clientId = spec.ClientId ?? "sim-player";
        var position = Math.Max(1000, spec.PositionMs ?? 1000);

        // A player whose session was terminated learns it on its next report (which opens nothing); it then starts anew.
        var session = _state.Timeline(who, clientId, item, "playing", position, item.Duration, spec.Product).Session
            ?? _state.Timeline(who, clientId, item, "playing", position, item.Duration, spec.Product).Session!;
        _state.Configure(session, s =>
        {
            s.Platform = spec.Platform ?? s.Platform;
            s.DeviceName = spec.Device ?? s.DeviceName;
            s.VideoDecision = spec.VideoDecision ?? "directplay";
            s.AudioDecision = spec.AudioDecision ?? "directplay";
            s.OutputHeight = spec.OutputHeight ?? 0;
            s.Location = spec.Location ?? "lan";
            s.Bandwidth = spec.Bandwidth ?? (s.Location == "wan" ? 8000 : 12000);
            s.Address = s.Location == "wan" ? "203.0.113.7" : "192.168.1.20";
        });
        if (spec.Paused)
        {
            _state.Timeline(who, clientId, item, "paused", session.ViewOffset, item.Duration);
            _state.Configure(session, s => s.PausedAt = Now.ToUnixTimeSeconds() - ((spec.PausedMinutes ?? 0) * 60L));
        }

        return new PlayResult(session.SessionKey, session.SessionId, session.Scrobbled, session.ViewOffset);
    }

    /// <summary>A player's next <c>/:/timeline</c> report: returns the termination text when its session was terminated.</summary>
    public string? Report(string account, string clientId, int ratingKey, string state = "playing") =>
        _state.Timeline(Account(account), clientId, Item(ratingKey), state, 2000, Item(ratingKey).Duration).TerminationText;

    /// <summary>Every terminate call so far with the reason the player gets.</summary>
    public IReadOnlyList<Termination> Terminations => _state.Terminations();

    /// <summary><see cref="Play"/>, then waits until the webhooks it caused have been posted.</summary>
    public async Task<PlayResult> PlayAsync(string account, int ratingKey, long positionMs, bool stop = false, string clientId = "sim-player", bool pause = false, CancellationToken ct = default)
    {
        var result = Play(account, ratingKey, positionMs, stop, clientId, pause);
        await _webhooks.WaitIdleAsync(ct);
        return result;
    }

    /// <summary>Manual mark watched/unwatched as the Plex UI does: no webhook, no history row.</summary>
    public void Mark(string account, int ratingKey, bool watched)
    {
        var who = Account(account);
        var item = Item(ratingKey);
        if (watched)
        {
            _state.Scrobble(who, item);
        }
        else
        {
            _state.Unscrobble(who, item);
        }
    }

    public PlexItem AddMovie(int sectionId, string title, int year, string? primaryGuid = null, long durationMs = 6_000_000, string[]? externalGuids = null) =>
        _state.Section(sectionId) is { Type: "movie" }
            ? _state.AddMovie(sectionId, title, year, primaryGuid, durationMs, externalGuids)
            : throw new ArgumentException("Not a movie section.", nameof(sectionId));

    public PlexItem AddEpisode(int seasonRatingKey, string title, int index, long durationMs = 2_400_000)
    {
        var season = Item(seasonRatingKey);
        return season.Type == ItemType.Season ? _state.AddEpisode(season, title, index, durationMs) : throw new ArgumentException("Not a season.", nameof(seasonRatingKey));
    }

    public bool Remove(int ratingKey) => _state.Item(ratingKey) is { } item && _state.Remove(item);

    public void Rename(int ratingKey, string title) => _state.Rename(Item(ratingKey), title);

    public void MarkUnavailable(int ratingKey, bool unavailable = true) => _state.MarkUnavailable(Item(ratingKey), unavailable);

    public bool ApprovePin(int pinId, string account) => _pins.Approve(pinId, Account(account));

    public void SetWebhooks(string account, IEnumerable<Uri> urls) => _state.SetWebhooks(Account(account), urls);

    public void SendAdminWebhook(string name) => _state.Raise(new AdminEvent(name));

    public Task WaitForWebhooksAsync(CancellationToken ct) => _webhooks.WaitIdleAsync(ct);

    public AccountDump Dump(string account)
    {
        var who = Account(account);
        var states = _state.DumpState(who)
            .Where(kv => !kv.Value.IsEmpty)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var history = _state.History().Where(h => h.AccountId == who.LocalId).ToList();
        var sessions = _state.Sessions().Where(s => s.Account == who).Select(s => new SessionDump(s.SessionKey, s.SessionId, s.Item.RatingKey, s.State, s.ViewOffset, s.ClientIdentifier, s.Product, s.VideoDecision, s.AudioDecision, s.Location, s.Bandwidth, s.PausedAt)).ToList();
        return new AccountDump(who.Name, who.PlexTvId, who.LocalId, states, history, sessions, _state.WatchlistOf(who).Select(w => w.Key).ToList());
    }
}

/// <summary>A playback to start: who, what, on which player, and how it streams.</summary>
public sealed record SessionSpec(
    string Account,
    int RatingKey,
    string? ClientId = null,
    string? Product = null,
    string? Platform = null,
    string? Device = null,
    string? VideoDecision = null,
    string? AudioDecision = null,
    int? OutputHeight = null,
    string? Location = null,
    int? Bandwidth = null,
    bool Paused = false,
    int? PausedMinutes = null,
    long? PositionMs = null);

public sealed record SessionDump(string SessionKey, string SessionId, int RatingKey, string State, long ViewOffset, string ClientId, string Product, string VideoDecision, string AudioDecision, string Location, int Bandwidth, long? PausedAt);

/// <summary>An account's whole state keyed by item guid (Plex keys user state by account and guid).</summary>
public sealed record AccountDump(
    string Name,
    long PlexTvId,
    long LocalId,
    IReadOnlyDictionary<string, UserState> States,
    IReadOnlyList<HistoryRow> History,
    IReadOnlyList<SessionDump> Sessions,
    IReadOnlyList<string> Watchlist);
