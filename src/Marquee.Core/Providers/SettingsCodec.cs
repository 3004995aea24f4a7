using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Core.Validation;

namespace Marquee.Core.Providers;

/// <summary>Turns settings JSON into typed settings records and back, naming the field on every error.</summary>
public static class SettingsCodec
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    public static ProviderSettings Read(IProviderDescriptor descriptor, JsonObject settings)
    {
        var fields = SettingsField.Describe(descriptor.SettingsType);
        var problems = new List<FieldProblem>();
        foreach (var (name, _) in settings)
        {
            if (!fields.Any(f => f.Name.Equals(name, StringComparison.Ordinal)))
            {
                problems.Add(new FieldProblem(name, $"'{name}' is not a setting of {descriptor.Kind} connections; known: {string.Join(", ", fields.Select(f => f.Name))}."));
            }
        }

        foreach (var field in fields.Where(f => f.Required))
        {
            if (settings[field.Name] is null || (settings[field.Name] is JsonValue v && v.TryGetValue<string>(out var s) && string.IsNullOrWhiteSpace(s)))
            {
                problems.Add(new FieldProblem(field.Name, $"'{field.Name}' is required."));
            }
        }

        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        ProviderSettings? result;
        try
        {
            result = (ProviderSettings?)settings.Deserialize(descriptor.SettingsType, Options);
        }
        catch (JsonException ex)
        {
            var field = FieldFromPath(ex.Path);
            throw new ValidationException([new FieldProblem(field, $"'{field}' has the wrong type or format.")]);
        }

        if (result is null)
        {
            throw new ValidationException([new FieldProblem(string.Empty, "Settings must be a JSON object.")]);
        }

        var invalid = descriptor.Validate(result);
        if (invalid.Count > 0)
        {
            throw new ValidationException(invalid);
        }

        return result;
    }

    public static JsonObject Write(ProviderSettings settings)
    {
        var node = JsonSerializer.SerializeToNode(settings, settings.GetType(), Options)!.AsObject();
        foreach (var key in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(key);
        }

        return node;
    }

    /// <summary>Returns a copy with every secret value replaced by <see cref="SettingsField.Mask"/>.</summary>
    public static JsonObject Mask(IProviderDescriptor descriptor, JsonObject settings) =>
        Transform(descriptor, settings, _ => SettingsField.Mask);

    /// <summary>Applies <paramref name="transform"/> to every secret string value of a copy of the settings.</summary>
    public static JsonObject Transform(IProviderDescriptor descriptor, JsonObject settings, Func<string, string> transform)
    {
        var copy = settings.DeepClone().AsObject();
        foreach (var field in SettingsField.Describe(descriptor.SettingsType).Where(f => f.Secret))
        {
            if (copy[field.Name] is JsonValue value && value.TryGetValue<string>(out var text))
            {
                copy[field.Name] = transform(text);
            }
        }

        return copy;
    }

    /// <summary>Where an update sends the mask back for a secret, keeps the stored secret.</summary>
    public static JsonObject KeepMaskedSecrets(IProviderDescriptor descriptor, JsonObject incoming, JsonObject? existing)
    {
        var merged = incoming.DeepClone().AsObject();
        foreach (var field in SettingsField.Describe(descriptor.SettingsType).Where(f => f.Secret))
        {
            if (merged[field.Name] is JsonValue v && v.TryGetValue<string>(out var s) && s == SettingsField.Mask)
            {
                if (existing?[field.Name] is JsonNode old)
                {
                    merged[field.Name] = old.DeepClone();
                }
                else
                {
                    throw new ValidationException([new FieldProblem(field.Name, $"'{field.Name}' is masked but no value is stored; send the real value.")]);
                }
            }
        }

        return merged;
    }

    private static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return string.Empty;
        }

        var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var end = trimmed.IndexOfAny(['.', '[']);
        return end < 0 ? trimmed : trimmed[..end];
    }
}
