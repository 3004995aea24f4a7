using System.Globalization;
using System.Text.Json.Nodes;
using Marquee.Core.Notifications;

namespace Marquee.Providers.Notifications;

/// <summary>
/// Builds a Discord execute-webhook body from a notification, cut to Discord's limits (title 256, description 4096,
/// 25 fields with name 256 and value 1024, footer 2048, author 256, 6000 in all), so the message is always valid.
/// </summary>
public static class DiscordMessage
{
    public const int TitleMax = 256;
    public const int DescriptionMax = 4096;
    public const int FieldsMax = 25;
    public const int FieldNameMax = 256;
    public const int FieldValueMax = 1024;
    public const int FooterMax = 2048;
    public const int AuthorMax = 256;
    public const int TotalMax = 6000;

    /// <summary>The message body; <paramref name="attachment"/> names an uploaded poster shown as the embed's thumbnail.</summary>
    public static JsonObject Build(NotificationPayload message, string? server, string? attachment = null)
    {
        var style = NotificationTriggers.Styles.GetValueOrDefault(message.Trigger);
        var title = Clip(message.Title.Length > 0 ? message.Title : message.Trigger, TitleMax);
        var author = message.User is { Length: > 0 } user ? Clip(user, AuthorMax) : null;
        var footer = Clip(server is { Length: > 0 } ? $"Marquee · {server}" : "Marquee", FooterMax);
        var fields = message.Fields
            .Where(f => !string.IsNullOrWhiteSpace(f.Name) && !string.IsNullOrWhiteSpace(f.Value))
            .Take(FieldsMax)
            .Select(f => (Name: Clip(f.Name, FieldNameMax), Value: Clip(f.Value, FieldValueMax), f.Inline))
            .ToList();
        var description = Clip(message.Body, DescriptionMax);

        // Over the message total: shorten the description first, then drop fields from the end.
        int Total() => title.Length + description.Length + footer.Length + (author?.Length ?? 0) + fields.Sum(f => f.Name.Length + f.Value.Length);
        if (Total() > TotalMax)
        {
            description = Clip(description, Math.Max(0, description.Length - (Total() - TotalMax)));
        }

        while (Total() > TotalMax && fields.Count > 0)
        {
            fields.RemoveAt(fields.Count - 1);
        }

        var embed = new JsonObject
        {
            ["title"] = title,
            ["color"] = style?.Color ?? 0xE5A00D,
            ["timestamp"] = message.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["footer"] = new JsonObject { ["text"] = footer },
        };
        if (description.Length > 0)
        {
            embed["description"] = description;
        }

        if (message.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            embed["url"] = url;
        }

        if (author is not null)
        {
            embed["author"] = new JsonObject { ["name"] = author };
        }

        if (fields.Count > 0)
        {
            embed["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["value"] = f.Value, ["inline"] = f.Inline })]);
        }

        if (attachment is not null)
        {
            embed["thumbnail"] = new JsonObject { ["url"] = "attachment://" + attachment };
        }

        var body = new JsonObject
        {
            ["username"] = "Marquee",
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
            ["embeds"] = new JsonArray(embed),
        };
        if (attachment is not null)
        {
            body["attachments"] = new JsonArray(new JsonObject { ["id"] = 0, ["filename"] = attachment });
        }

        return body;
    }

    /// <summary>Cuts text to <paramref name="max"/> characters, ending with an ellipsis when cut (never splitting a surrogate pair).</summary>
    public static string Clip(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        if (max <= 1)
        {
            return max == 1 ? "…" : string.Empty;
        }

        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut] + "…";
    }
}
