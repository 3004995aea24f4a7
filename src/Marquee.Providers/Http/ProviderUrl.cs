using Marquee.Core.Providers;

namespace Marquee.Providers.Http;

/// <summary>The check every connection's server URL shares: absolute, http or https.</summary>
public static class ProviderUrl
{
    /// <summary>Adds the problem of a <paramref name="url"/> that is not absolute http(s); false when it added one.</summary>
    public static bool Check(List<FieldProblem> problems, Uri url)
    {
        if (url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return true;
        }

        problems.Add(new FieldProblem("url", "'url' must be an absolute http:// or https:// URL."));
        return false;
    }
}
