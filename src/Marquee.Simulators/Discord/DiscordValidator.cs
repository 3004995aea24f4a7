using System.Globalization;
using System.Text.Json.Nodes;

namespace Marquee.Simulators.Discord;

/// <summary>
/// The limits of an execute-webhook body (content 2000; 10 embeds; embed title 256, description 4096, 25 fields, field
/// name 256 and value 1024 and neither empty, footer 2048, author 256; 6000 characters across the embeds of a message).
/// </summary>
public static class DiscordValidator
{
    public const int ContentMax = 2000;
    public const int EmbedsMax = 10;
    public const int TitleMax = 256;
    public const int DescriptionMax = 4096;
    public const int FieldsMax = 25;
    public const int FieldNameMax = 256;
    public const int FieldValueMax = 1024;
    public const int FooterMax = 2048;
    public const int AuthorMax = 256;
    public const int TotalMax = 6000;

    /// <summary>One problem: its path in the body (<c>embeds.0.title</c>), Discord's error code and message.</summary>
    public sealed record Problem(string Path, string Code, string Message);

    /// <summary>The embed fields that may name an uploaded file as <c>attachment://name</c>.</summary>
    private static readonly string[][] AttachmentUrls = [["thumbnail", "url"], ["image", "url"], ["author", "icon_url"], ["footer", "icon_url"]];

    /// <summary>
    /// Checks a message; <paramref name="files"/> are the names of the files uploaded with it, which an embed's
    /// <c>attachment://name</c> must name (none for a JSON execution).
    /// </summary>
    public static IReadOnlyList<Problem> Validate(JsonObject body, IReadOnlyCollection<string>? files = null)
    {
        var problems = new List<Problem>();
        var content = Text(body, "content", "content", problems);
        if (content is { Length: > ContentMax })
        {
            problems.Add(TooLong("content", ContentMax));
        }

        var embeds = body["embeds"];
        var embedCount = 0;
        if (embeds is JsonArray array)
        {
            embedCount = array.Count;
            if (array.Count > EmbedsMax)
            {
                problems.Add(new Problem("embeds", "BASE_TYPE_MAX_LENGTH", $"Must be {EmbedsMax} or fewer in length."));
            }

            var total = 0;
            for (var i = 0; i < array.Count; i++)
            {
                total += ValidateEmbed(array[i], $"embeds.{i}", problems);
                Attachments(array[i], $"embeds.{i}", files ?? [], problems);
            }

            if (total > TotalMax)
            {
                problems.Add(new Problem("embeds", "BASE_TYPE_MAX_LENGTH", $"Embed size exceeds maximum size of {TotalMax}"));
            }
        }
        else if (embeds is not null)
        {
            problems.Add(new Problem("embeds", "BASE_TYPE_ARRAY", "Must be an array."));
        }

        if (problems.Count == 0 && string.IsNullOrEmpty(content) && embedCount == 0)
        {
            problems.Add(new Problem(string.Empty, "50006", "Cannot send an empty message"));
        }

        return problems;
    }

    /// <summary>The <c>errors</c> object of a 50035 answer: the path's segments nest, each ending in <c>_errors</c>.</summary>
    public static JsonObject Errors(IEnumerable<Problem> problems)
    {
        var root = new JsonObject();
        foreach (var problem in problems.Where(p => p.Path.Length > 0))
        {
            var node = root;
            foreach (var segment in problem.Path.Split('.'))
            {
                if (node[segment] is not JsonObject next)
                {
                    next = new JsonObject();
                    node[segment] = next;
                }

                node = next;
            }

            if (node["_errors"] is not JsonArray list)
            {
                list = [];
                node["_errors"] = list;
            }

            list.Add(new JsonObject { ["code"] = problem.Code, ["message"] = problem.Message });
        }

        return root;
    }

    // An attachment:// URL must name a file uploaded with the message.
    private static void Attachments(JsonNode? node, string path, IReadOnlyCollection<string> files, List<Problem> problems)
    {
        foreach (var parts in AttachmentUrls)
        {
            if (node is JsonObject embed && embed[parts[0]] is JsonObject owner && owner[parts[1]] is JsonValue value && value.TryGetValue<string>(out var url)
                && url.StartsWith("attachment://", StringComparison.Ordinal) && !files.Contains(url["attachment://".Length..], StringComparer.Ordinal))
            {
                problems.Add(new Problem($"{path}.{parts[0]}.{parts[1]}", "UNFURLED_MEDIA_ITEM_REFERENCED_ATTACHMENT_NOT_FOUND", $"The referenced attachment (\"{url}\") was not found"));
            }
        }
    }

    // Returns the characters this embed counts toward the message's total.
    private static int ValidateEmbed(JsonNode? node, string path, List<Problem> problems)
    {
        if (node is not JsonObject embed)
        {
            problems.Add(new Problem(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"));
            return 0;
        }

        var total = 0;
        total += Limit(Text(embed, "title", path + ".title", problems), TitleMax, path + ".title", problems);
        total += Limit(Text(embed, "description", path + ".description", problems), DescriptionMax, path + ".description", problems);
        if (embed["footer"] is JsonObject footer)
        {
            total += Limit(Text(footer, "text", path + ".footer.text", problems), FooterMax, path + ".footer.text", problems);
        }

        if (embed["author"] is JsonObject author)
        {
            total += Limit(Text(author, "name", path + ".author.name", problems), AuthorMax, path + ".author.name", problems);
        }

        if (embed["color"] is JsonValue color && (!color.TryGetValue<long>(out var rgb) || rgb is < 0 or > 0xFFFFFF))
        {
            problems.Add(new Problem(path + ".color", "NUMBER_TYPE_MAX", "int value should be between 0 and 16777215."));
        }

        if (embed["fields"] is JsonArray fields)
        {
            if (fields.Count > FieldsMax)
            {
                problems.Add(new Problem(path + ".fields", "BASE_TYPE_MAX_LENGTH", $"Must be {FieldsMax} or fewer in length."));
            }

            for (var i = 0; i < fields.Count; i++)
            {
                var at = string.Create(CultureInfo.InvariantCulture, $"{path}.fields.{i}");
                if (fields[i] is not JsonObject field)
                {
                    problems.Add(new Problem(at, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"));
                    continue;
                }

                total += Required(Text(field, "name", at + ".name", problems), FieldNameMax, at + ".name", problems);
                total += Required(Text(field, "value", at + ".value", problems), FieldValueMax, at + ".value", problems);
            }
        }

        return total;
    }

    private static int Required(string? text, int max, string path, List<Problem> problems)
    {
        if (string.IsNullOrEmpty(text))
        {
            problems.Add(new Problem(path, "BASE_TYPE_REQUIRED", "This field is required"));
            return 0;
        }

        return Limit(text, max, path, problems);
    }

    private static int Limit(string? text, int max, string path, List<Problem> problems)
    {
        if (text is null)
        {
            return 0;
        }

        if (text.Length > max)
        {
            problems.Add(TooLong(path, max));
        }

        return text.Length;
    }

    private static Problem TooLong(string path, int max) => new(path, "BASE_TYPE_MAX_LENGTH", $"Must be {max} or fewer in length.");

    private static string? Text(JsonObject owner, string name, string path, List<Problem> problems)
    {
        var node = owner[name];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return text;
        }

        problems.Add(new Problem(path, "BASE_TYPE_STRING", "Must be a string."));
        return null;
    }
}
