using System.Text.Json;
using System.Text.Json.Nodes;

namespace Marquee.Simulators.Infrastructure;

/// <summary>
/// Reads a request's JSON body as the simulated servers do: a key named twice takes its last value (System.Text.Json's
/// typed reading in Jellyfin, Sonarr and Radarr, Newtonsoft in Shoko and Rails in Trakt all keep the last), where
/// <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/> would fail on the first lookup.
/// Invalid JSON still throws <see cref="JsonException"/>.
/// </summary>
public static class SimJson
{
    public static async Task<JsonNode?> ParseAsync(Stream body, JsonNodeOptions? options, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, default, cancellationToken);
        return Node(document.RootElement, options);
    }

    private static JsonNode? Node(JsonElement element, JsonNodeOptions? options)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject(options);
                foreach (var property in element.EnumerateObject())
                {
                    obj[property.Name] = Node(property.Value, options);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray(options);
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Node(item, options));
                }

                return array;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone(), options);
        }
    }
}
