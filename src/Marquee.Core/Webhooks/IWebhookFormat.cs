namespace Marquee.Core.Webhooks;

/// <summary>A sender of webhooks: its path segment in <c>/webhooks/{kind}/{secret}</c> and the name users know it by.</summary>
/// <param name="Kind">The path segment and the deliveries' source, for example <c>plex</c>.</param>
/// <param name="DisplayName">For example "Plex"; also names the routes (<c>PlexWebhook</c>).</param>
public sealed record WebhookSender(string Kind, string DisplayName);

/// <summary>The payload is not a webhook of its sender that we can use; the message says why.</summary>
public sealed class WebhookFormatException(string message) : Exception(message)
{
}

/// <summary>
/// A provider's webhook ingest: which senders it reads, how their payload is found in a request body, how a payload is
/// checked when it arrives (before it is stored and acknowledged), how a stored delivery becomes live events when the
/// inbox is drained, and what a handled delivery keeps. Deliveries name their sender in <see cref="InboxDelivery.Source"/>.
/// The web host maps <c>/webhooks/{kind}/{secret}</c> for every sender of every registered format; the body size limit,
/// the secret and the rate limit stay there.
/// </summary>
public interface IWebhookFormat
{
    /// <summary>Gets the senders this format reads, in the order their URLs are printed.</summary>
    IReadOnlyList<WebhookSender> Senders { get; }

    /// <summary>Gets the HTTP methods its senders deliver with (Plex, Jellyfin, Emby: POST; Radarr and Sonarr may be set to PUT).</summary>
    IReadOnlyList<string> Methods => ["POST"];

    /// <summary>Names the format for an error message, for example "a Plex webhook".</summary>
    string Describe(string source);

    /// <summary>Finds the payload in a request body (a multipart part, or the body itself); throws <see cref="WebhookFormatException"/> when it is not there.</summary>
    ValueTask<byte[]> ReadPayloadAsync(string? contentType, byte[] body, CancellationToken cancellationToken);

    /// <summary>Checks the payload and returns its event name; throws <see cref="WebhookFormatException"/> when it is unusable.</summary>
    string Validate(ReadOnlySpan<byte> payload);

    /// <summary>Parses a stored delivery and returns its event name and live events.</summary>
    (string Event, IReadOnlyList<LiveEvent> Events) Normalise(InboxDelivery delivery);

    /// <summary>Returns what a handled delivery of this format keeps: the fields diagnosis needs, in a form <see cref="Normalise"/> still reads.</summary>
    byte[] Compact(byte[] body);
}

/// <summary>The registered webhook formats, found by their senders' kinds; a format registered later wins a kind.</summary>
public sealed class WebhookFormats
{
    private readonly Dictionary<string, IWebhookFormat> _byKind = new(StringComparer.Ordinal);

    private readonly Dictionary<string, WebhookSender> _senders = new(StringComparer.Ordinal);

    public WebhookFormats(IEnumerable<IWebhookFormat> formats)
    {
        foreach (var format in formats)
        {
            foreach (var sender in format.Senders)
            {
                _byKind[sender.Kind] = format;
                _senders.Remove(sender.Kind);
                _senders[sender.Kind] = sender;
            }
        }
    }

    /// <summary>Gets every sender, in registration order.</summary>
    public IReadOnlyList<WebhookSender> Senders => [.. _senders.Values];

    /// <summary>Returns the format that reads deliveries from <paramref name="kind"/>, or null.</summary>
    public IWebhookFormat? Find(string kind) => _byKind.GetValueOrDefault(kind);
}
