using Marquee.Hosting;
using Marquee.Hosting.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Marquee.Web.Security;

/// <summary>
/// The trust boundary in front of every endpoint except <c>/healthz</c>, the webhooks (their URL carries a secret) and
/// <c>/metrics</c> (unless Marquee:Metrics:RequireApiKey): a known Host (421 otherwise), then, for the API, the API key (401 otherwise) and
/// no body type an HTML form or a plain cross-site request can send (415), so a page in a browser cannot change anything.
/// </summary>
public sealed class ApiGuard(ApiKey key, HostAllowList hosts, MarqueeOptions options, IProblemDetailsService problems)
{
    public const string HeaderName = "X-Api-Key";
    public const string QueryName = "apikey";

    private static readonly string[] FormTypes = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        var metrics = path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);
        if (path.Equals("/healthz", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/webhooks", StringComparison.OrdinalIgnoreCase)
            || (metrics && !options.Metrics.RequireApiKey))
        {
            await next(context);
            return;
        }

        if (!metrics && !hosts.Allows(context.Request.Host.Host))
        {
            await RefuseAsync(
                context,
                StatusCodes.Status421MisdirectedRequest,
                "Unknown host.",
                $"This server does not answer to the host '{context.Request.Host.Host}'. Add it to Marquee:Server:AllowedHosts if it is the name you use for Marquee.");
            return;
        }

        // The web UI has its own login (cookies and anti-forgery tokens); see UiAuth.
        if (!metrics && !Ui.UiAuth.IsApiPath(path))
        {
            await next(context);
            return;
        }

        if (!key.Matches(GivenKey(context.Request)))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"Marquee\"";
            await RefuseAsync(
                context,
                StatusCodes.Status401Unauthorized,
                "API key required.",
                $"Send the API key in the {HeaderName} header, as 'Authorization: Bearer KEY' or as the {QueryName} query parameter; 'marquee apikey' prints it. The web UI (/) uses a login instead.");
            return;
        }

        if (IsFormType(context.Request.ContentType))
        {
            await RefuseAsync(
                context,
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported content type.",
                "The API does not take form or plain-text bodies; send JSON (Content-Type: application/json).");
            return;
        }

        await next(context);
    }

    private static string? GivenKey(HttpRequest request)
    {
        if (request.Headers[HeaderName].ToString() is { Length: > 0 } header)
        {
            return header.Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return request.Query[QueryName].ToString() is { Length: > 0 } query ? query : null;
    }

    // The three types a cross-site page may send without asking first (CORS "simple" requests); an unreadable type is refused too.
    private static bool IsFormType(string? contentType) =>
        !string.IsNullOrEmpty(contentType)
        && (!MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            || Array.Exists(FormTypes, t => parsed.MediaType.Equals(t, StringComparison.OrdinalIgnoreCase)));

    private async Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var details = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details }))
        {
            await context.Response.WriteAsJsonAsync(details, options: null, contentType: "application/problem+json");
        }
    }
}
