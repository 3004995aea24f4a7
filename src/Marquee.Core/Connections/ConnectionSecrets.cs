using System.Text.Json.Nodes;
using Marquee.Core.Providers;

namespace Marquee.Core.Connections;

/// <summary>
/// The rules that keep a connection's secrets with the server they belong to: no credentials inside URLs, no mask
/// stored as a secret, and no stored secret carried over to a URL of another origin (scheme, host or port).
/// </summary>
public static class ConnectionSecrets
{
    /// <summary>Returns a problem for every URL setting that carries a user name or password (<c>user:password@host</c>).</summary>
    public static IEnumerable<FieldProblem> CredentialsInUrls(IProviderDescriptor descriptor, JsonObject settings) =>
        UrlFields(descriptor)
            .Where(f => Parse(settings[f.Name]) is { UserInfo.Length: > 0 })
            .Select(f => new FieldProblem(f.Name, $"'{f.Name}' must not carry a user name or password (user:password@host); give credentials in their own settings, which are stored encrypted."));

    /// <summary>Returns a problem for every secret given as the mask, which is only ever shown in place of a stored value.</summary>
    public static IEnumerable<FieldProblem> MaskedOnCreate(IProviderDescriptor descriptor, JsonObject settings) =>
        SecretFields(descriptor)
            .Where(f => IsMask(settings[f.Name]))
            .Select(f => new FieldProblem(f.Name, $"'{f.Name}' is the mask {SettingsField.Mask} that Marquee shows in place of a stored secret; give the real value."));

    /// <summary>
    /// When a URL setting moves to another origin, returns a problem for every secret sent back as the mask: the stored
    /// secret was given for the old server and is never sent to a new one without being given again.
    /// </summary>
    public static IEnumerable<FieldProblem> MaskedOnNewOrigin(IProviderDescriptor descriptor, JsonObject incoming, JsonObject current)
    {
        var moved = UrlFields(descriptor).FirstOrDefault(f => !SameOrigin(incoming[f.Name], current[f.Name]));
        if (moved is null)
        {
            return [];
        }

        return SecretFields(descriptor)
            .Where(f => IsMask(incoming[f.Name]))
            .Select(f => new FieldProblem(f.Name, $"'{f.Name}' must be given again, not as {SettingsField.Mask}: '{moved.Name}' points to another scheme, host or port, and a stored secret is never sent to a different server."));
    }

    /// <summary>Returns a copy with any user name or password inside URL settings replaced by the mask (for display).</summary>
    public static JsonObject HideUrlCredentials(IProviderDescriptor descriptor, JsonObject settings)
    {
        var copy = settings.DeepClone().AsObject();
        foreach (var field in UrlFields(descriptor))
        {
            if (Parse(copy[field.Name]) is { UserInfo.Length: > 0 } uri)
            {
                copy[field.Name] = new UriBuilder(uri) { UserName = SettingsField.Mask, Password = string.Empty }.Uri.ToString();
            }
        }

        return copy;
    }

    private static IEnumerable<SettingsField> UrlFields(IProviderDescriptor descriptor) =>
        SettingsField.Describe(descriptor.SettingsType).Where(f => f.Kind == FieldKind.Url);

    private static IEnumerable<SettingsField> SecretFields(IProviderDescriptor descriptor) =>
        SettingsField.Describe(descriptor.SettingsType).Where(f => f.Secret);

    private static bool IsMask(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s == SettingsField.Mask;

    private static Uri? Parse(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && Uri.TryCreate(s, UriKind.Absolute, out var uri) ? uri : null;

    private static bool SameOrigin(JsonNode? incoming, JsonNode? current)
    {
        var (a, b) = (Parse(incoming), Parse(current));
        if (a is null || b is null)
        {
            return JsonNode.DeepEquals(incoming, current);
        }

        return string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port;
    }
}
