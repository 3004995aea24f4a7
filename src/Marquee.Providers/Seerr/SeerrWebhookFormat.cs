using System.Globalization;
using System.Text.Json;
using Marquee.Core.Labels;
using Marquee.Core.Webhooks;
using Marquee.Providers.Json;

namespace Marquee.Providers.Seerr;

/// <summary>
/// The Webhook notification agent of Overseerr, Jellyseerr and Seerr (<c>/webhooks/seerr/{secret}</c>, SEERR-API.md 8):
/// a JSON object with a <c>notification_type</c>. The template is user-editable, so only what Marquee needs is checked:
/// a media notification carries <c>media</c> with <c>media_type</c> <c>movie</c>/<c>tv</c> and a positive
/// <c>tmdbId</c> (a string after rendering, or a number). A body without that is refused (400) and kept for diagnosis.
/// A new, approved or available request becomes one <see cref="LabelScheduler.SeerrRequest"/> event: label sync runs and
/// labels the title, or queues it as pending when Plex does not have it yet. The request is then read from Seerr's API
/// (the webhook is a trigger; it names no Plex user).
/// </summary>
public sealed class SeerrWebhookFormat : IWebhookFormat
{
    private static readonly HashSet<string> Wanted = new(StringComparer.Ordinal) { "MEDIA_PENDING", "MEDIA_APPROVED", "MEDIA_AUTO_APPROVED", "MEDIA_AVAILABLE" };

    private static readonly HashSet<string> MediaEvents = new(StringComparer.Ordinal) { "MEDIA_PENDING", "MEDIA_APPROVED", "MEDIA_AUTO_APPROVED", "MEDIA_AVAILABLE", "MEDIA_FAILED", "MEDIA_DECLINED" };

    public IReadOnlyList<WebhookSender> Senders { get; } = [new("seerr", "Seerr")];

    public string Describe(string source) => "an Overseerr/Jellyseerr/Seerr webhook";

    public ValueTask<byte[]> ReadPayloadAsync(string? contentType, byte[] body, CancellationToken cancellationToken) => ValueTask.FromResult(body);

    public string Validate(ReadOnlySpan<byte> payload) => Parse(payload).Type;

    public (string Event, IReadOnlyList<LiveEvent> Events) Normalise(InboxDelivery delivery)
    {
        var (type, mediaType, tmdb) = Parse(delivery.Body);
        if (!Wanted.Contains(type) || tmdb is not { } id)
        {
            return (type, []);
        }

        var key = id.ToString(CultureInfo.InvariantCulture);
        var kind = mediaType == "tv" ? "show" : "movie";
        return (type, [new LiveEvent(delivery.Source, "webhook", null, string.Empty, null, key, $"tmdb://{key}", kind, LabelScheduler.SeerrRequest, null, delivery.ReceivedAt, delivery.Id) { SourceEvent = type }]);
    }

    public byte[] Compact(byte[] body) => body;

    private static (string Type, string? MediaType, int? TmdbId) Parse(ReadOnlySpan<byte> payload) =>
        JsonWebhookBody.Read<(string, string?, int?)>(payload, "notification_type", " (is the webhook's JSON payload template Seerr's?)", (root, name) =>
        {
            if (!MediaEvents.Contains(name))
            {
                return (name, null, null);
            }

            if (!root.TryGetProperty("media", out var media) || media.ValueKind != JsonValueKind.Object)
            {
                throw new WebhookFormatException($"A {name} notification must carry a 'media' object (the template's \"{{{{media}}}}\" key).");
            }

            var mediaType = media.TryGetProperty("media_type", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
            if (mediaType is not ("movie" or "tv"))
            {
                throw new WebhookFormatException("'media.media_type' must be \"movie\" or \"tv\".");
            }

            int? tmdb = media.TryGetProperty("tmdbId", out var t) ? t.ValueKind switch
            {
                JsonValueKind.Number when t.TryGetInt32(out var n) && n > 0 => n,
                JsonValueKind.String when int.TryParse(t.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => n,
                _ => null,
            } : null;
            return tmdb is null
                ? throw new WebhookFormatException("'media.tmdbId' must be a positive TMDB id (a number or a string of digits).")
                : (name, mediaType, tmdb);
        });
}
