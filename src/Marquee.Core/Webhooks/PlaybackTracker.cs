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
    string? State);

/// <summary>
/// Follows the playbacks of one server through the session poller and the event stream, and turns them into live
/// events: a new session is a start, passing the finished threshold of its media type is a watch, and a pause, a
/// stop or a session that vanished is a position. Not thread-safe: one tracker per server, used from one loop.
/// </summary>
public sealed class PlaybackTracker(string source, string? serverId, LiveOptions options)
{
    private readonly Dictionary<string, Tracked> _sessions = new(StringComparer.Ordinal);

    /// <summary>Gets the session keys being followed.</summary>
    public IReadOnlyCollection<string> Sessions => _sessions.Keys;

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

    /// <summary>A poll of the server's sessions: all playbacks now.</summary>
    public IReadOnlyList<LiveEvent> Observe(IReadOnlyList<SessionSnapshot> sessions, DateTimeOffset now)
    {
        var events = new List<LiveEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sessions)
        {
            seen.Add(s.SessionKey);
            if (!_sessions.TryGetValue(s.SessionKey, out var tracked) || tracked.LocalKey != s.LocalKey)
            {
                tracked = new Tracked(s.AccountId, s.AccountName, s.LocalKey, s.ItemGuid, s.MediaType, s.DurationMs);
                _sessions[s.SessionKey] = tracked;
                events.Add(Event(tracked, LiveEventOrigin.Poll, LiveEventKind.Play, null, now));
            }

            tracked.DurationMs = s.DurationMs ?? tracked.DurationMs;
            events.AddRange(Advance(tracked, LiveEventOrigin.Poll, s.PositionMs, s.State, now));
        }

        foreach (var gone in _sessions.Where(p => !seen.Contains(p.Key)).ToList())
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
        if (!_sessions.TryGetValue(sessionKey, out var tracked) || (localKey is not null && localKey != tracked.LocalKey))
        {
            return state == "stopped" ? [] : null;
        }

        var events = Advance(tracked, LiveEventOrigin.EventStream, positionMs ?? tracked.PositionMs, state, now);
        if (state == "stopped")
        {
            _sessions.Remove(sessionKey);
        }

        return events;
    }

    /// <summary>Forgets every session: after the event stream reconnects the server may have restarted its session keys.</summary>
    public void Reset() => _sessions.Clear();

    private List<LiveEvent> Advance(Tracked tracked, string origin, long positionMs, string? state, DateTimeOffset now)
    {
        var events = new List<LiveEvent>();
        tracked.PositionMs = positionMs;
        if (!tracked.Finished && IsFinished(options, tracked.MediaType, positionMs, tracked.DurationMs))
        {
            tracked.Finished = true;
            events.Add(Event(tracked, origin, LiveEventKind.Watched, null, now));
        }

        var changed = state != tracked.State;
        tracked.State = state;
        if (changed && state is "paused" or "stopped" && positionMs > 0 && !tracked.Finished)
        {
            events.Add(Event(tracked, origin, LiveEventKind.Progress, positionMs.ToString(CultureInfo.InvariantCulture), now));
        }

        return events;
    }

    private LiveEvent Event(Tracked t, string origin, string kind, string? value, DateTimeOffset now) =>
        new(source, origin, serverId, t.AccountId, t.AccountName, t.LocalKey, t.ItemGuid, t.MediaType, kind, value, now);

    private sealed class Tracked(string accountId, string? accountName, string localKey, string? itemGuid, string? mediaType, long? durationMs)
    {
        public string AccountId { get; } = accountId;

        public string? AccountName { get; } = accountName;

        public string LocalKey { get; } = localKey;

        public string? ItemGuid { get; } = itemGuid;

        public string? MediaType { get; } = mediaType;

        public long? DurationMs { get; set; } = durationMs;

        public long PositionMs { get; set; }

        public string? State { get; set; }

        public bool Finished { get; set; }
    }
}
