using System.Text.Json;
using Marquee.Core.Labels;
using Marquee.Core.Webhooks;
using Marquee.Providers.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marquee.Providers.Arr;

/// <summary>
/// Radarr's and Sonarr's Webhook connection (<c>/webhooks/radarr/{secret}</c>, <c>/webhooks/sonarr/{secret}</c>, sent by
/// POST or PUT): a JSON object with a PascalCase <c>eventType</c>. A body that is not one is refused (400) and kept for
/// diagnosis; a <c>Test</c> is stored and answered 200 and does nothing else; an event type Marquee does not read (a
/// newer application's, health, application update…) is kept and ignored with a log line. The deliveries become no live
/// events: what happens in Radarr or Sonarr is not a playback.
/// </summary>
public sealed partial class ArrWebhookFormat(ILogger<ArrWebhookFormat>? logger = null) : IWebhookFormat
{
    /// <summary>The Radarr events whose <c>movie</c> must be an object with a numeric id.</summary>
    private static readonly HashSet<string> RadarrItemEvents = new(StringComparer.Ordinal) { "Grab", "Download", "Rename", "MovieAdded", "MovieDelete", "MovieFileDelete" };

    /// <summary>The Sonarr events whose <c>series</c> must be an object with a numeric id.</summary>
    private static readonly HashSet<string> SonarrItemEvents = new(StringComparer.Ordinal) { "Grab", "Download", "Rename", "SeriesAdd", "SeriesDelete", "EpisodeFileDelete" };

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "Test", "Grab", "Download", "Rename", "MovieAdded", "MovieDelete", "MovieFileDelete", "SeriesAdd", "SeriesDelete", "EpisodeFileDelete",
        "Health", "HealthRestored", "ApplicationUpdate", "ManualInteractionRequired",
    };

    private readonly ILogger _logger = logger ?? NullLogger<ArrWebhookFormat>.Instance;

    public IReadOnlyList<WebhookSender> Senders { get; } = [new("radarr", "Radarr"), new("sonarr", "Sonarr")];

    public IReadOnlyList<string> Methods { get; } = ["POST", "PUT"];

    public string Describe(string source) => source == "sonarr" ? "a Sonarr webhook" : "a Radarr webhook";

    public ValueTask<byte[]> ReadPayloadAsync(string? contentType, byte[] body, CancellationToken cancellationToken) => ValueTask.FromResult(body);

    public string Validate(ReadOnlySpan<byte> payload) => Parse(payload, null);

    public (string Event, IReadOnlyList<LiveEvent> Events) Normalise(InboxDelivery delivery)
    {
        var eventType = Parse(delivery.Body, delivery.Source);
        if (!Known.Contains(eventType))
        {
            Log.Ignored(_logger, delivery.Id, delivery.Source, eventType);
        }

        return (eventType, eventType == "Download" ? Downloaded(delivery) : []);
    }

    /// <summary>
    /// A Download (an import reached the disk, so Plex is about to have it) as one <see cref="LabelScheduler.ArrDownload"/> event naming
    /// the movie by TMDB id or the series by TVDB id; label sync reacts to it.
    /// </summary>
    private static IReadOnlyList<LiveEvent> Downloaded(InboxDelivery delivery)
    {
        using var document = JsonDocument.Parse(delivery.Body);
        var root = document.RootElement;
        var (name, scheme, idField, mediaType) = root.TryGetProperty("movie", out _) ? ("movie", "tmdb", "tmdbId", "movie") : ("series", "tvdb", "tvdbId", "show");
        if (!root.TryGetProperty(name, out var item) || item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty(idField, out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out var value) || value <= 0)
        {
            return [];
        }

        var key = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return [new LiveEvent(delivery.Source, "webhook", null, string.Empty, null, key, $"{scheme}://{key}", mediaType, LabelScheduler.ArrDownload, null, delivery.ReceivedAt, delivery.Id) { SourceEvent = "Download" }];
    }

    public byte[] Compact(byte[] body) => body;

    /// <summary>Returns the event type; throws <see cref="WebhookFormatException"/> when the body is not a webhook of these applications.</summary>
    private static string Parse(ReadOnlySpan<byte> payload, string? source) => JsonWebhookBody.Read(payload, "eventType", string.Empty, (root, eventType) =>
    {
        CheckItem(root, "movie", source is null or "radarr" && RadarrItemEvents.Contains(eventType) && root.TryGetProperty("movie", out _));
        CheckItem(root, "series", source is null or "sonarr" && SonarrItemEvents.Contains(eventType) && root.TryGetProperty("series", out _));
        if (root.TryGetProperty("episodes", out var episodes) && episodes.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            throw new WebhookFormatException($"'episodes' must be an array, not {episodes.ValueKind}.");
        }

        return eventType;
    });

    private static void CheckItem(JsonElement root, string name, bool check)
    {
        if (!check)
        {
            return;
        }

        var item = root.GetProperty(name);
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new WebhookFormatException($"'{name}' must be an object, not {item.ValueKind}.");
        }

        if (!item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out _))
        {
            throw new WebhookFormatException($"'{name}.id' must be a number.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Delivery {Id} from {Source}: event type '{EventType}' is not one Marquee reads; kept and ignored")]
        public static partial void Ignored(ILogger logger, long id, string source, string eventType);
    }
}
