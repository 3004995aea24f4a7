using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Marquee.Simulators.Plex;

/// <summary>Request helpers shared by the PMS endpoints: tokens, Plex error bodies, pagination.</summary>
internal static class PmsHttp
{
    public const string UnauthorizedHtml = "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>";

    public static string? Token(HttpRequest request) => Param(request, "X-Plex-Token");

    /// <summary>All X-Plex-* values may come as headers or as query arguments.</summary>
    public static string? Param(HttpRequest request, string name)
    {
        var header = request.Headers[name].ToString();
        if (header.Length > 0)
        {
            return header;
        }

        var query = request.Query[name].ToString();
        return query.Length > 0 ? query : null;
    }

    public static string? Query(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        return value.Length > 0 ? value : null;
    }

    public static Task HtmlErrorAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        var title = status switch
        {
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            409 => "Conflict",
            _ => "Bad Request",
        };
        var body = status == 401 ? UnauthorizedHtml : $"<html><head><title>{title}</title></head><body><h1>{status} {title}</h1></body></html>";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Returns the account behind the token or writes 401 (bad token) / 403 (not the owner).</summary>
    public static async Task<SimAccount?> AuthAsync(HttpContext context, PlexState state, bool ownerOnly = false)
    {
        var account = state.PmsAccount(Token(context.Request));
        if (account is null)
        {
            await HtmlErrorAsync(context, StatusCodes.Status401Unauthorized);
            return null;
        }

        if (ownerOnly && !account.IsOwner)
        {
            await HtmlErrorAsync(context, StatusCodes.Status403Forbidden);
            return null;
        }

        return account;
    }

    /// <summary>Pagination per PLEX-API.md 1.4; null size = everything.</summary>
    public static (int Start, int? Size) Page(HttpRequest request)
    {
        var start = int.TryParse(Param(request, "X-Plex-Container-Start"), CultureInfo.InvariantCulture, out var s) ? Math.Max(0, s) : 0;
        int? size = int.TryParse(Param(request, "X-Plex-Container-Size"), CultureInfo.InvariantCulture, out var z) ? Math.Max(0, z) : null;
        return (start, size);
    }

    public static bool HasPaging(HttpRequest request) =>
        Param(request, "X-Plex-Container-Start") is not null || Param(request, "X-Plex-Container-Size") is not null;

    public static (int Offset, int Count) Slice(HttpResponse response, int total, (int Start, int? Size) page)
    {
        var offset = Math.Min(page.Start, total);
        var count = Math.Min(page.Size ?? int.MaxValue, total - offset);
        response.Headers["X-Plex-Container-Start"] = offset.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Plex-Container-Total-Size"] = total.ToString(CultureInfo.InvariantCulture);
        return (offset, count);
    }

    /// <summary>
    /// Successful writes answer 200 with an empty body; PMS labels such bodies text/html
    /// (the official description says so too), never JSON.
    /// </summary>
    public static Task EmptyWritesAsHtml(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.ContentType is null && context.Response.StatusCode == StatusCodes.Status200OK)
                {
                    context.Response.ContentType = "text/html";
                }

                return Task.CompletedTask;
            });
        }

        return next(context);
    }
}
