using Marquee.Core.Providers;

namespace Marquee.Providers.Arr;

/// <summary>Settings of a Radarr or Sonarr connection: its URL (with the URL base, if any) and its API key.</summary>
public sealed record ArrSettings : ProviderSettings
{
    [Field(0, "URL (with the URL base, e.g. http://host:7878/radarr)", Kind = FieldKind.Url)]
    public required Uri Url { get; init; }

    [Field(1, "API key", Kind = FieldKind.Password, Secret = true)]
    public required string ApiKey { get; init; }
}

public static class ArrSettingsValidator
{
    public static IReadOnlyList<FieldProblem> Validate(ArrSettings settings)
    {
        var problems = new List<FieldProblem>();
        if (!settings.Url.IsAbsoluteUri || (settings.Url.Scheme != Uri.UriSchemeHttp && settings.Url.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add(new FieldProblem("url", "'url' must be an absolute http:// or https:// URL."));
        }
        else if (!string.IsNullOrEmpty(settings.Url.Query) || !string.IsNullOrEmpty(settings.Url.Fragment))
        {
            problems.Add(new FieldProblem("url", "'url' must not carry a query or fragment; give the API key as 'apiKey'."));
        }

        if (string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            problems.Add(new FieldProblem("apiKey", "'apiKey' is required (Settings → General → Security → API Key)."));
        }
        else if (settings.ApiKey.Length > 128 || settings.ApiKey.Any(char.IsWhiteSpace))
        {
            problems.Add(new FieldProblem("apiKey", "'apiKey' must be the key as shown, without spaces (at most 128 characters)."));
        }

        return problems;
    }
}
