using System.Globalization;
using System.Text.Json;
using Marquee.Core.Connections;
using Marquee.Core.Notifications;
using Marquee.Core.Providers;
using Marquee.Providers.Plex.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Providers.Plex;

/// <summary>
/// Reads <c>/status/sessions</c> of every Plex connection for the sessions digest: user, item, progress, player,
/// <c>Session.bandwidth</c> and <c>location</c>, and the decision (a <c>TranscodeSession</c> is a transcode, else the
/// part's <c>decision</c>). A connection that does not answer is left out of this digest and logged.
/// </summary>
internal sealed partial class PlexSessionReader(
    IServiceScopeFactory scopes,
    IHttpClientFactory http,
    TimeProvider clock,
    ILogger<PlexSessionReader> logger) : ISessionReader
{
    public async Task<IReadOnlyList<ActiveSession>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        var sessions = new List<ActiveSession>();
        foreach (var view in (await connections.ListAsync(cancellationToken)).Where(c => c.Kind == PlexClient.ProviderName))
        {
            if (await connections.GetSettingsAsync(view.Id.ToString(CultureInfo.InvariantCulture), cancellationToken) is not PlexSettings settings)
            {
                continue;
            }

            var client = PlexClient.Live(http, settings, view.Name, new PlexOptions { RequestTimeout = TimeSpan.FromSeconds(15), MaxRetries = 0 }, clock, 1);
            try
            {
                var root = await client.GetJsonAsync(PlexHost.Server, "/status/sessions", "status/sessions", settings.Token, PlexJson.Default.JsonElement, cancellationToken);
                sessions.AddRange(Parse(view.Name, root));
            }
            catch (ProviderException ex)
            {
                Log.Unreadable(logger, view.Name, ex.Message);
            }
        }

        return sessions;
    }

    /// <summary>The sessions of one <c>/status/sessions</c> answer.</summary>
    public static IEnumerable<ActiveSession> Parse(string server, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("MediaContainer", out var container)
            || !container.TryGetProperty("Metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var m in metadata.EnumerateArray())
        {
            var user = Child(m, "User");
            var player = Child(m, "Player");
            var session = Child(m, "Session");
            var transcode = Child(m, "TranscodeSession");
            var source = m.TryGetProperty("Media", out var media) && media.ValueKind == JsonValueKind.Array && media.GetArrayLength() > 0 ? media[0] : default;
            var duration = Integer(m, "duration");
            var offset = Integer(m, "viewOffset");
            var type = Text(m, "type");
            var title = NotificationVariables.FullTitle(type, Text(m, "title"), Text(m, "grandparentTitle"), (int?)Integer(m, "parentIndex"), (int?)Integer(m, "index"), (int?)Integer(m, "year")) ?? Text(m, "title") ?? "?";
            yield return new ActiveSession(
                server,
                Text(user, "title") ?? Text(user, "id") ?? "?",
                title,
                duration is > 0 && offset is { } o ? (int)Math.Clamp(Math.Round(o * 100.0 / duration.Value), 0, 100) : null,
                Text(player, "title"),
                Text(player, "platform"),
                Text(player, "state") ?? "playing",
                Decision(m, transcode),
                Integer(session, "bandwidth"),
                Text(session, "location"))
            {
                LocalKey = Text(m, "ratingKey"),
                SessionKey = Text(m, "sessionKey"),
                UserId = Text(user, "id"),
                PlayerId = Text(player, "machineIdentifier"),
                VideoCodec = Changed(Text(source, "videoCodec"), Text(transcode, "videoDecision") == "transcode" ? Text(transcode, "videoCodec") : null),
                AudioCodec = Changed(Text(source, "audioCodec"), Text(transcode, "audioDecision") == "transcode" ? Text(transcode, "audioCodec") : null),
                Resolution = Changed(Text(source, "videoResolution"), Text(transcode, "videoDecision") == "transcode" && Integer(transcode, "height") is { } height ? height.ToString(CultureInfo.InvariantCulture) : null),
                Container = Text(source, "container"),
            };
        }
    }

    private static string Decision(JsonElement item, JsonElement transcode)
    {
        if (transcode.ValueKind == JsonValueKind.Object)
        {
            return Text(transcode, "videoDecision") is "copy" && Text(transcode, "audioDecision") is "copy" or null ? "direct stream" : "transcode";
        }

        var part = item.TryGetProperty("Media", out var media) && media.ValueKind == JsonValueKind.Array && media.GetArrayLength() > 0
            && media[0].TryGetProperty("Part", out var parts) && parts.ValueKind == JsonValueKind.Array && parts.GetArrayLength() > 0 ? parts[0] : default;
        return Text(part, "decision") switch
        {
            "transcode" => "transcode",
            "copy" => "direct stream",
            _ => "direct play",
        };
    }

    private static string? Changed(string? from, string? to) => to is null || to == from ? from : $"{from ?? "?"} → {to}";

    private static JsonElement Child(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())
            : null;

    private static long? Integer(JsonElement e, string name) =>
        long.TryParse(Text(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Sessions digest: Plex connection {Connection} left out ({Error})")]
        public static partial void Unreadable(ILogger logger, string connection, string error);
    }
}
