using System.Globalization;
using System.Text.Json;

namespace Marquee.Core.Webhooks;

/// <summary>Reading webhook JSON fields: tolerant of numbers and keys sent as strings, a clear error for anything else.</summary>
internal static class WebhookJson
{
    /// <summary>Parses a payload that must be one JSON object.</summary>
    internal static JsonDocument ParseObject(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new WebhookFormatException($"The payload is not valid JSON: {ex.Message}");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new WebhookFormatException("The payload must be a JSON object.");
        }

        return document;
    }

    /// <summary>A field only consumers describe the event with: one of the wrong type is left out, never a reason to refuse.</summary>
    internal static T? Descriptive<T>(Func<T?> read)
    {
        try
        {
            return read();
        }
        catch (WebhookFormatException)
        {
            return default;
        }
    }

    internal static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";

    internal static JsonElement? Object(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw new WebhookFormatException($"'{name}' must be an object.");
    }

    internal static string? String(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Mistyped(path, "a string");
    }

    // Ids and keys: Plex sends them as strings or numbers depending on the version; both are accepted.
    internal static string? Key(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String when value.GetString() is { Length: > 0 and <= 64 } s => s,
            JsonValueKind.Number when value.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
            _ => throw Mistyped(path, "a number or a non-empty string"),
        };
    }

    internal static long? Integer(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.Number when value.TryGetDouble(out var d) && d is >= long.MinValue and <= long.MaxValue => (long)d,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => throw Mistyped(path, "a number"),
        };
    }

    internal static double? Number(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
            _ => throw Mistyped(path, "a number"),
        };
    }

    internal static bool Bool(JsonElement parent, string name, string path) => NullableBool(parent, name, path, strings: false) ?? false;

    /// <summary>A boolean, or null when absent; with <paramref name="strings"/> also "true"/"false" in any case (templated payloads).</summary>
    internal static bool? NullableBool(JsonElement parent, string name, string path, bool strings)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out var n) => n != 0,
            JsonValueKind.String when strings && bool.TryParse(value.GetString(), out var b) => b,
            _ => throw Mistyped(path, "a boolean"),
        };
    }

    internal static DateTimeOffset? Seconds(long? value) =>
        value is { } s && s > 0 && s < 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    internal static WebhookFormatException Mistyped(string path, string expected) => new($"'{path}' must be {expected}.");
}
