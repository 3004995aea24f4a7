using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Marquee.Core.Configuration;
using Marquee.Core.Validation;

namespace Marquee.Core.Labels;

/// <summary>
/// The <c>labels:</c> section of marquee.yaml (README "Label sync"): the label settings, checked as
/// <c>PUT /api/labels/settings</c> checks them. A key the section gives replaces the stored value (an empty value, the
/// default); a key it leaves out keeps its stored value, so the API and the CLI can still change it. <c>schedule</c>,
/// <c>at</c> and <c>days</c> go together: a section giving one of them replaces the stored schedule whole. A bad value
/// names <c>labels.KEY</c> and its line, and nothing of the section is stored.
/// </summary>
public static class LabelDeclarations
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly string[] ScheduleKeys = ["schedule", "at", "days"];

    /// <summary>The label settings as the API spells them, with their types.</summary>
    private static readonly Dictionary<string, Type> Types = Strict.GetTypeInfo(typeof(LabelSettings)).Properties.ToDictionary(p => p.Name, p => p.PropertyType, StringComparer.Ordinal);

    /// <summary>Gets the keys the section may hold: the names of the label settings, as the API spells them.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Types.Keys];

    /// <summary>Stores the section's settings when they differ from the stored ones; returns the change made, or null for none.</summary>
    public static async Task<string?> ApplyAsync(string file, DeclaredLabels declared, LabelSyncService labels, CancellationToken cancellationToken)
    {
        var stored = await labels.GetSettingsAsync(cancellationToken);
        var settings = Merge(file, declared, stored);
        if (JsonSerializer.Serialize(settings, Strict) == JsonSerializer.Serialize(stored, Strict))
        {
            return null;
        }

        try
        {
            await labels.SaveSettingsAsync(settings, cancellationToken);
        }
        catch (ValidationException ex)
        {
            var first = ex.Problems.Select(p => p.Field).FirstOrDefault(declared.KeyLines.ContainsKey);
            throw new ConfigFileException(
                file,
                first is null ? declared.Line : declared.KeyLines[first],
                string.Join("; ", ex.Problems.Select(p => $"labels.{p.Field}: {p.Message}")));
        }

        return "label settings updated";
    }

    /// <summary>The stored settings with the section laid over them, read strictly; a value of the wrong type names its key.</summary>
    public static LabelSettings Merge(string file, DeclaredLabels declared, LabelSettings stored)
    {
        var defaults = JsonSerializer.SerializeToNode(new LabelSettings(), Strict)!.AsObject();
        var merged = JsonSerializer.SerializeToNode(stored, Strict)!.AsObject();
        if (declared.Section.Any(p => ScheduleKeys.Contains(p.Key)))
        {
            foreach (var key in ScheduleKeys)
            {
                merged[key] = defaults[key]?.DeepClone();
            }
        }

        foreach (var (key, value) in declared.Section)
        {
            merged[key] = value switch
            {
                null => defaults[key]?.DeepClone(),

                // A list may also be written as one comma-separated value (days: mon,wed,fri).
                JsonValue one when IsList(Types[key]) && one.TryGetValue<string>(out var text) =>
                    new JsonArray([.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode)JsonValue.Create(v))]),

                // A text setting written as a plain number or true/false is that text (removedLabel: 2024).
                JsonValue one when Types[key] == typeof(string) && one.GetValueKind() is not JsonValueKind.String => JsonValue.Create(one.ToJsonString()),
                _ => value.DeepClone(),
            };
        }

        try
        {
            return merged.Deserialize<LabelSettings>(Strict) ?? stored;
        }
        catch (JsonException ex)
        {
            var key = KeyOf(ex.Path);
            var given = declared.Section[key] is { } node ? $", not {node.ToJsonString()}" : string.Empty;
            throw new ConfigFileException(file, declared.KeyLines.GetValueOrDefault(key, declared.Line), $"labels.{key} {Expected(Types.GetValueOrDefault(key))}{given}");
        }
    }

    /// <summary>The top key of a System.Text.Json path such as <c>$.days[0]</c> or <c>$.aliases.bob</c>.</summary>
    private static string KeyOf(string? path)
    {
        var rest = path is { Length: > 2 } && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : string.Empty;
        var end = rest.IndexOfAny(['.', '[']);
        return end < 0 ? rest : rest[..end];
    }

    private static bool IsList(Type type) => type == typeof(IReadOnlyList<string>);

    private static string Expected(Type? type) => type switch
    {
        _ when type == typeof(bool) => "must be true or false",
        _ when type == typeof(int) => "must be a whole number",
        _ when type == typeof(IReadOnlyDictionary<string, string>) => "must be a mapping of names to values",
        _ when type is not null && IsList(type) => "must be a list of values",
        _ => "must be a single value",
    };
}
