using System.Text.Json;
using System.Xml.Linq;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>
/// Compares a response with a recorded example by shape: field names, JSON kinds and nesting.
/// Every field the simulator sends must exist in the example (with the same kind), and every field
/// that all example objects at that place carry must be sent too, except fields the simulator
/// deliberately does not model (cast, genres, artwork, ratings from agents).
/// </summary>
internal static class ShapeComparer
{
    public static readonly HashSet<string> NotModelled = new(StringComparer.Ordinal)
    {
        "Genre", "Country", "Director", "Writer", "Role", "Rating", "Image", "UltraBlurColors", "Collection",
        "rating", "audienceRating", "audienceRatingImage", "ratingImage", "slug", "parentSlug", "grandparentSlug",
        "tagline", "chapterSource", "primaryExtraKey", "theme", "parentTheme", "grandparentTheme", "skipCount",
        "videoFrameRate", "videoProfile", "aspectRatio", "publicPagesURL", "art", "studio", "contentRating", "summary",
        "mixedParents", "contentRatingAge", "index", "year", "originallyAvailableAt", "userRating", "lastRatedAt", "viewCount", "lastViewedAt", "viewOffset",
        "editionTitle", "Label", "Field", "Guid", "TranscodeSession", "Stream", "protocol", "transcodeSession",
        "parentRatingKey", "grandparentRatingKey", "parentGuid", "grandparentGuid", "parentKey", "grandparentKey",
        "parentTitle", "grandparentTitle", "parentIndex", "parentThumb", "grandparentThumb", "grandparentArt",
    };

    private const string Synthetic = "synthetic";
    private static readonly Lazy<Dictionary<string, Dictionary<string, HashSet<string>>>> JsonVocabulary = new(BuildJsonVocabulary);
    private static readonly Lazy<Dictionary<string, HashSet<string>>> XmlVocabulary = new(BuildXmlVocabulary);

    public static List<string> Compare(JsonElement actual, JsonElement example, string path = "$")
    {
        var problems = new List<string>();
        CompareJson(actual, [example], path, "$", problems);
        return problems;
    }

    public static List<string> Compare(XElement actual, XElement example)
    {
        var problems = new List<string>();
        CompareXml(actual, [example], "/" + actual.Name.LocalName, problems);
        return problems;
    }

    /// <summary>
    /// Examples are trimmed differently (the legacy ones carry few fields), so a field is "known" when
    /// any example has it on the same kind of object (same array/object name, same item type).
    /// </summary>
    private static string VocabularyKey(string container, JsonElement obj) =>
        obj.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && container is "Metadata" or "$.Metadata"
            ? container + ":" + t.GetString()
            : container;

    private static Dictionary<string, Dictionary<string, HashSet<string>>> BuildJsonVocabulary()
    {
        var vocabulary = new Dictionary<string, Dictionary<string, HashSet<string>>>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(TestData.Dir, "examples"), "*.json"))
        {
            Walk(JsonDocument.Parse(File.ReadAllText(file)).RootElement, "$");
        }

        return vocabulary;

        void Walk(JsonElement e, string container)
        {
            if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item, container);
                }
            }
            else if (e.ValueKind == JsonValueKind.Object)
            {
                var key = VocabularyKey(container, e);
                if (!vocabulary.TryGetValue(key, out var fields))
                {
                    vocabulary[key] = fields = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
                }

                foreach (var p in e.EnumerateObject())
                {
                    if (!fields.TryGetValue(p.Name, out var kinds))
                    {
                        fields[p.Name] = kinds = [];
                    }

                    kinds.Add(Kind(p.Value));
                    Walk(p.Value, p.Name);
                }
            }
        }
    }

    private static Dictionary<string, HashSet<string>> BuildXmlVocabulary()
    {
        var vocabulary = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var roots = Directory.GetFiles(Path.Combine(TestData.Dir, "examples"), "*.response.json")
            .Where(f => Path.GetFileName(f).StartsWith("pms-", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("discover-", StringComparison.Ordinal))
            .Select(f => JsonToXml.Convert(JsonDocument.Parse(File.ReadAllText(f)).RootElement))
            .Concat(Directory.GetFiles(Path.Combine(TestData.Dir, "examples"), "*.xml").Select(f => XDocument.Load(f).Root!));
        foreach (var element in roots.SelectMany(r => r.DescendantsAndSelf()))
        {
            var key = XmlKey(element);
            if (!vocabulary.TryGetValue(key, out var names))
            {
                vocabulary[key] = names = new HashSet<string>(StringComparer.Ordinal);
            }

            names.UnionWith(element.Attributes().Select(a => a.Name.LocalName));
            names.UnionWith(element.Elements().Select(c => "<" + c.Name.LocalName));
        }

        return vocabulary;
    }

    private static IEnumerable<XElement> XmlVocabularyElements(string name)
    {
        foreach (var (key, names) in XmlVocabulary.Value)
        {
            if (key.StartsWith(name + ":", StringComparison.Ordinal))
            {
                var element = new XElement(name);
                element.AddAnnotation(Synthetic);
                foreach (var n in names.Where(n => !n.StartsWith('<')))
                {
                    element.SetAttributeValue(n, string.Empty);
                }

                foreach (var child in names.Where(n => n.StartsWith('<')))
                {
                    element.Add(XmlVocabularyElements(child[1..]));
                }

                yield return element;
            }
        }
    }

    private static string XmlKey(XElement e) => e.Name.LocalName + ":" + (string?)e.Attribute("type");

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Number => "number",
        JsonValueKind.String => "string",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    private static void CompareJson(JsonElement actual, List<JsonElement> examples, string path, string container, List<string> problems)
    {
        var kinds = examples.Select(Kind).Where(k => k != "null").Distinct().ToList();
        var kind = Kind(actual);
        if (kind == "null" || kinds.Count == 0)
        {
            return;
        }

        if (!kinds.Contains(kind))
        {
            problems.Add($"{path}: is {kind}, example has {string.Join("/", kinds)}");
            return;
        }

        if (kind == "object")
        {
            var objects = examples.Where(e => e.ValueKind == JsonValueKind.Object).ToList();
            JsonVocabulary.Value.TryGetValue(VocabularyKey(container, actual), out var known);
            foreach (var property in actual.EnumerateObject())
            {
                var matches = objects.Where(o => o.TryGetProperty(property.Name, out _)).Select(o => o.GetProperty(property.Name)).ToList();
                if (matches.Count == 0)
                {
                    if (known is null || !known.TryGetValue(property.Name, out var knownKinds))
                    {
                        problems.Add($"{path}.{property.Name}: not in any example");
                    }
                    else if (Kind(property.Value) != "null" && !knownKinds.Contains(Kind(property.Value)) && !knownKinds.Contains("null"))
                    {
                        problems.Add($"{path}.{property.Name}: is {Kind(property.Value)}, examples have {string.Join("/", knownKinds)}");
                    }

                    continue;
                }

                CompareJson(property.Value, matches, $"{path}.{property.Name}", property.Name, problems);
            }

            var required = objects.Select(o => o.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal))
                .Aggregate((a, b) =>
                {
                    a.IntersectWith(b);
                    return a;
                });
            foreach (var name in required)
            {
                if (!NotModelled.Contains(name) && !actual.TryGetProperty(name, out _))
                {
                    problems.Add($"{path}.{name}: missing (every example object has it)");
                }
            }
        }
        else if (kind == "array")
        {
            var elements = examples.Where(e => e.ValueKind == JsonValueKind.Array).SelectMany(e => e.EnumerateArray()).ToList();
            if (elements.Count == 0)
            {
                return;
            }

            var i = 0;
            foreach (var element in actual.EnumerateArray())
            {
                CompareJson(element, elements, $"{path}[{i++}]", container, problems);
                if (problems.Count > 20)
                {
                    return;
                }
            }
        }
    }

    private static void CompareXml(XElement actual, List<XElement> examples, string path, List<string> problems)
    {
        XmlVocabulary.Value.TryGetValue(XmlKey(actual), out var known);
        foreach (var attribute in actual.Attributes())
        {
            if (!examples.Exists(e => e.Attribute(attribute.Name) is not null) && known?.Contains(attribute.Name.LocalName) != true)
            {
                problems.Add($"{path}@{attribute.Name}: not in any example");
            }
        }

        var real = examples.Where(e => e.Annotation<string>() is null).ToList();
        if (real.Count == 0)
        {
            real = [new XElement("none")];
        }

        var required = real.Select(e => e.Attributes().Select(a => a.Name.LocalName).ToHashSet(StringComparer.Ordinal))
            .Aggregate((a, b) =>
            {
                a.IntersectWith(b);
                return a;
            });
        foreach (var name in required)
        {
            if (!NotModelled.Contains(name) && actual.Attribute(name) is null)
            {
                problems.Add($"{path}@{name}: missing (every example element has it)");
            }
        }

        foreach (var group in actual.Elements().GroupBy(e => e.Name))
        {
            var matches = examples.SelectMany(e => e.Elements(group.Key)).ToList();
            if (matches.Count == 0 && known?.Contains("<" + group.Key.LocalName) == true)
            {
                matches = [.. XmlVocabularyElements(group.Key.LocalName)];
            }

            if (matches.Count == 0)
            {
                problems.Add($"{path}/{group.Key}: element not in any example");
                continue;
            }

            foreach (var child in group)
            {
                CompareXml(child, matches, $"{path}/{group.Key}", problems);
            }
        }
    }
}
