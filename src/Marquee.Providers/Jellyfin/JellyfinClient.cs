using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Marquee.Providers.Jellyfin.Models;

namespace Marquee.Providers.Jellyfin;

/// <summary>
/// Typed access to one Jellyfin or Emby server. Credentials travel in the <c>Authorization: MediaBrowser …</c> header
/// (Emby: <c>X-Emby-Authorization</c>) and never appear in messages. Reads are retried with back-off (honouring
/// Retry-After); writes are sent once. Every request is counted per endpoint template. The HTTP mechanics (timeouts,
/// redirects, size cap, error mapping) are <see cref="ProviderHttpClient"/>'s.
/// </summary>
public sealed class JellyfinClient
{
    public const string HttpClientName = "jellyfin";

    private readonly JellyfinSettings _settings;
    private readonly ProviderHttpClient _http;
    private readonly Lock _gate = new();
    private Task<string>? _login;
    private string? _sessionToken;

    public JellyfinClient(HttpClient http, JellyfinSettings settings, string kind, string connectionName, long connectionId, JellyfinOptions options, RequestCounts counts, TimeProvider time, long maxResponseBytes = ProviderHttpOptions.DefaultMaxResponseBytes)
    {
        _settings = settings;
        Kind = kind;
        ConnectionName = connectionName;
        DeviceId = $"marquee-{connectionId.ToString(CultureInfo.InvariantCulture)}";
        var policy = options.Policy(maxResponseBytes);
        _http = new ProviderHttpClient(http, kind, policy, counts, time);
    }

    /// <summary>Gets the connection kind: <c>jellyfin</c> or <c>emby</c>.</summary>
    public string Kind { get; }

    public bool IsEmby => Kind == "emby";

    public string ConnectionName { get; }

    public string DeviceId { get; }

    /// <summary>Gets the user the password logged in as, when the connection uses a user name and password.</summary>
    public JellyfinUser? LoggedInUser { get; private set; }

    public bool UsesApiKey => !string.IsNullOrWhiteSpace(_settings.ApiKey);

    /// <summary>GETs JSON, retrying transient failures. <paramref name="template"/> names the endpoint (e.g. <c>/Items</c>).</summary>
    public Task<T> GetAsync<T>(string template, string pathAndQuery, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        _http.RunAsync(true, ct => SendAsync(HttpMethod.Get, template, pathAndQuery, null, type, ct), cancellationToken);

    /// <summary>GETs JSON without credentials (public endpoints), retrying transient failures.</summary>
    public Task<T> GetPublicAsync<T>(string template, string pathAndQuery, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        _http.RunAsync(true, ct => SendOnceAsync(HttpMethod.Get, template, pathAndQuery, null, type, null, ct), cancellationToken);

    /// <summary>Sends a request that changes state exactly once: a failure surfaces and is never repeated blindly.</summary>
    public Task<T> WriteAsync<T>(HttpMethod method, string template, string pathAndQuery, HttpContent? body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(method, template, pathAndQuery, body, type, cancellationToken);

    public static HttpContent Json<T>(T value, JsonTypeInfo<T> type) =>
        new StringContent(JsonSerializer.Serialize(value, type), Encoding.UTF8, "application/json");

    /// <summary>A failure of a GET that answered, but not with what was needed, in the same words as the others.</summary>
    public ProviderException Unexpected(string template, string detail) =>
        _http.Failure(Request(HttpMethod.Get, template, string.Empty, null), null, ProviderFailure.WrongContent, detail, null, transient: false);

    public static string EndpointName(HttpMethod method, string template) => method.Method + " " + template;

    /// <summary>Logs in with the user name and password (once per client, shared by concurrent callers) and returns the session token.</summary>
    public Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (UsesApiKey)
        {
            return Task.FromResult(_settings.ApiKey!);
        }

        lock (_gate)
        {
            if (_login is null || _login.IsFaulted || _login.IsCanceled)
            {
                _login = LoginAsync(cancellationToken);
            }

            return _login;
        }
    }

    private async Task<string> LoginAsync(CancellationToken cancellationToken)
    {
        using var body = Json(new JellyfinLogin(_settings.User ?? string.Empty, _settings.Password ?? string.Empty), JellyfinJson.Default.JellyfinLogin);
        var result = await SendOnceAsync(HttpMethod.Post, "/Users/AuthenticateByName", "Users/AuthenticateByName", body, JellyfinJson.Default.JellyfinAuthResult, null, cancellationToken);
        if (string.IsNullOrEmpty(result.AccessToken))
        {
            throw _http.Failure(Request(HttpMethod.Post, "/Users/AuthenticateByName", "Users/AuthenticateByName", null, null), HttpStatusCode.Unauthorized, ProviderFailure.Unauthorized, "the login answer carried no access token", null, transient: false);
        }

        LoggedInUser = result.User;
        _sessionToken = result.AccessToken;
        return result.AccessToken;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string template, string pathAndQuery, HttpContent? body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(cancellationToken);
        try
        {
            return await SendOnceAsync(method, template, pathAndQuery, body, type, token, cancellationToken);
        }
        catch (ProviderException ex) when (ex.Status == HttpStatusCode.Unauthorized && !UsesApiKey && token == _sessionToken)
        {
            // The session was revoked (server restart, logout elsewhere): log in again once. A 401 changed nothing, so repeating a write is safe.
            lock (_gate)
            {
                _login = null;
                _sessionToken = null;
            }

            token = await TokenAsync(cancellationToken);
            return await SendOnceAsync(method, template, pathAndQuery, body, type, token, cancellationToken);
        }
    }

    private async Task<T> SendOnceAsync<T>(HttpMethod method, string template, string pathAndQuery, HttpContent? body, JsonTypeInfo<T> type, string? token, CancellationToken cancellationToken)
    {
        // The same body may be sent again after a re-login or a retry; its bytes are kept, so no send can dispose them.
        var bytes = body is null ? null : await body.ReadAsByteArrayAsync(cancellationToken);
        var request = Request(method, template, pathAndQuery, token, bytes, body?.Headers.ContentType?.ToString());
        return await _http.SendOnceAsync(request, _http.Json(request, type), cancellationToken);
    }

    private Uri BaseUrl => _settings.Url.AbsoluteUri.EndsWith('/') ? _settings.Url : new Uri(_settings.Url.AbsoluteUri + "/");

    private ProviderRequest Request(HttpMethod method, string template, string pathAndQuery, string? token, byte[]? body = null, string? contentType = null) => new(
        method,
        new Uri(BaseUrl, pathAndQuery),
        EndpointName(method, template),
        $"{(IsEmby ? "Emby" : "Jellyfin")} server '{ConnectionName}' ({_settings.Url.GetLeftPart(UriPartial.Authority)})",
        UsesApiKey ? "API key" : "user name or password",
        request =>
        {
            request.Headers.Accept.ParseAdd("application/json");
            var auth = $"MediaBrowser Client=\"Marquee\", Device=\"Marquee\", DeviceId=\"{DeviceId}\", Version=\"1.0\"" + (token is null ? string.Empty : $", Token=\"{token}\"");
            request.Headers.TryAddWithoutValidation(IsEmby ? "X-Emby-Authorization" : "Authorization", auth);
        },
        body,
        contentType);
}
