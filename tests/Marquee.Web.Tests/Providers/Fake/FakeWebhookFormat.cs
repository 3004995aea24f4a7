using System.Text.Json;
using Marquee.Core.Live;
using Marquee.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marquee.Web.Tests.Providers.Fake;

/// <summary>
/// The webhook format of a provider that exists only in the tests: a JSON body <c>{"event":"watched","user":…,"item":…}</c>.
/// It shows that a provider brings its webhook route, its parser and its compactor by registering a format, without
/// a change to the web project.
/// </summary>
public sealed class FakeWebhookFormat : IWebhookFormat
{
    public const string Kind = "fake";

    private static readonly WebhookCompactor Fields = new(["event", "user", "item"], new Dictionary<string, string[]>(StringComparer.Ordinal));

    public IReadOnlyList<WebhookSender> Senders { get; } = [new(Kind, "Fake")];

    public string Describe(string source) => "a fake webhook";

    public ValueTask<byte[]> ReadPayloadAsync(string? contentType, byte[] body, CancellationToken cancellationToken) => ValueTask.FromResult(body);

    public string Validate(ReadOnlySpan<byte> payload) => Parse(payload).Event;

    public (string Event, IReadOnlyList<LiveEvent> Events) Normalise(InboxDelivery delivery)
    {
        var (name, user, item) = Parse(delivery.Body);
        return (name, [new LiveEvent(delivery.Source, LiveEventOrigin.Webhook, null, user, null, item, null, "movie", KindOf(name), null, delivery.ReceivedAt, delivery.Id)]);
    }

    public byte[] Compact(byte[] body) => Fields.Compact(body);

    /// <summary>The fake server's "watched" is a watch; anything else a start.</summary>
    internal static string KindOf(string name) => name == "watched" ? LiveEventKind.Watched : LiveEventKind.Play;

    internal static (string Event, string User, string Item) Parse(ReadOnlySpan<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var root = document.RootElement;
            string Field(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw new WebhookFormatException($"'{name}' is missing.");
            return (Field("event"), Field("user"), Field("item"));
        }
        catch (JsonException ex)
        {
            throw new WebhookFormatException($"The body is not JSON: {ex.Message}");
        }
    }
}

/// <summary>The fake provider's one registration line: its webhook format and its live-event source.</summary>
public static class FakeRegistration
{
    public static IServiceCollection AddFakeProvider(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookFormat, FakeWebhookFormat>());
        services.TryAddSingleton<FakeLiveEventSource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILiveEventSource, FakeLiveEventSource>(sp => sp.GetRequiredService<FakeLiveEventSource>()));
        return services;
    }
}
