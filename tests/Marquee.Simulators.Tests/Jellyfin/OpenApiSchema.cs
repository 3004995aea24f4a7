using System.Globalization;
using System.Text.Json;
using Marquee.TestKit;

namespace Marquee.Simulators.Tests.Jellyfin;

/// <summary>
/// Validates JSON bodies against the response schemas of an OpenAPI 3 document, for the subset of JSON Schema the
/// Jellyfin and Emby descriptions use: type, properties, required, additionalProperties, items, enum, nullable,
/// oneOf/anyOf/allOf and local $ref, plus the formats date-time, uuid (with or without dashes, as servers send it),
/// int32 and int64. Unknown keywords are ignored.
/// </summary>
internal sealed class OpenApiSchema
{
    private static readonly Dictionary<string, OpenApiSchema> Cache = new(StringComparer.Ordinal);
    private readonly JsonElement _root;

    private OpenApiSchema(JsonElement root)
    {
        _root = root;
    }

    public static OpenApiSchema Jellyfin => Load("jellyfin-openapi-stable.json");

    public static OpenApiSchema Emby => Load("emby-openapi-stable.json");

    public static OpenApiSchema Load(string file) => LoadFrom("Jellyfin", file);

    /// <summary>A description kept in <c>tests/Marquee.Simulators.Tests/{folder}/TestData/openapi</c>.</summary>
    public static OpenApiSchema LoadFrom(string folder, string file)
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "Marquee.Simulators.Tests", folder, "TestData", "openapi", file);
        lock (Cache)
        {
            if (!Cache.TryGetValue(path, out var schema))
            {
                schema = new OpenApiSchema(JsonDocument.Parse(File.ReadAllBytes(path)).RootElement.Clone());
                Cache[path] = schema;
            }

            return schema;
        }
    }

    /// <summary>The JSON schema of a documented response, or throws when the path, method or status is not described.</summary>
    public JsonElement ResponseSchema(string method, string path, int status)
    {
        var paths = _root.GetProperty("paths");
        Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the description");
        Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var op), $"{method} {path} is not in the description");
        var responses = op.GetProperty("responses");
        Assert.True(responses.TryGetProperty(status.ToString(CultureInfo.InvariantCulture), out var response), $"{method} {path} describes no {status} answer");
        Assert.True(response.TryGetProperty("content", out var content), $"{method} {path} {status} describes no body");
        foreach (var media in content.EnumerateObject())
        {
            if (media.Name.Contains("json", StringComparison.OrdinalIgnoreCase) && media.Value.TryGetProperty("schema", out var schema))
            {
                return schema;
            }
        }

        Assert.Fail($"{method} {path} {status} describes no JSON body");
        return default;
    }

    public JsonElement Component(string name) => _root.GetProperty("components").GetProperty("schemas").GetProperty(name);

    /// <summary>Every problem found, as "$.Items[0].UserData.Played: expected boolean, got String".</summary>
    public List<string> Validate(JsonElement value, JsonElement schema)
    {
        var errors = new List<string>();
        Check(value, schema, "$", errors, 0);
        return errors;
    }

    public void AssertValid(string method, string path, int status, string body)
    {
        var schema = ResponseSchema(method, path, status);
        using var doc = JsonDocument.Parse(body);
        var errors = Validate(doc.RootElement, schema);
        Assert.True(errors.Count == 0, $"{method} {path} {status} does not match the description:\n  " + string.Join("\n  ", errors.Take(20)));
    }

    private JsonElement Resolve(JsonElement schema)
    {
        var depth = 0;
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var target = reference.GetString()!;
            Assert.StartsWith("#/", target, StringComparison.Ordinal);
            var node = _root;
            foreach (var part in target[2..].Split('/'))
            {
                node = node.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }

            schema = node;
            Assert.True(++depth < 32, "$ref cycle at " + target);
        }

        return schema;
    }

    private void Check(JsonElement value, JsonElement schema, string at, List<string> errors, int depth)
    {
        if (depth > 64)
        {
            return;
        }

        schema = Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            if (Bool(schema, "nullable") || (schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Array && t.EnumerateArray().Any(x => x.GetString() == "null")))
            {
                return;
            }

            // A property whose schema is only a $ref wrapped in allOf/oneOf may carry nullable on the wrapper (handled above) or on the target.
            if (schema.TryGetProperty("allOf", out var wrapped) && wrapped.GetArrayLength() == 1 && Bool(Resolve(wrapped[0]), "nullable"))
            {
                return;
            }

            errors.Add($"{at}: null where the schema is not nullable");
            return;
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var part in allOf.EnumerateArray())
            {
                Check(value, part, at, errors, depth + 1);
            }
        }

        foreach (var keyword in (string[])["oneOf", "anyOf"])
        {
            if (schema.TryGetProperty(keyword, out var options))
            {
                var matches = options.EnumerateArray().Count(o => Validate(value, o, depth) == 0);
                if (matches == 0 || (keyword == "oneOf" && matches > 1))
                {
                    errors.Add($"{at}: {matches} of the {keyword} alternatives match");
                }
            }
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, value)))
        {
            errors.Add($"{at}: {value.GetRawText()} is not one of the enum values");
        }

        if (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
        {
            CheckType(value, schema, type.GetString()!, at, errors);
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = schema.TryGetProperty("properties", out var p) ? p : default;
            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray())
                {
                    if (!value.TryGetProperty(name.GetString()!, out _))
                    {
                        errors.Add($"{at}: required property {name.GetString()} is missing");
                    }
                }
            }

            foreach (var property in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
                {
                    Check(property.Value, propertySchema, $"{at}.{property.Name}", errors, depth + 1);
                }
                else if (schema.TryGetProperty("additionalProperties", out var additional))
                {
                    if (additional.ValueKind == JsonValueKind.False)
                    {
                        errors.Add($"{at}: property {property.Name} is not described (additionalProperties: false)");
                    }
                    else if (additional.ValueKind == JsonValueKind.Object)
                    {
                        Check(property.Value, additional, $"{at}.{property.Name}", errors, depth + 1);
                    }
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var element in value.EnumerateArray())
            {
                Check(element, items, $"{at}[{i++}]", errors, depth + 1);
            }
        }
    }

    private int Validate(JsonElement value, JsonElement schema, int depth)
    {
        var errors = new List<string>();
        Check(value, schema, "$", errors, depth + 1);
        return errors.Count;
    }

    private static void CheckType(JsonElement value, JsonElement schema, string type, string at, List<string> errors)
    {
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var ok = type switch
        {
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "string" => value.ValueKind == JsonValueKind.String,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "integer" => value.ValueKind == JsonValueKind.Number && (format == "int32" ? value.TryGetInt32(out _) : value.TryGetInt64(out _)),
            "number" => value.ValueKind == JsonValueKind.Number,
            _ => true,
        };
        if (!ok)
        {
            errors.Add($"{at}: expected {type}{(format is null ? string.Empty : " (" + format + ")")}, got {value.ValueKind} {Short(value)}");
            return;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return;
        }

        var text = value.GetString()!;
        if (format == "date-time" && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            errors.Add($"{at}: '{text}' is not a date-time");
        }

        if (format == "uuid" && !Guid.TryParse(text, out _))
        {
            errors.Add($"{at}: '{text}' is not a uuid");
        }
    }

    private static bool Bool(JsonElement schema, string name) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static string Short(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length > 60 ? raw[..60] + "…" : raw;
    }
}
