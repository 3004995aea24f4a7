using System.Globalization;
using Marquee.Core.Webhooks;

namespace Marquee.Core.Notifications;

/// <summary>The variables a template can use, and how they are filled from a live event.</summary>
public static class NotificationVariables
{
    /// <summary>Every variable with what it holds (documented in README); a missing value is nil (falsy in <c>{% if %}</c>).</summary>
    public static IReadOnlyDictionary<string, string> Catalogue { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["trigger"] = "The trigger: play, pause, resume, stop, finished, rating, new-item, new-device, database-backup, database-corrupted, run-failed, run-held, items-unresolved, connection-unreachable, connection-unauthorized, delivery-dead, sessions.",
        ["user"] = "The account's display name (as the server names it), else its id.",
        ["account_id"] = "The account id as the server names it.",
        ["title"] = "The item's own title (an episode's title).",
        ["full_title"] = "\"Title (Year)\" for a movie, \"Show · S01E02 · Title\" for an episode.",
        ["show"] = "The show's title, for an episode.",
        ["season"] = "The season number.",
        ["episode"] = "The episode number.",
        ["year"] = "The release year.",
        ["library"] = "The library section, when known.",
        ["player"] = "The player (device) name.",
        ["platform"] = "The player's platform.",
        ["progress"] = "How far playback is, in percent (0-100), when known.",
        ["position"] = "The position as h:mm:ss or m:ss.",
        ["duration"] = "The item's length, for example \"1 h 52 min\".",
        ["server"] = "The media server (its name or machine identifier).",
        ["media_type"] = "movie, episode, track…",
        ["rating"] = "The rating (0-10) of a rating event.",
        ["plex_url"] = "A link to the item in Plex web.",
        ["time"] = "When it happened (ISO 8601, UTC).",
        ["decision"] = "A play's stream (channels that include activity): direct play, direct stream or transcode.",
        ["video_codec"] = "A play's video codec (\"hevc → h264\" when transcoded).",
        ["audio_codec"] = "A play's audio codec (\"eac3 → aac\" when transcoded).",
        ["resolution"] = "A play's source resolution (4k, 1080…; \"4k → 720\" when transcoded).",
        ["container"] = "A play's file container (mkv, mp4…).",
        ["bandwidth"] = "A play's bandwidth, for example \"8.0 Mbps\".",
        ["location"] = "local or remote.",
        ["stream"] = "A play's stream details on one line (decision, codecs, resolution, container, bandwidth, location).",
        ["flow"] = "The flow of a run-failed or run-held notification.",
        ["reason"] = "Why the run failed or was held, which items are unresolved, why a connection or a delivery failed.",
        ["count"] = "How many items a run left unresolved; how many streams a sessions digest lists; how many episodes a grouped new-item holds.",
        ["episodes"] = "The episode numbers of a grouped new-item (E01–E10, or E01, E03).",
        ["sessions"] = "The sessions digest: one line per stream (user, title, progress, player, direct play or transcode, bandwidth, local or remote, paused).",
        ["connection"] = "The connection of a connection-unreachable or connection-unauthorized notification.",
        ["delivery"] = "The dead-lettered delivery (its kind and description, no secret).",
    };

    /// <summary>Fills the catalogue from a live event.</summary>
    public static Dictionary<string, object?> From(LiveEvent e, string trigger, string? serverName = null)
    {
        var progress = e.PositionMs is { } position && e.DurationMs is > 0 and var duration ? (int?)Math.Clamp((int)Math.Round(position * 100.0 / duration), 0, 100) : null;
        var values = Empty(trigger);
        // A playback settled from the server's state without knowing whose it was names nobody in particular.
        values["user"] = !string.IsNullOrWhiteSpace(e.AccountName) ? e.AccountName : e.AccountId == Sync.TargetedItem.AnyAccount ? "Someone" : e.AccountId;
        values["account_id"] = e.AccountId;
        values["title"] = e.Title;
        values["full_title"] = FullTitle(e.MediaType, e.Title, e.ShowTitle, e.Season, e.Episode, e.Year);
        values["show"] = e.ShowTitle;
        values["season"] = e.Season;
        values["episode"] = e.Episode;
        values["year"] = e.Year;
        values["player"] = e.Player;
        values["platform"] = e.Platform;
        values["progress"] = progress ?? (trigger == NotificationTriggers.Finished ? 100 : null);
        values["position"] = e.PositionMs is { } p ? Clock(p) : null;
        values["duration"] = e.DurationMs is > 0 and var d ? Length(d) : null;
        values["server"] = serverName ?? e.ServerId;
        values["media_type"] = e.MediaType;
        values["rating"] = e.Rating;
        values["plex_url"] = e.Source == "plex" && e.ServerId is { Length: > 0 } server && e.LocalKey.Length > 0
            ? $"https://app.plex.tv/desktop/#!/server/{server}/details?key={Uri.EscapeDataString("/library/metadata/" + e.LocalKey)}"
            : null;
        values["time"] = e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return values;
    }

    /// <summary>Adds a session's stream details (the activity of a play); also fills the player and platform when the event had none.</summary>
    public static void AddStream(Dictionary<string, object?> values, ActiveSession? session)
    {
        if (session is null)
        {
            return;
        }

        values["decision"] = session.Decision;
        values["video_codec"] = session.VideoCodec;
        values["audio_codec"] = session.AudioCodec;
        values["resolution"] = session.Resolution;
        values["container"] = session.Container;
        values["bandwidth"] = session.BandwidthKbps is { } kbps ? string.Create(CultureInfo.InvariantCulture, $"{kbps / 1000.0:0.0} Mbps") : null;
        values["location"] = session.Location switch { "lan" => "local", "wan" => "remote", _ => null };
        values["player"] ??= session.Player;
        values["platform"] ??= session.Platform;
        values["stream"] = string.Join(" · ", new[] { session.Decision, session.VideoCodec, session.Resolution, session.AudioCodec, session.Container, values["bandwidth"] as string, values["location"] as string }.Where(v => !string.IsNullOrEmpty(v)));
    }

    /// <summary>Every catalogue variable, nil, with the trigger set.</summary>
    public static Dictionary<string, object?> Empty(string trigger)
    {
        var values = Catalogue.Keys.ToDictionary(k => k, _ => (object?)null, StringComparer.Ordinal);
        values["trigger"] = trigger;
        return values;
    }

    /// <summary>Sample values for <c>marquee notify test</c> and for checking templates.</summary>
    public static Dictionary<string, object?> Sample(string trigger)
    {
        var sample = new LiveEvent("plex", LiveEventOrigin.Webhook, "0123456789abcdef0123456789abcdef01234567", "1", "alice", "48213", null, "episode", trigger, null, new DateTimeOffset(2025, 2, 1, 20, 31, 7, TimeSpan.Zero))
        {
            Title = "Who Is Alive?",
            ShowTitle = "Severance",
            Season = 2,
            Episode = 3,
            Year = 2025,
            Player = "Living Room TV",
            Platform = "Plex for LG",
            PositionMs = 1_626_000,
            DurationMs = 3_252_000,
            Rating = 8,
        };
        var values = From(sample, trigger, "home-server");
        values["library"] = "TV Shows";
        AddStream(values, new ActiveSession("home-server", "alice", "Severance", 50, "Living Room TV", "Plex for LG", "playing", "transcode", 8000, "wan")
        {
            VideoCodec = "hevc → h264",
            AudioCodec = "eac3",
            Resolution = "4k → 1080",
            Container = "mkv",
        });
        values["flow"] = "plex to jellyfin";
        values["reason"] = "Sample: the target was unreachable.";
        values["count"] = 3;
        values["sessions"] = "**alice** · Severance · S02E03 · Who Is Alive? · 50% · Living Room TV (Plex for LG) · direct play · 12.0 Mbps · local";
        values["connection"] = "home-server";
        values["delivery"] = "notify: play to channel 1";
        return values;
    }

    public static string? FullTitle(string? mediaType, string? title, string? show, int? season, int? episode, int? year)
    {
        if (mediaType == "episode" && show is { Length: > 0 })
        {
            var number = season is { } s && episode is { } n ? string.Create(CultureInfo.InvariantCulture, $" · S{s:00}E{n:00}") : string.Empty;
            return $"{show}{number}{(title is { Length: > 0 } ? " · " + title : string.Empty)}";
        }

        return title is { Length: > 0 } ? year is { } y ? string.Create(CultureInfo.InvariantCulture, $"{title} ({y})") : title : null;
    }

    private static string Clock(long ms)
    {
        var t = TimeSpan.FromMilliseconds(ms);
        return t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }

    private static string Length(long ms)
    {
        var t = TimeSpan.FromMilliseconds(ms);
        return t.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h {t.Minutes} min") : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Round(t.TotalMinutes))} min");
    }
}
