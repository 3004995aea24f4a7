using System.Text.Json;
using Marquee.Core.Webhooks;

namespace Marquee.Providers.Json;

/// <summary>The first steps of reading a JSON webhook body: valid JSON, an object, and a non-empty event-type string of at most 100 characters.</summary>
internal static class JsonWebhookBody
{
    /// <summary>
    /// Parses <paramref name="payload"/>, checks the object and its <paramref name="typeField"/>, then lets <paramref name="read"/>
    /// look at the rest; every way it can be unusable is a <see cref="WebhookFormatException"/>.
    /// </summary>
    public static T Read<T>(ReadOnlySpan<byte> payload, string typeField, string hint, Func<JsonElement, string, T> read)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new WebhookFormatException($"The body is JSON but not an object ({root.ValueKind}).");
            }

            if (!root.TryGetProperty(typeField, out var type) || type.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(type.GetString()))
            {
                throw new WebhookFormatException($"The body has no '{typeField}' string{hint}.");
            }

            var name = type.GetString()!;
            return name.Length > 100
                ? throw new WebhookFormatException($"The '{typeField}' is longer than 100 characters.")
                : read(root, name);
        }
        catch (JsonException ex)
        {
            throw new WebhookFormatException($"The body is not valid JSON: {ex.Message}");
        }
    }
}
