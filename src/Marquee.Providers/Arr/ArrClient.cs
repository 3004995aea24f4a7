using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Marquee.Core.Providers;
using Marquee.Providers.Http;

namespace Marquee.Providers.Arr;

/// <summary>
/// Typed access to one Radarr or Sonarr (<c>/api/v3</c> under the URL's base path). The API key travels in the
/// <c>X-Api-Key</c> header, never in the URL, so it cannot reach a log line. Reads are retried with back-off (honouring
/// Retry-After); writes are sent once. The HTTP mechanics are <see cref="ProviderHttpClient"/>'s.
/// </summary>
public sealed class ArrClient
{
    public const string HttpClientName = "arr";

    private readonly ArrSettings _settings;
    private readonly ProviderHttpClient _http;

    public ArrClient(HttpClient http, ArrSettings settings, string kind, string connectionName, ArrOptions options, RequestCounts counts, TimeProvider time, long maxResponseBytes = ProviderHttpOptions.DefaultMaxResponseBytes)
    {
        _settings = settings;
        Kind = kind;
        ConnectionName = connectionName;
        var policy = options.Policy(maxResponseBytes);
        _http = new ProviderHttpClient(http, kind, policy, counts, time);
    }

    /// <summary>Gets the connection kind: <c>radarr</c> or <c>sonarr</c>.</summary>
    public string Kind { get; }

    /// <summary>Gets the application's name as it calls itself in <c>appName</c>.</summary>
    public string Product => Kind == "sonarr" ? "Sonarr" : "Radarr";

    public string ConnectionName { get; }

    /// <summary>GETs JSON from <c>api/v3/{pathAndQuery}</c>, retrying transient failures. <paramref name="template"/> names the endpoint (<c>/api/v3/movie</c>).</summary>
    public Task<T> GetAsync<T>(string template, string pathAndQuery, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        _http.RunAsync(true, ct => _http.SendOnceAsync(Request(HttpMethod.Get, template, pathAndQuery), _http.Json(Request(HttpMethod.Get, template, pathAndQuery), type), ct), cancellationToken);

    /// <summary>
    /// Sends a write once (never repeated: the dispatcher that queued it owns the retries) with <paramref name="body"/> as JSON,
    /// ignoring what the application answers beyond its status.
    /// </summary>
    public Task WriteAsync<TBody>(HttpMethod method, string template, string pathAndQuery, TBody body, JsonTypeInfo<TBody> bodyType, CancellationToken cancellationToken)
    {
        var request = Request(method, template, pathAndQuery, JsonSerializer.SerializeToUtf8Bytes(body, bodyType));
        return _http.SendOnceAsync(request, (_, _, _) => Task.FromResult(true), cancellationToken);
    }

    /// <summary>Sends a write once and reads its JSON answer.</summary>
    public Task<T> WriteAsync<TBody, T>(HttpMethod method, string template, string pathAndQuery, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var request = Request(method, template, pathAndQuery, JsonSerializer.SerializeToUtf8Bytes(body, bodyType));
        return _http.SendOnceAsync(request, _http.Json(request, type), cancellationToken);
    }

    /// <summary>Sends a DELETE once.</summary>
    public Task DeleteAsync(string template, string pathAndQuery, CancellationToken cancellationToken) =>
        _http.SendOnceAsync(Request(HttpMethod.Delete, template, pathAndQuery), (_, _, _) => Task.FromResult(true), cancellationToken);

    /// <summary>A failure of a GET that answered, but not with what was needed, in the same words as the others.</summary>
    public ProviderException Unexpected(string template, string detail) =>
        _http.Failure(Request(HttpMethod.Get, template, string.Empty), null, ProviderFailure.WrongContent, detail, null, transient: false);

    private Uri BaseUrl => _settings.Url.AbsoluteUri.EndsWith('/') ? _settings.Url : new Uri(_settings.Url.AbsoluteUri + "/");

    private ProviderRequest Request(HttpMethod method, string template, string pathAndQuery, byte[]? body = null) => new(
        method,
        new Uri(BaseUrl, "api/v3/" + pathAndQuery),
        method.Method + " " + template,
        $"{Product} '{ConnectionName}' ({_settings.Url.GetLeftPart(UriPartial.Authority)})",
        "API key",
        request =>
        {
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.TryAddWithoutValidation("X-Api-Key", _settings.ApiKey);
        },
        body,
        body is null ? null : "application/json");
}
