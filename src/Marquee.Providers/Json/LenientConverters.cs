using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marquee.Providers.Json;

/// <summary>
/// Strings that arrive as numbers or booleans (Plex: PLEX-API.md 1.3; Jellyfin/Emby: a ProviderIds value written as 603);
/// also usable for dictionary keys.
/// </summary>
internal sealed class LenientStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.HasValueSequence
            ? System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence))
            : System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => null,
        _ => throw NotText(reader.TokenType),
    };

    /// <summary>Whether <see cref="Read"/> gives a value (or null) for a token of this type rather than an error.</summary>
    internal static bool IsText(JsonTokenType token) =>
        token is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null;

    /// <summary>The error <see cref="Read"/> gives for any other token.</summary>
    internal static JsonException NotText(JsonTokenType token) => new($"Expected a string, got {token}.");

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString() ?? string.Empty;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
}

/// <summary>Integers sent as numbers or as strings ("size":"1"); empty strings mean absent.</summary>
internal sealed class LenientLongConverter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var whole))
                {
                    return whole;
                }

                return (long)reader.GetDouble();
            case JsonTokenType.String:
                var text = reader.GetString();
                if (string.IsNullOrWhiteSpace(text))
                {
                    return 0;
                }

                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
                {
                    return (long)real;
                }

                throw new JsonException($"Expected an integer, got \"{text}\".");
            case JsonTokenType.True:
                return 1;
            case JsonTokenType.False:
                return 0;
            default:
                throw new JsonException($"Expected an integer, got {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

/// <summary>Integers (int) with the same leniency as <see cref="LenientLongConverter"/>.</summary>
internal sealed class LenientIntConverter : JsonConverter<int>
{
    private static readonly LenientLongConverter Long = new();

    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = Long.Read(ref reader, typeof(long), options);
        return value is > int.MaxValue or < int.MinValue ? throw new JsonException($"{value} is out of range.") : (int)value;
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

/// <summary>Real numbers sent as numbers or strings.</summary>
internal sealed class LenientDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String when double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        _ => throw new JsonException($"Expected a number, got {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

/// <summary>Booleans sent as true/false, 0/1 or "0"/"1"/"true"/"false".</summary>
internal sealed class LenientBoolConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var n) ? n != 0 : reader.GetDouble() != 0;
            case JsonTokenType.String:
                var text = reader.GetString();
                if (string.IsNullOrEmpty(text) || text == "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                if (text == "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                throw new JsonException($"Expected a boolean, got \"{text}\".");
            default:
                throw new JsonException($"Expected a boolean, got {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
