using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Marquee.Core.Providers;
using Marquee.Providers.Jellyfin.Models;
using Polly;
using Polly.Retry;

namespace Marquee.Providers.Jellyfin;

/// <summary>
/// Typed access to one Jellyfin or Emby server. Credentials travel in the <c>Authorization: MediaBrowser …</c> header
/// (Emby: <c>X-Emby-Authorization</c>) and never appear in messages. Reads are retried with back-off (honouring
/// Retry-After); writes are sent once. Every request is counted per endpoint template.
/// </summary>
public sealed class JellyfinClient
{
    public const string HttpClientName = "jellyfin";

    private readonly HttpClient _http;
    private readonly JellyfinSettings _settings;
    private readonly JellyfinOptions _options;
    private readonly RequestCounts _counts;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _reads;
    private readonly Lock _gate = new();
    private Task<string>? _login;
    private string? _sessionToken;

    public JellyfinClient(HttpClient http, JellyfinSettings settings, string kind, string connectionName, long connectionId, JellyfinOptions options, RequestCounts counts, TimeProvider time)
    {
        _http = http;
        _settings = settings;
        _options = options;
        _counts = counts;
        _time = time;
        Kind = kind;
        ConnectionName = connectionName;
        DeviceId = $"marquee-{connectionId.ToString(CultureInfo.InvariantCulture)}";
        _reads = options.MaxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ProviderException>(ex => ex.IsTransient && (ex.RetryAfter is null || ex.RetryAfter <= options.MaxRetryAfter)),
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ProviderException { RetryAfter: { } wait } ? wait : (TimeSpan?)null),
            })
            .Build();
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
        _reads.ExecuteAsync(async ct => await SendAsync(HttpMethod.Get, template, pathAndQuery, null, type, ct), cancellationToken).AsTask();

    /// <summary>GETs JSON without credentials (public endpoints), retrying transient failures.</summary>
    public Task<T> GetPublicAsync<T>(string template, string pathAndQuery, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        _reads.ExecuteAsync(async ct => await SendOnceAsync(HttpMethod.Get, template, pathAndQuery, null, type, null, ct), cancellationToken).AsTask();

    /// <summary>Sends a request that changes state exactly once: a failure surfaces and is never repeated blindly.</summary>
    public Task<T> WriteAsync<T>(HttpMethod method, string template, string pathAndQuery, HttpContent? body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(method, template, pathAndQuery, body, type, cancellationToken);

    public static HttpContent Json<T>(T value, JsonTypeInfo<T> type) =>
        new StringContent(JsonSerializer.Serialize(value, type), Encoding.UTF8, "application/json");

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
            throw Failure(EndpointName(HttpMethod.Post, "/Users/AuthenticateByName"), HttpStatusCode.Unauthorized, "the login answer carried no access token", null, transient: false);
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
        var endpoint = EndpointName(method, template);
        using var request = new HttpRequestMessage(method, new Uri(BaseUrl, pathAndQuery));
        request.Headers.Accept.ParseAdd("application/json");
        var auth = $"MediaBrowser Client=\"Marquee\", Device=\"Marquee\", DeviceId=\"{DeviceId}\", Version=\"1.0\"" + (token is null ? string.Empty : $", Token=\"{token}\"");
        request.Headers.TryAddWithoutValidation(IsEmby ? "X-Emby-Authorization" : "Authorization", auth);
        if (body is not null)
        {
            // The same content may be sent again after a re-login; copy it so the first send cannot dispose it.
            var bytes = await body.ReadAsByteArrayAsync(cancellationToken);
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = body.Headers.ContentType;
        }

        _counts.Count(endpoint);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw await FailureAsync(response, endpoint, timeout.Token);
            }

            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
                return await JsonSerializer.DeserializeAsync(stream, type, timeout.Token)
                    ?? throw Failure(endpoint, response.StatusCode, "the answer was empty where JSON was expected", null, transient: false);
            }
            catch (JsonException ex)
            {
                throw Failure(endpoint, response.StatusCode, $"the answer is not the expected JSON ({response.Content.Headers.ContentType?.MediaType ?? "no content type"}; {ex.Message})", ex, transient: true);
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(endpoint, null, $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s", ex, transient: true);
        }
        catch (HttpRequestException ex)
        {
            throw Failure(endpoint, null, $"connection failed ({ex.HttpRequestError}: {ex.Message})", ex, transient: true);
        }
        catch (IOException ex)
        {
            throw Failure(endpoint, null, $"connection dropped ({ex.Message})", ex, transient: true);
        }
    }

    private Uri BaseUrl => _settings.Url.AbsoluteUri.EndsWith('/') ? _settings.Url : new Uri(_settings.Url.AbsoluteUri + "/");

    private async Task<ProviderException> FailureAsync(HttpResponseMessage response, string endpoint, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var text = string.Empty;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (text.TrimStart().StartsWith('<'))
            {
                text = System.Text.RegularExpressions.Regex.Replace(text, "<[^>]+>", " ");
            }

            text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            text = text.Length > 200 ? text[..200] + "…" : text;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
        }

        TimeSpan? retryAfter = null;
        if (response.Headers.RetryAfter is { } header)
        {
            retryAfter = header.Delta ?? (header.Date is { } date ? date - _time.GetUtcNow() : null);
            if (retryAfter < TimeSpan.Zero)
            {
                retryAfter = TimeSpan.Zero;
            }
        }

        var detail = status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"{(int)status} {status}: the {(UsesApiKey ? "API key" : "user name or password")} was refused",
            HttpStatusCode.TooManyRequests => $"429 rate limited{(retryAfter is { } wait ? $", retry after {wait.TotalSeconds:0.#} s" : string.Empty)}",
            _ => $"{(int)status} {status}{(text.Length > 0 ? ": " + text : string.Empty)}",
        };
        var transient = status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;
        return new ProviderException(Kind, status, Message(endpoint, detail)) { Endpoint = endpoint, RetryAfter = retryAfter, IsTransient = transient };
    }

    private ProviderException Failure(string endpoint, HttpStatusCode? status, string detail, Exception? inner, bool transient) =>
        new(Kind, status, Message(endpoint, detail), inner) { Endpoint = endpoint, IsTransient = transient };

    private string Message(string endpoint, string detail) =>
        $"{(IsEmby ? "Emby" : "Jellyfin")} server '{ConnectionName}' ({_settings.Url.GetLeftPart(UriPartial.Authority)}): {endpoint}: {detail}";
}
