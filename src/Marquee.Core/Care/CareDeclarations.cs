using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Marquee.Core.Configuration;
using Marquee.Core.Validation;

namespace Marquee.Core.Care;

/// <summary>
/// Stores the <c>care:</c> section of marquee.yaml: <c>rules</c> (session rules by name) and <c>trash</c> (one setting per
/// library). Each entry is read strictly and checked as the API checks it; a bad one stops the start with the file, the
/// line of <c>care:</c> and the field.
/// </summary>
public sealed class CareDeclarations(SessionRuleService rules, TrashService trash)
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    public async Task<IReadOnlyList<string>> ApplyAsync(string file, DeclaredCare care, CancellationToken cancellationToken)
    {
        var changes = new List<string>();
        foreach (var key in care.Section.Select(p => p.Key).Where(k => k is not ("rules" or "trash")))
        {
            throw new ConfigFileException(file, care.Line, $"unknown key '{key}' in care; expected one of: rules, trash");
        }

        foreach (var (node, index) in Entries(care, "rules"))
        {
            var rule = Read<SessionRule>(file, care, node, $"care.rules[{index}]");
            await SaveAsync(file, care, $"care.rules[{index}]", () => rules.SaveAsync(rule, cancellationToken));
            changes.Add($"session rule '{rule.Name}' stored");
        }

        foreach (var (node, index) in Entries(care, "trash"))
        {
            var setting = Read<TrashSetting>(file, care, node, $"care.trash[{index}]");
            await SaveAsync(file, care, $"care.trash[{index}]", () => trash.SaveAsync(setting, cancellationToken));
            changes.Add($"trash setting for '{setting.Library}' stored");
        }

        return changes;
    }

    private static IEnumerable<(JsonElement Node, int Index)> Entries(DeclaredCare care, string key) =>
        care.Section[key] is JsonArray list ? list.Select((n, i) => (JsonSerializer.SerializeToElement(n), i)) : [];

    private static T Read<T>(string file, DeclaredCare care, JsonElement node, string where)
    {
        try
        {
            return node.Deserialize<T>(Strict) ?? throw new ConfigFileException(file, care.Line, $"{where} is empty");
        }
        catch (JsonException ex)
        {
            throw new ConfigFileException(file, care.Line, $"{where}: {(ex.Path is { Length: > 2 } path ? $"'{path[2..]}' " : string.Empty)}{ex.Message.Split(". ")[0]}");
        }
    }

    private static async Task SaveAsync(string file, DeclaredCare care, string where, Func<Task> save)
    {
        try
        {
            await save();
        }
        catch (ValidationException ex)
        {
            throw new ConfigFileException(file, care.Line, $"{where}: {string.Join("; ", ex.Problems.Select(p => $"{p.Field}: {p.Message}"))}");
        }
    }
}
