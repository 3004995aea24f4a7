using Marquee.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marquee.Providers.Jellyfin;

/// <summary>Jellyfin's Webhook plugin and Emby's webhooks: a JSON body.</summary>
public sealed class JellyfinWebhookFormat : IWebhookFormat
{
    public IReadOnlyList<WebhookSender> Senders { get; } = [new("jellyfin", "Jellyfin"), new("emby", "Emby")];

    public string Describe(string source) => source == "emby" ? "an Emby webhook" : "a Jellyfin webhook";

    public ValueTask<byte[]> ReadPayloadAsync(string? contentType, byte[] body, CancellationToken cancellationToken) => ValueTask.FromResult(body);

    public string Validate(ReadOnlySpan<byte> payload) => JellyfinWebhookParser.Parse(payload).Event;

    public (string Event, IReadOnlyList<LiveEvent> Events) Normalise(InboxDelivery delivery)
    {
        var webhook = JellyfinWebhookParser.Parse(delivery.Body);
        return (webhook.Event, JellyfinWebhookEvents.Create(webhook, delivery));
    }

    public byte[] Compact(byte[] body) => JellyfinWebhookCompactor.Compact(body);
}

/// <summary>Registers the webhook format of Jellyfin and Emby.</summary>
public static class JellyfinWebhookRegistration
{
    public static IServiceCollection AddJellyfinWebhooks(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookFormat, JellyfinWebhookFormat>());
        return services;
    }
}
