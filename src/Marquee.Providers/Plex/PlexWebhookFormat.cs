using Marquee.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marquee.Providers.Plex;

/// <summary>
/// Plex webhooks: the multipart <c>payload</c> part, one handler per group of event types. Every delivery reaches the
/// consumers as its own kind: the handler's event when it is that kind, else beside the handler's events (<see cref="PlexWebhookEvents.Notice"/>).
/// </summary>
public sealed class PlexWebhookFormat(PlexWebhookHandlerFactory handlers) : IWebhookFormat
{
    public IReadOnlyList<WebhookSender> Senders { get; } = [new("plex", "Plex")];

    public string Describe(string source) => "a Plex webhook";

    public ValueTask<byte[]> ReadPayloadAsync(string? contentType, byte[] body, CancellationToken cancellationToken) =>
        WebhookPayloads.MultipartPartAsync(contentType, body, "payload", "Plex webhooks are multipart/form-data with a 'payload' part.", cancellationToken);

    public string Validate(ReadOnlySpan<byte> payload) => PlexWebhookParser.Parse(payload).Event;

    public (string Event, IReadOnlyList<LiveEvent> Events) Normalise(InboxDelivery delivery)
    {
        var webhook = PlexWebhookParser.Parse(delivery.Body);
        var events = handlers.Create(webhook.Event).Handle(webhook, delivery);
        var kind = LiveEventType.KindOf(PlexWebhookEvents.TypeOf(webhook.Event));
        return (webhook.Event, events.Any(e => e.Kind == kind) ? events : [.. events, PlexWebhookEvents.Notice(webhook, delivery)]);
    }

    public byte[] Compact(byte[] body) => PlexWebhookCompactor.Compact(body);
}

/// <summary>Registers the Plex webhook format and its handlers.</summary>
public static class PlexWebhookRegistration
{
    public static IServiceCollection AddPlexWebhooks(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlexWebhookHandler, PlexPlaybackHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlexWebhookHandler, PlexRateHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlexWebhookHandler, PlexLibraryNewHandler>());
        services.TryAddSingleton<PlexWebhookHandlerFactory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookFormat, PlexWebhookFormat>());
        return services;
    }
}
