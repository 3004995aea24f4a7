namespace Marquee.Core.Webhooks;

/// <summary>
/// One webhook format: checks a payload when it arrives (before it is stored and acknowledged) and turns a stored
/// delivery into live events when the inbox is drained. Deliveries name their format in <see cref="InboxDelivery.Source"/>.
/// </summary>
public interface IWebhookNormaliser
{
    /// <summary>Gets the delivery sources this format reads, for example <c>plex</c>.</summary>
    IReadOnlyCollection<string> Sources { get; }

    /// <summary>Names the format for an error message, for example "a Plex webhook".</summary>
    string Describe(string source);

    /// <summary>Checks the payload and returns its event name; throws <see cref="WebhookFormatException"/> when it is unusable.</summary>
    string Validate(ReadOnlySpan<byte> payload);

    /// <summary>Parses a stored delivery and returns its event name and live events.</summary>
    (string Event, IReadOnlyList<LiveEvent> Events) Normalise(InboxDelivery delivery);

    /// <summary>Returns what a handled delivery of this format keeps: the fields diagnosis needs, in a form <see cref="Normalise"/> still reads.</summary>
    byte[] Compact(byte[] body);
}

/// <summary>Plex webhooks: the multipart <c>payload</c> part, one handler per group of event types.</summary>
public sealed class PlexWebhookNormaliser(PlexWebhookHandlerFactory handlers) : IWebhookNormaliser
{
    public IReadOnlyCollection<string> Sources { get; } = ["plex"];

    public string Describe(string source) => "a Plex webhook";

    public string Validate(ReadOnlySpan<byte> payload) => PlexWebhookParser.Parse(payload).Event;

    public (string Event, IReadOnlyList<LiveEvent> Events) Normalise(InboxDelivery delivery)
    {
        var webhook = PlexWebhookParser.Parse(delivery.Body);
        return (webhook.Event, handlers.Create(webhook.Event).Handle(webhook, delivery));
    }

    public byte[] Compact(byte[] body) => PlexWebhookCompactor.Compact(body);
}

/// <summary>Jellyfin's Webhook plugin and Emby's webhooks: a JSON body.</summary>
public sealed class JellyfinWebhookNormaliser : IWebhookNormaliser
{
    public IReadOnlyCollection<string> Sources { get; } = ["jellyfin", "emby"];

    public string Describe(string source) => source == "emby" ? "an Emby webhook" : "a Jellyfin webhook";

    public string Validate(ReadOnlySpan<byte> payload) => JellyfinWebhookParser.Parse(payload).Event;

    public (string Event, IReadOnlyList<LiveEvent> Events) Normalise(InboxDelivery delivery)
    {
        var webhook = JellyfinWebhookParser.Parse(delivery.Body);
        return (webhook.Event, JellyfinWebhookEvents.Create(webhook, delivery));
    }

    public byte[] Compact(byte[] body) => JellyfinWebhookCompactor.Compact(body);
}
