using System.Globalization;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Core.Notifications;

/// <summary>One stream playing or paused right now, as the media server reports it.</summary>
/// <param name="Server">The connection's name.</param>
/// <param name="User">Who is watching.</param>
/// <param name="Title">The item's full title.</param>
/// <param name="Progress">How far, in percent.</param>
/// <param name="Player">The player's name.</param>
/// <param name="Platform">The player's platform.</param>
/// <param name="State">playing, paused or buffering.</param>
/// <param name="Decision">direct play, direct stream or transcode.</param>
/// <param name="BandwidthKbps">The stream's bandwidth, in kbit/s.</param>
/// <param name="Location">lan or wan.</param>
public sealed record ActiveSession(string Server, string User, string Title, int? Progress, string? Player, string? Platform, string State, string Decision, long? BandwidthKbps, string? Location)
{
    /// <summary>Gets the item's key on the server (Plex ratingKey).</summary>
    public string? LocalKey { get; init; }

    /// <summary>Gets the server's session key.</summary>
    public string? SessionKey { get; init; }

    /// <summary>Gets the player's identifier (Plex machineIdentifier).</summary>
    public string? PlayerId { get; init; }

    /// <summary>Gets the account's id as the session names it.</summary>
    public string? UserId { get; init; }

    /// <summary>Gets the video codec: the source's, or "source → output" when the video is transcoded.</summary>
    public string? VideoCodec { get; init; }

    /// <summary>Gets the audio codec: the source's, or "source → output" when the audio is transcoded.</summary>
    public string? AudioCodec { get; init; }

    /// <summary>Gets the source's resolution (4k, 1080…), with the output's height when the video is transcoded.</summary>
    public string? Resolution { get; init; }

    /// <summary>Gets the file's container (mkv, mp4…).</summary>
    public string? Container { get; init; }
}

/// <summary>Reads what the media servers are streaming now (one per provider).</summary>
public interface ISessionReader
{
    Task<IReadOnlyList<ActiveSession>> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Every <see cref="NotificationOptions.SessionsDigestMinutes"/>, while anything plays or is paused, one <c>sessions</c>
/// message listing every stream (who, what, progress, player, direct play or transcode, bandwidth); nothing when idle.
/// </summary>
public sealed partial class SessionDigest(
    IEnumerable<ISessionReader> readers,
    MarqueeEvents events,
    IOptionsMonitor<NotificationOptions> options,
    TimeProvider clock,
    ILogger<SessionDigest> logger) : BackgroundService
{
    /// <summary>Reads the sessions and tells them; returns how many streams were told (0 when idle: nothing is sent).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var sessions = new List<ActiveSession>();
        foreach (var reader in readers)
        {
            sessions.AddRange(await reader.ReadAsync(cancellationToken));
        }

        if (sessions.Count == 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var values = new Dictionary<string, object?>
        {
            ["count"] = sessions.Count,
            ["sessions"] = Describe(sessions),
            ["server"] = string.Join(", ", sessions.Select(s => s.Server).Distinct(StringComparer.Ordinal)),
        };
        await events.PublishAsync(new MarqueeEvent(NotificationTriggers.Sessions, "digest:" + now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), values, now), cancellationToken);
        return sessions.Count;
    }

    /// <summary>One line per stream.</summary>
    public static string Describe(IEnumerable<ActiveSession> sessions)
    {
        var text = new StringBuilder();
        foreach (var s in sessions.OrderBy(s => s.User, StringComparer.OrdinalIgnoreCase))
        {
            var parts = new List<string> { $"**{s.User}** · {s.Title}" };
            if (s.Progress is { } progress)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{progress}%"));
            }

            if (s.Player is { Length: > 0 })
            {
                parts.Add(s.Platform is { Length: > 0 } ? $"{s.Player} ({s.Platform})" : s.Player);
            }

            parts.Add(s.Decision);
            if (s.BandwidthKbps is > 0 and var kbps)
            {
                parts.Add((kbps / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " Mbps");
            }

            if (s.Location is { Length: > 0 })
            {
                parts.Add(s.Location == "wan" ? "remote" : "local");
            }

            if (s.State != "playing")
            {
                parts.Add(s.State);
            }

            text.AppendLine(string.Join(" · ", parts));
        }

        return text.ToString().TrimEnd();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var minutes = options.CurrentValue.SessionsDigestMinutes;
            try
            {
                // Off (0) is looked at again every minute, so turning it on takes effect without a restart.
                await Task.Delay(TimeSpan.FromMinutes(minutes > 0 ? minutes : 1), clock, stoppingToken);
                if (minutes > 0)
                {
                    await RunOnceAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.Failed(logger, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The sessions digest failed; trying again at the next one")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
