using System.Text.Json;

namespace Marquee.Core.Webhooks;

/// <summary>
/// Keeps the named fields of a JSON webhook: top-level fields (or every field starting with a prefix that ends in
/// <c>*</c>), and chosen fields of named objects. Each webhook format has its own list (what diagnosis of that format
/// needs); everything else (descriptions, artwork, cast) is dropped once the delivery is handled.
/// </summary>
public sealed class WebhookCompactor(IReadOnlyList<string> top, IReadOnlyDictionary<string, string[]> objects)
{
    private readonly string[] _exact = [.. top.Where(f => !f.EndsWith('*'))];

    private readonly string[] _prefixes = [.. top.Where(f => f.EndsWith('*')).Select(f => f[..^1])];

    /// <summary>The body kept for a delivery that repeats an earlier handled one: a pointer to it.</summary>
    public static byte[] DuplicateOf(long deliveryId) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, long> { ["duplicateOf"] = deliveryId });

    /// <summary>Returns the compact form of a payload, or the payload itself when it is not a JSON object or would not shrink.</summary>
    public byte[] Compact(byte[] payload)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return payload;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return payload;
            }

            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                Copy(root, _exact, writer);
                foreach (var property in root.EnumerateObject())
                {
                    if (_prefixes.Any(p => property.Name.StartsWith(p, StringComparison.Ordinal)))
                    {
                        property.WriteTo(writer);
                    }
                }

                foreach (var (name, fields) in objects)
                {
                    if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object)
                    {
                        writer.WriteStartObject(name);
                        Copy(value, fields, writer);
                        writer.WriteEndObject();
                    }
                }

                writer.WriteEndObject();
            }

            return buffer.Length < payload.Length ? buffer.ToArray() : payload;
        }
    }

    private static void Copy(JsonElement from, string[] fields, Utf8JsonWriter writer)
    {
        foreach (var field in fields)
        {
            if (from.TryGetProperty(field, out var value))
            {
                writer.WritePropertyName(field);
                value.WriteTo(writer);
            }
        }
    }
}
