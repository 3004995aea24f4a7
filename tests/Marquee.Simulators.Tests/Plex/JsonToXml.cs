using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>Turns a recorded JSON body into the XML form of PLEX-API.md 1.3a, to compare XML responses with.</summary>
internal static class JsonToXml
{
    public static XElement Convert(JsonElement root)
    {
        var (name, value) = root.EnumerateObject().Select(p => (p.Name, p.Value)).First();
        return Element(name, value);
    }

    private static XElement Element(string name, JsonElement obj)
    {
        var element = new XElement(name);
        foreach (var property in obj.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    element.Add(Element(property.Name, property.Value));
                    break;
                case JsonValueKind.Array:
                    foreach (var item in property.Value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
                    {
                        element.Add(Element(ChildName(property.Name, item), item));
                    }

                    break;
                case JsonValueKind.True:
                    element.SetAttributeValue(property.Name, "1");
                    break;
                case JsonValueKind.False:
                    element.SetAttributeValue(property.Name, "0");
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    element.SetAttributeValue(property.Name, property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()
                        : property.Value.GetRawText().ToString(CultureInfo.InvariantCulture));
                    break;
            }
        }

        return element;
    }

    private static string ChildName(string array, JsonElement item)
    {
        if (array != "Metadata")
        {
            return array;
        }

        var type = item.TryGetProperty("type", out var t) ? t.GetString() : null;
        return type is "movie" or "episode" or "clip" ? "Video" : "Directory";
    }
}
