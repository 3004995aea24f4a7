using System.Net;
using System.Text.RegularExpressions;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Ui;

/// <summary>A browser without a script engine: keeps cookies, does not follow redirects, and posts forms with the token the page gave.</summary>
public sealed partial class UiBrowser : IDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "correct horse battery";

    private readonly HttpClientHandler _handler;

    public UiBrowser(MarqueeApp app)
    {
        _handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        Client = new HttpClient(_handler) { BaseAddress = app.Address };
    }

    public HttpClient Client { get; }

    public CookieContainer Cookies => _handler.CookieContainer;

    /// <summary>Creates the admin on the first-run page (signed in afterwards).</summary>
    public static async Task<UiBrowser> SetUpAsync(MarqueeApp app)
    {
        var browser = new UiBrowser(app);
        var response = await browser.SubmitAsync("/setup", "/setup", new() { ["user"] = AdminUser, ["password"] = AdminPassword, ["confirm"] = AdminPassword });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    /// <summary>A second browser that logs in as the admin created by <see cref="SetUpAsync"/>.</summary>
    public static async Task<UiBrowser> LogInAsync(MarqueeApp app)
    {
        var browser = new UiBrowser(app);
        var response = await browser.SubmitAsync("/login", "/login", new() { ["user"] = AdminUser, ["password"] = AdminPassword });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"login answered {(int)response.StatusCode}");
        return browser;
    }

    public async Task<string> PageAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {path}: {(int)response.StatusCode} {response.Headers.Location}\n{text}");
        return text;
    }

    /// <summary>Opens <paramref name="page"/>, takes its anti-forgery token and posts <paramref name="fields"/> to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, string action, Dictionary<string, string> fields)
    {
        var html = await PageAsync(page);
        fields["__token"] = Token(html);
        return await Client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public Task<HttpResponseMessage> PostWithoutTokenAsync(string action, Dictionary<string, string> fields) =>
        Client.PostAsync(action, new FormUrlEncodedContent(fields));

    public static string Token(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "the page has no anti-forgery field");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>The message shown next to a field (the element the field's aria-describedby names).</summary>
    public static string? FieldError(string html, string field)
    {
        var match = Regex.Match(html, $"<p class=\"error\" id=\"{Regex.Escape(field)}-error\" role=\"alert\">([^<]*)</p>");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public void Dispose()
    {
        Client.Dispose();
        _handler.Dispose();
    }

    [GeneratedRegex("name=\"__token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
