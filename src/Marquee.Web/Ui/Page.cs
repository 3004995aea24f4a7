using System.Globalization;
using Marquee.Core.Providers;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Marquee.Web.Ui.Html;

namespace Marquee.Web.Ui;

/// <summary>The page shell (navigation, theme, security headers) and the form parts every page shares.</summary>
internal static class Page
{
    /// <summary>The sections of the navigation, in order; a feature adds its page here.</summary>
    public static readonly IReadOnlyList<(string Path, string Label)> Sections =
    [
        ("/", "Dashboard"),
        ("/connections", "Connections"),
        ("/profiles", "Profiles"),
        ("/flows", "Flows"),
        ("/runs", "Runs"),
        ("/unresolved", "Unresolved"),
        ("/events", "Live events"),
        ("/deliveries", "Webhooks"),
        ("/notifications", "Notifications"),
        ("/care", "Library care"),
    ];

    public static IResult Render(HttpContext http, string title, Html body, int status = StatusCodes.Status200OK, Html head = default)
    {
        var signedIn = http.User.Identity?.IsAuthenticated == true;
        var path = http.Request.Path.Value ?? "/";
        var nav = signedIn
            ? H($"""
                <nav aria-label="Main"><ul>{Join(Sections, s => H($"<li><a href=\"{s.Path}\"{Current(path, s.Path)}>{s.Label}</a></li>"))}</ul>
                <form method="post" action="/logout" class="inline">{Antiforgery(http)}<button type="submit" class="link">Log out {http.User.Identity?.Name}</button></form></nav>
                """)
            : Html.Empty;
        var html = H($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>{title} · Marquee</title>
            <link rel="stylesheet" href="/ui/site.css">
            {head}
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header><a class="brand" href="/">Marquee</a>{nav}</header>
            <main id="main">
            <h1>{title}</h1>
            {body}
            </main>
            </body>
            </html>
            """);
        Secure(http.Response);
        return Results.Content(html.Value, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    /// <summary>No framing, no inline script, nothing cached: the pages show the household's data.</summary>
    public static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
        response.Headers.XFrameOptions = "DENY";
    }

    /// <summary>The hidden anti-forgery field every form carries.</summary>
    public static Html Antiforgery(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return H($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
    }

    public static Html PostForm(HttpContext http, string action, Html fields, string submit, string? css = null) => H($"""
        <form method="post" action="{action}" class="{css ?? "form"}">{Antiforgery(http)}{fields}<button type="submit">{submit}</button></form>
        """);

    public static Html Button(HttpContext http, string action, string submit, string? css = null) => H($"""
        <form method="post" action="{action}" class="inline">{Antiforgery(http)}<button type="submit" class="{css ?? "secondary"}">{submit}</button></form>
        """);

    /// <summary>A labelled input with its help and, when the last post was refused for it, the message next to it.</summary>
    public static Html Input(string name, string label, string? value, FormErrors errors, string type = "text", string? help = null, bool required = false)
    {
        var error = errors.For(name);
        var describedBy = string.Join(' ', new[] { help is null ? null : name + "-help", error is null ? null : name + "-error" }.Where(x => x is not null));
        var input = type == "checkbox"
            ? H($"<input type=\"checkbox\" id=\"f-{name}\" name=\"{name}\" value=\"true\"{(IsTrue(value) ? new Html(" checked") : Html.Empty)}{Described(describedBy)}>")
            : H($"<input type=\"{type}\" id=\"f-{name}\" name=\"{name}\" value=\"{value}\"{When(required, new Html(" aria-required=\"true\""))}{When(error is not null, new Html(" aria-invalid=\"true\""))}{Described(describedBy)}{When(type == "password", new Html(" autocomplete=\"new-password\""))}>");
        return H($"""
            <div class="field{(error is null ? string.Empty : " invalid")}">
            <label for="f-{name}">{label}{When(required, new Html(" <span aria-hidden=\"true\">*</span>"))}</label>
            {input}
            {When(help is not null, H($"<p class=\"help\" id=\"{name}-help\">{help}</p>"))}
            {When(error is not null, H($"<p class=\"error\" id=\"{name}-error\" role=\"alert\">{error}</p>"))}
            </div>
            """);
    }

    public static Html Select(string name, string label, string? value, IEnumerable<(string Value, string Text)> options, FormErrors errors, string? help = null)
    {
        var error = errors.For(name);
        return H($"""
            <div class="field{(error is null ? string.Empty : " invalid")}">
            <label for="f-{name}">{label}</label>
            <select id="f-{name}" name="{name}"{When(error is not null, H($" aria-invalid=\"true\" aria-describedby=\"{name}-error\""))}>{Join(options, o => H($"<option value=\"{o.Value}\"{When(o.Value == value, new Html(" selected"))}>{o.Text}</option>"))}</select>
            {When(help is not null, H($"<p class=\"help\">{help}</p>"))}
            {When(error is not null, H($"<p class=\"error\" id=\"{name}-error\" role=\"alert\">{error}</p>"))}
            </div>
            """);
    }

    /// <summary>Problems that name no field of the form, shown above it.</summary>
    public static Html Problems(FormErrors errors) =>
        errors.Unplaced.Count == 0 ? Html.Empty : H($"<div class=\"alert\" role=\"alert\"><ul>{Join(errors.Unplaced, p => H($"<li>{p}</li>"))}</ul></div>");

    public static Html Notice(string? text) => text is null ? Html.Empty : H($"<p class=\"notice\" role=\"status\">{text}</p>");

    public static Html Time(DateTimeOffset? at) =>
        at is { } t ? H($"<time datetime=\"{t.ToString("O", CultureInfo.InvariantCulture)}\">{t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC</time>") : Html.Empty;

    /// <summary>Links to the previous and next page of a list paged by id, newest first.</summary>
    public static Html Pager(string path, long? newer, long? older) => H($"""
        <nav class="pager" aria-label="Pages">{When(newer is not null, H($"<a href=\"{path}\">Newest</a>"))}{When(older is not null, H($"<a href=\"{path}?before={older}\">Older</a>"))}</nav>
        """);

    public static bool IsTrue(string? value) => value is "true" or "on" or "True";

    private static Html Described(string ids) => ids.Length == 0 ? Html.Empty : H($" aria-describedby=\"{ids}\"");

    private static Html Current(string path, string section) =>
        (section == "/" ? path == "/" : path.StartsWith(section, StringComparison.OrdinalIgnoreCase)) ? new Html(" aria-current=\"page\"") : Html.Empty;
}

/// <summary>What was wrong with a posted form, by field; problems naming no field of the form are shown above it.</summary>
internal sealed class FormErrors
{
    private readonly Dictionary<string, string> _byField = new(StringComparer.OrdinalIgnoreCase);

    public FormErrors()
    {
    }

    public FormErrors(IEnumerable<FieldProblem> problems, IReadOnlyCollection<string> fields)
    {
        foreach (var problem in problems)
        {
            var name = problem.Field.StartsWith("settings.", StringComparison.OrdinalIgnoreCase) ? problem.Field["settings.".Length..] : problem.Field;
            var field = name.Split('.', '[')[0];
            var known = fields.FirstOrDefault(f => f.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? fields.FirstOrDefault(f => f.Equals(field, StringComparison.OrdinalIgnoreCase))
                ?? fields.FirstOrDefault(f => f.Equals(name.Split('.')[^1], StringComparison.OrdinalIgnoreCase));
            if (known is not null)
            {
                _byField[known] = _byField.TryGetValue(known, out var earlier) ? $"{earlier} {problem.Message}" : problem.Message;
            }
            else
            {
                Unplaced.Add(problem.Message);
            }
        }
    }

    public static FormErrors None { get; } = new();

    public List<string> Unplaced { get; } = [];

    public bool Any => _byField.Count > 0 || Unplaced.Count > 0;

    public string? For(string field) => _byField.GetValueOrDefault(field);
}
