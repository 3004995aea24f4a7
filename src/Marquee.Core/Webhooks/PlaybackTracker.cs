using System.Globalization;

namespace Marquee.Core.Webhooks;

/// <summary>One playback as <c>/status/sessions</c> shows it.</summary>
public sealed record SessionSnapshot(
    string SessionKey,
    string AccountId,
    string? AccountName,
    string LocalKey,
    string? ItemGuid,
    string? MediaType,
    long? DurationMs,
    long PositionMs,
    string? State)
{
    /// <summary>Gets the item's title (an episode's own title).</summary>
    public string? Title { get; init; }

    /// <summary>Gets the show's title, for an episode.</summary>
    public string? ShowTitle { get; init; }

    public int? Season { get; init; }

    public int? Episode { get; init; }

    public int? Year { get; init; }

    /// <summary>Gets the player (device) as the server names it.</summary>
    public string? Player { get; init; }

    public string? Platform { get; init; }

    /// <summary>Gets the account's rating of the item (0-10), when it has one.</summary>
    public double? Rating { get; init; }

    /// <summary>Gets the item's poster path on the server (an episode's is its show's), see <see cref="LiveEvent.Poster"/>.</summary>
    public string? Poster { get; init; }
}

/// <summary>
/// Follows the playbacks of one server through the session poller and the event stream, and turns them into live
/// events: a new session is a start, passing the finished threshold of its media type is a watch, and a pause, a
/// stop or a session that vanished is a position. Every event carries what the poll told about the session (titles,
/// player, platform, session key, position, duration). Not thread-safe: one tracker per server, used from one loop.
/// </summary>
public sealed class PlaybackTracker(string source, string? serverId, LiveOptions options)
{
    private readonly Dictionary<string, Tracked> _sessions = new(StringComparer.Ordinal);

    /// <summary>Sessions the event stream ended, with when; a poll asked before that still shows them.</summary>
    private readonly Dictionary<string, DateTimeOffset> _endedByStream = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets a value indicating whether every pause, resume and stop is reported too, as its own kind (beside the
    /// progress a pause or a stop gives sync), for consumers other than sync.
    /// </summary>
    public bool ReportsActivity { get; init; }

    /// <summary>Gets the server's machine identifier, when known.</summary>
    public string? ServerId => serverId;

    /// <summary>Gets the session keys being followed.</summary>
    public IReadOnlyCollection<string> Sessions => _sessions.Keys;

    /// <summary>Returns true when a poll has shown the session and it has not ended since.</summary>
    public bool Follows(string sessionKey) => _sessions.ContainsKey(sessionKey);

    /// <summary>Returns true when the share of <paramref name="durationMs"/> reached is "finished" for the media type.</summary>
    public static bool IsFinished(LiveOptions options, string? mediaType, long positionMs, long? durationMs)
    {
        if (durationMs is not > 0)
        {
            return false;
        }

        var percent = string.Equals(mediaType, "episode", StringComparison.Ordinal) ? options.EpisodeFinishedPercent : options.MovieFinishedPercent;
        return positionMs * 100.0 / durationMs.Value >= percent;
    }

    /// <summary>
    /// A poll of the server's sessions: all playbacks as the server showed them after <paramref name="asked"/>. What
    /// the event stream told about a session after that time is newer than the poll: such a session keeps the stream's
    /// position and state, is not taken for gone when the poll misses it, and is not started again when the stream
    /// ended it.
    /// </summary>
    public IReadOnlyList<LiveEvent> Observe(IReadOnlyList<SessionSnapshot> sessions, DateTimeOffset asked, DateTimeOffset now)
    {
        var events = new List<LiveEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ended in _endedByStream.Where(p => p.Value < asked).Select(p => p.Key).ToList())
        {
            // Ended before this poll was asked: the poll and every later one are newer.
            _endedByStream.Remove(ended);
        }

        foreach (var s in sessions)
        {
            seen.Add(s.SessionKey);
            if (_endedByStream.ContainsKey(s.SessionKey))
            {
                continue;
            }

            if (!_sessions.TryGetValue(s.SessionKey, out var tracked) || tracked.LocalKey != s.LocalKey)
            {
                tracked = new Tracked(s);
                _sessions[s.SessionKey] = tracked;
                tracked.PositionMs = s.PositionMs;
                events.Add(Event(tracked, LiveEventOrigin.Poll, LiveEventKind.Play, LiveEventType.Play, null, now));
            }

            tracked.Session = s;
            tracked.DurationMs = s.DurationMs ?? tracked.DurationMs;
            if (tracked.StreamAt is not { } told || told < asked)
            {
                events.AddRange(Advance(tracked, LiveEventOrigin.Poll, s.PositionMs, s.State, now));
            }
        }

        foreach (var gone in _sessions.Where(p => !seen.Contains(p.Key) && (p.Value.StreamAt is not { } told || told < asked)).ToList())
        {
            // The player stopped (or vanished) between two polls: its last position is where it stopped.
            events.AddRange(Advance(gone.Value, LiveEventOrigin.Poll, gone.Value.PositionMs, "stopped", now));
            _sessions.Remove(gone.Key);
        }

        return events;
    }

    /// <summary>
    /// A <c>playing</c> message of the event stream. Returns null when the session is not known yet: the caller polls
    /// the sessions to learn its account and item (the stream names neither).
    /// </summary>
    public IReadOnlyList<LiveEvent>? OnPlaying(string sessionKey, string? localKey, long? positionMs, string? state, DateTimeOffset now)
    {
        if (state == "stopped")
        {
            _endedByStream[sessionKey] = now;
        }

        if (!_sessions.TryGetValue(sessionKey, out var tracked) || (localKey is not null && localKey != tracked.LocalKey))
        {
            return state == "stopped" ? [] : null;
        }

        tracked.StreamAt = now;
        var events = Advance(tracked, LiveEventOrigin.EventStream, positionMs ?? tracked.PositionMs, state, now);
        if (state == "stopped")
        {
            _sessions.Remove(sessionKey);
        }

        return events;
    }

    /// <summary>Forgets every session: after the event stream reconnects the server may have restarted its session keys.</summary>
    public void Reset()
    {
        _sessions.Clear();
        _endedByStream.Clear();
    }

    private List<LiveEvent> Advance(Tracked tracked, string origin, long positionMs, string? state, DateTimeOffset now)
    {
        var events = new List<LiveEvent>();
        tracked.PositionMs = positionMs;
        if (!tracked.Finished && IsFinished(options, tracked.MediaType, positionMs, tracked.DurationMs))
        {
            tracked.Finished = true;
            events.Add(Event(tracked, origin, LiveEventKind.Watched, LiveEventType.Scrobble, null, now));
        }

        var changed = state != tracked.State;
        tracked.State = state;
        if (changed && state is "paused" or "stopped")
        {
            var type = state == "paused" ? LiveEventType.Pause : LiveEventType.Stop;
            if (positionMs > 0 && !tracked.Finished)
            {
                events.Add(Event(tracked, origin, LiveEventKind.Progress, type, positionMs.ToString(CultureInfo.InvariantCulture), now));
            }

            if (ReportsActivity)
            {
                events.Add(Event(tracked, origin, type, type, null, now));
            }
        }

        // Buffering between a pause and the playback again is still the resume.
        if (changed && state == "playing" && tracked.Paused && ReportsActivity)
        {
            events.Add(Event(tracked, origin, LiveEventType.Resume, LiveEventType.Resume, null, now));
        }

        tracked.Paused = state == "paused" || (tracked.Paused && state != "playing");
        return events;
    }

    private LiveEvent Event(Tracked t, string origin, string kind, string type, string? value, DateTimeOffset now) =>
        new(source, origin, serverId, t.AccountId, t.Session.AccountName, t.LocalKey, t.Session.ItemGuid, t.MediaType, kind, value, now)
        {
            EventType = type,
            SourceEvent = origin == LiveEventOrigin.EventStream ? "playing" : null,
            Title = t.Session.Title,
            ShowTitle = t.Session.ShowTitle,
            Season = t.Session.Season,
            Episode = t.Session.Episode,
            Year = t.Session.Year,
            Player = t.Session.Player,
            Platform = t.Session.Platform,
            SessionKey = t.Session.SessionKey,
            PositionMs = t.PositionMs,
            DurationMs = t.DurationMs,
            Rating = t.Session.Rating,
            Poster = t.Session.Poster,
        };

    /// <summary>One followed playback: what the first poll saw, kept up to date by the next ones and the stream.</summary>
    private sealed class Tracked(SessionSnapshot first)
    {
        public string AccountId { get; } = first.AccountId;

        public string LocalKey { get; } = first.LocalKey;

        public string? MediaType { get; } = first.MediaType;

        /// <summary>Gets or sets the last poll of the session (its titles, player, account name).</summary>
        public SessionSnapshot Session { get; set; } = first;

        public long? DurationMs { get; set; } = first.DurationMs;

        public long PositionMs { get; set; }

        public string? State { get; set; }

        public bool Finished { get; set; }

        /// <summary>Gets or sets a value indicating whether the playback is paused (or buffering since a pause).</summary>
        public bool Paused { get; set; }

        /// <summary>Gets or sets when the event stream last told about the playback.</summary>
        public DateTimeOffset? StreamAt { get; set; }
    }
}
