using Marquee.Core.Providers;

namespace Marquee.Core.Care;

/// <summary>A live session with the rules it matches, in rule order.</summary>
public sealed record SessionMatch(PlaybackSession Session, IReadOnlyList<SessionRule> Rules, DateTimeOffset? PausedSince);

/// <summary>
/// Matches one read of the sessions against every rule, without I/O: counts per user and per server are computed once per
/// rule over the sessions in its scope, and the sessions above a limit are the newest ones (highest session key).
/// </summary>
public static class SessionRuleMatcher
{
    public static IReadOnlyList<SessionMatch> Match(IReadOnlyList<SessionRule> rules, IReadOnlyList<PlaybackSession> sessions, DateTimeOffset now, IReadOnlyDictionary<string, DateTimeOffset> pausedSince)
    {
        var matched = new List<SessionRule>[sessions.Count];
        for (var i = 0; i < sessions.Count; i++)
        {
            matched[i] = [];
        }

        // Oldest first, so that limits keep the streams that started first.
        var order = Enumerable.Range(0, sessions.Count).OrderBy(i => SortKey(sessions[i])).ToArray();
        var timeOfDay = now.UtcDateTime.TimeOfDay;
        foreach (var rule in rules.Where(r => r.Enabled))
        {
            if (rule.Between is { } between && !(SessionRule.TryParseBetween(between, out var from, out var to) && Within(timeOfDay, from, to)))
            {
                continue;
            }

            var perUser = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var onServer = 0;
            foreach (var i in order)
            {
                var session = sessions[i];
                if (!InScope(rule, session))
                {
                    continue;
                }

                var user = session.UserName ?? session.UserId ?? string.Empty;
                var userCount = perUser[user] = perUser.GetValueOrDefault(user) + 1;
                onServer++;
                if (rule.MaxStreamsPerUser is { } maxUser && userCount <= maxUser)
                {
                    continue;
                }

                if (rule.MaxStreamsPerServer is { } maxServer && onServer <= maxServer)
                {
                    continue;
                }

                if (Meets(rule, session, now, pausedSince))
                {
                    matched[i].Add(rule);
                }
            }
        }

        var result = new SessionMatch[sessions.Count];
        for (var i = 0; i < sessions.Count; i++)
        {
            result[i] = new SessionMatch(sessions[i], matched[i], pausedSince.TryGetValue(sessions[i].SessionId, out var since) ? since : null);
        }

        return result;
    }

    private static (long, string) SortKey(PlaybackSession s) =>
        (long.TryParse(s.SessionKey, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var key) ? key : long.MaxValue, s.SessionId);

    private static bool Within(TimeSpan time, TimeSpan from, TimeSpan to) => from < to ? time >= from && time < to : time >= from || time < to;

    private static bool InScope(SessionRule rule, PlaybackSession s) =>
        (rule.Users.Count == 0 || IsUser(rule.Users, s)) &&
        (rule.Devices.Count == 0 || IsDevice(rule.Devices, s)) &&
        !IsUser(rule.ExemptUsers, s) &&
        !IsDevice(rule.ExemptDevices, s);

    private static bool IsUser(IReadOnlyList<string> names, PlaybackSession s) =>
        names.Any(n => n.Equals(s.UserName, StringComparison.OrdinalIgnoreCase) || n.Equals(s.UserId, StringComparison.Ordinal));

    private static bool IsDevice(IReadOnlyList<string> names, PlaybackSession s) =>
        names.Any(n => n.Equals(s.Player, StringComparison.OrdinalIgnoreCase) || n.Equals(s.DeviceId, StringComparison.OrdinalIgnoreCase));

    private static bool Meets(SessionRule rule, PlaybackSession s, DateTimeOffset now, IReadOnlyDictionary<string, DateTimeOffset> pausedSince)
    {
        var video = s.VideoDecision == "transcode";
        var audio = s.AudioDecision == "transcode";
        var transcoding = rule.Transcode switch
        {
            null => true,
            "video" => video,
            "audio" => audio,
            _ => video || audio,
        };
        if (!transcoding)
        {
            return false;
        }

        if (rule.MinHeight is { } height && !(s.SourceHeight >= height))
        {
            return false;
        }

        if (rule.Remote is { } remote && s.Remote != remote)
        {
            return false;
        }

        if (rule.MinBandwidthKbps is { } bandwidth && !(s.Remote && s.BandwidthKbps > bandwidth))
        {
            return false;
        }

        if (rule.Platforms.Count > 0 && !rule.Platforms.Contains(s.Platform ?? string.Empty, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        if (rule.Products.Count > 0 && !rule.Products.Contains(s.Product ?? string.Empty, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        if (rule.Libraries.Count > 0 && !rule.Libraries.Any(l => l.Equals(s.LibraryTitle, StringComparison.OrdinalIgnoreCase) || l.Equals(s.LibraryKey, StringComparison.Ordinal)))
        {
            return false;
        }

        if (rule.PausedMinutes is { } minutes && !(s.State == "paused" && pausedSince.TryGetValue(s.SessionId, out var since) && now - since >= TimeSpan.FromMinutes(minutes)))
        {
            return false;
        }

        return true;
    }
}
