using Marquee.Core.Providers;

namespace Marquee.Providers.Http;

/// <summary>The checks every URL-plus-API-key connection shares (Radarr, Sonarr, Seerr).</summary>
public static class ApiKeySettings
{
    /// <summary>Adds problems for a URL that is not absolute http(s) or carries a query, and for a missing or malformed key.</summary>
    public static void Check(List<FieldProblem> problems, Uri url, string? apiKey, string whereShown, int maxKeyLength)
    {
        if (ProviderUrl.Check(problems, url) && (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment)))
        {
            problems.Add(new FieldProblem("url", "'url' must not carry a query or fragment; give the API key as 'apiKey'."));
        }

        if (string.IsNullOrWhiteSpace(apiKey))
        {
            problems.Add(new FieldProblem("apiKey", $"'apiKey' is required ({whereShown})."));
        }
        else if (apiKey.Length > maxKeyLength || apiKey.Any(char.IsWhiteSpace))
        {
            problems.Add(new FieldProblem("apiKey", $"'apiKey' must be the key as shown, without spaces (at most {maxKeyLength} characters)."));
        }
    }
}
