using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Marquee.Simulators.Infrastructure;

namespace Marquee.Simulators.Seerr;

/// <summary>One POST the webhook agent made: what it sent and what the receiver answered (0 when nothing answered).</summary>
public sealed record SeerrWebhookDelivery(string NotificationType, string Url, int Status, string Body, DateTimeOffset At);

/// <summary>The agent's settings (SEERR-API.md section 8.1): URL, Authorization value, enabled types (bit sum) and template.</summary>
public sealed record SeerrWebhookSettings(string Url, string Authorization, int Types, JsonObject Template);

/// <summary>
/// The webhook notification agent of SEERR-API.md section 8: renders the configured template (strings only, first
/// occurrence of each variable, special keys, <c>extra</c>), posts it without retry, fire-and-forget, and records it.
/// </summary>
public sealed class SeerrWebhooks : IAsyncDisposable
{
    /// <summary>The default template Seerr ships (section 8.4 rule 1).</summary>
    public const string DefaultTemplate = """
        {"notification_type":"{{notification_type}}","event":"{{event}}","subject":"{{subject}}","message":"{{message}}","image":"{{image}}",
         "{{media}}":{"media_type":"{{media_type}}","tmdbId":"{{media_tmdbid}}","tvdbId":"{{media_tvdbid}}","status":"{{media_status}}","status4k":"{{media_status4k}}"},
         "{{request}}":{"request_id":"{{request_id}}","requestedBy_email":"{{requestedBy_email}}","requestedBy_username":"{{requestedBy_username}}","requestedBy_avatar":"{{requestedBy_avatar}}","requestedBy_settings_discordId":"{{requestedBy_settings_discordId}}","requestedBy_settings_telegramChatId":"{{requestedBy_settings_telegramChatId}}"},
         "{{issue}}":{"issue_id":"{{issue_id}}","issue_type":"{{issue_type}}","issue_status":"{{issue_status}}","reportedBy_email":"{{reportedBy_email}}","reportedBy_username":"{{reportedBy_username}}"},
         "{{comment}}":{"comment_message":"{{comment_message}}","commentedBy_email":"{{commentedBy_email}}","commentedBy_username":"{{commentedBy_username}}"},
         "{{extra}}":[]}
        """;

    /// <summary>The bit of each notification type (section 8.2).</summary>
    public static readonly IReadOnlyDictionary<string, int> TypeBits = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["MEDIA_PENDING"] = 2,
        ["MEDIA_APPROVED"] = 4,
        ["MEDIA_AVAILABLE"] = 8,
        ["MEDIA_FAILED"] = 16,
        ["TEST_NOTIFICATION"] = 32,
        ["MEDIA_DECLINED"] = 64,
        ["MEDIA_AUTO_APPROVED"] = 128,
    };

    private static readonly string[] SpecialKeys = ["media", "request", "issue", "comment"];

    private readonly SeerrState _state;
    private readonly IHttpClientFactory _http;
    private readonly ConcurrentQueue<SeerrWebhookDelivery> _deliveries = new();
    private readonly BackgroundSends _sends = new();

    internal SeerrWebhooks(SeerrState state, IHttpClientFactory http)
    {
        _state = state;
        _http = http;
        Settings = state.Options.WebhookUrl.Length == 0
            ? null
            : new SeerrWebhookSettings(state.Options.WebhookUrl, state.Options.WebhookAuthorization, 2 + 4 + 8 + 128, (JsonObject)JsonNode.Parse(DefaultTemplate)!);
    }

    public SeerrWebhookSettings? Settings { get; set; }

    public IReadOnlyList<SeerrWebhookDelivery> Deliveries => [.. _deliveries];

    /// <summary>Sends <paramref name="type"/> for <paramref name="request"/> in the background when the type is enabled (TEST always).</summary>
    public void Publish(string type, SeerrRequest? request)
    {
        if (Settings is not { } settings || (type != "TEST_NOTIFICATION" && (settings.Types & TypeBits[type]) == 0))
        {
            return;
        }

        var body = Render(settings.Template, type, request);
        _sends.Start(() => SendAsync(settings, type, body));
    }

    public Task WaitIdleAsync(CancellationToken ct) => _sends.WaitIdleAsync(ct);

    public ValueTask DisposeAsync() => _sends.DisposeAsync();

    private async Task SendAsync(SeerrWebhookSettings settings, string type, string body)
    {
        var status = 0;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, settings.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (settings.Authorization.Length > 0)
            {
                message.Headers.TryAddWithoutValidation("Authorization", settings.Authorization);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await _http.CreateClient("seerr-webhooks").SendAsync(message, cts.Token);
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or UriFormatException or InvalidOperationException)
        {
            // Seerr only logs a failed delivery; there is no retry.
        }

        _deliveries.Enqueue(new SeerrWebhookDelivery(type, settings.Url, status, body, _state.Clock.GetUtcNow()));
    }

    private string Render(JsonObject template, string type, SeerrRequest? request)
    {
        var media = request is null ? null : _state.Media(request.MediaId);
        var user = request is null ? null : _state.User(request.RequestedBy);
        var kind = media?.MediaType == "tv" ? "Series" : "Movie";
        var prefix = request?.Is4k == true ? "4K " : string.Empty;
        var eventText = type switch
        {
            "MEDIA_PENDING" => $"New {prefix}{kind} Request",
            "MEDIA_APPROVED" => $"{prefix}{kind} Request Approved",
            "MEDIA_AVAILABLE" => $"{prefix}{kind} Request Now Available",
            "MEDIA_FAILED" => $"{prefix}{kind} Request Failed",
            "MEDIA_DECLINED" => $"{prefix}{kind} Request Declined",
            "MEDIA_AUTO_APPROVED" => $"{prefix}{kind} Request Automatically Approved",
            _ => string.Empty,
        };
        var vars = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["notification_type"] = type,
            ["event"] = eventText,
            ["subject"] = media is null ? "Test Notification" : $"{media.Title} ({media.Year})",
            ["message"] = media is null ? "Check check, 1, 2, 3. Are we coming in clear?" : string.Empty,
            ["image"] = string.Empty,
            ["media_type"] = media?.MediaType ?? string.Empty,
            ["media_tmdbid"] = media?.TmdbId.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            ["media_tvdbid"] = media?.TvdbId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            ["media_status"] = media is null ? string.Empty : SeerrJson.StatusName(media.Status, _state),
            ["media_status4k"] = media is null ? string.Empty : SeerrJson.StatusName(media.Status4k, _state),
            ["request_id"] = request?.Id.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            ["requestedBy_username"] = user?.DisplayName ?? string.Empty,
            ["requestedBy_email"] = user?.Email ?? string.Empty,
            ["requestedBy_avatar"] = user is null ? string.Empty : $"https://plex.tv/users/{user.AvatarUuid}/avatar?c=1731000000",
            ["requestedBy_settings_discordId"] = string.Empty,
            ["requestedBy_settings_telegramChatId"] = string.Empty,
            ["notifyuser_username"] = type == "MEDIA_AVAILABLE" || type == "MEDIA_APPROVED" || type == "MEDIA_DECLINED" ? user?.DisplayName ?? string.Empty : string.Empty,
        };
        var present = new Dictionary<string, bool>(StringComparer.Ordinal) { ["media"] = media is not null, ["request"] = request is not null, ["issue"] = false, ["comment"] = false };
        var extra = new JsonArray();
        if (request is { Seasons.Count: > 0 })
        {
            extra.Add(new JsonObject { ["name"] = "Requested Seasons", ["value"] = string.Join(", ", request.Seasons) });
        }

        return RenderNode(template, vars, present, extra)!.ToJsonString();
    }

    private static JsonNode? RenderNode(JsonNode? node, Dictionary<string, string> vars, Dictionary<string, bool> present, JsonArray extra)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var special = SpecialKeys.FirstOrDefault(k => key == "{{" + k + "}}");
                    if (special is not null)
                    {
                        result[special] = present[special] ? RenderNode(value, vars, present, extra) : null;
                    }
                    else if (key == "{{extra}}")
                    {
                        result["extra"] = extra.DeepClone();
                    }
                    else
                    {
                        result[key] = RenderNode(value, vars, present, extra);
                    }
                }

                return result;
            case JsonArray array:
                return new JsonArray([.. array.Select(v => RenderNode(v, vars, present, extra))]);
            case JsonValue value when value.TryGetValue<string>(out var text):
                foreach (var (name, replacement) in vars)
                {
                    // Only the first occurrence of a variable inside one string is replaced (section 8.4 rule 3).
                    var placeholder = "{{" + name + "}}";
                    var at = text.IndexOf(placeholder, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        text = string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + placeholder.Length));
                    }
                }

                return JsonValue.Create(text);
            default:
                return node?.DeepClone();
        }
    }
}
