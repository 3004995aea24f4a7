using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Xml;
using System.Xml.Linq;
using Marquee.Core.Providers;
using Polly;
using Polly.Retry;

namespace Marquee.Providers.Plex;

/// <summary>The three Plex hosts a connection talks to.</summary>
public enum PlexHost
{
    Server,
    PlexTv,
    Discover,
}

/// <summary>
/// Typed access to one Plex Media Server, plex.tv and Discover. Asks for JSON explicitly; the token travels in a
/// header and never appears in messages. Reads are retried with back-off (honouring Retry-After); writes are sent
/// once. Every request is counted per endpoint template, and at most <c>MaxConcurrency</c> run at once per server.
/// </summary>
public sealed class PlexClient
{
    public const string HttpClientName = "plex";
    public const string ProviderName = "plex";

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly HttpClient _http;
    private readonly PlexOptions _options;
    private readonly RequestCounts _counts;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate;
    private readonly ResiliencePipeline _reads;

    public PlexClient(HttpClient http, Uri serverUrl, string connectionName, string clientIdentifier, PlexOptions options, RequestCounts counts, TimeProvider time, int? maxConcurrency = null)
    {
        _http = http;
        _options = options;
        _counts = counts;
        _time = time;
        ServerUrl = serverUrl;
        ConnectionName = connectionName;
        ClientIdentifier = clientIdentifier;
        var limit = Math.Clamp(maxConcurrency ?? options.MaxConcurrency, 1, 64);
        _gate = Gates.GetOrAdd($"{serverUrl.GetLeftPart(UriPartial.Authority)}|{limit}", _ => new SemaphoreSlim(limit, limit));
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

    public Uri ServerUrl { get; }

    public string ConnectionName { get; }

    public string ClientIdentifier { get; }

    public Uri BaseOf(PlexHost host) => host switch
    {
        PlexHost.PlexTv => _options.PlexTvUrl,
        PlexHost.Discover => _options.DiscoverUrl,
        _ => ServerUrl,
    };

    /// <summary>GETs JSON, retrying transient failures. <paramref name="template"/> names the endpoint (e.g. <c>/library/sections/{id}/all</c>).</summary>
    public Task<T> GetJsonAsync<T>(PlexHost host, string template, string pathAndQuery, string? token, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(host, HttpMethod.Get, template, pathAndQuery, token, idempotent: true, (r, ct) => ReadJsonAsync(r, type, host, HttpMethod.Get, template, ct), cancellationToken);

    /// <summary>GETs an XML document (plex.tv v1 endpoints answer XML whatever is asked), retrying transient failures.</summary>
    public Task<XDocument> GetXmlAsync(PlexHost host, string template, string pathAndQuery, string? token, CancellationToken cancellationToken) =>
        SendAsync(host, HttpMethod.Get, template, pathAndQuery, token, idempotent: true, (r, ct) => ReadXmlAsync(r, host, template, ct), cancellationToken);

    /// <summary>Sends a request that changes state, exactly once: a failure surfaces and is never repeated blindly.</summary>
    public Task WriteAsync(PlexHost host, HttpMethod method, string template, string pathAndQuery, string? token, CancellationToken cancellationToken) =>
        SendAsync(host, method, template, pathAndQuery, token, idempotent: false, (_, _) => Task.FromResult(true), cancellationToken);

    /// <summary>Sends a non-idempotent request whose JSON answer matters (PIN creation, home switch), exactly once.</summary>
    public Task<T> PostJsonAsync<T>(PlexHost host, string template, string pathAndQuery, string? token, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(host, HttpMethod.Post, template, pathAndQuery, token, idempotent: false, (r, ct) => ReadJsonAsync(r, type, host, HttpMethod.Post, template, ct), cancellationToken);

    /// <summary>The endpoint name used in counts and messages, e.g. <c>GET /library/sections/{id}/all</c> or <c>plextv:GET /api/v2/user</c>.</summary>
    public static string EndpointName(PlexHost host, HttpMethod method, string template) => host switch
    {
        PlexHost.PlexTv => "plextv:",
        PlexHost.Discover => "discover:",
        _ => string.Empty,
    } + method.Method + " " + template;

    private async Task<T> SendAsync<T>(PlexHost host, HttpMethod method, string template, string pathAndQuery, string? token, bool idempotent, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        if (!idempotent)
        {
            return await SendOnceAsync(host, method, template, pathAndQuery, token, read, cancellationToken);
        }

        return await _reads.ExecuteAsync(
            async ct => await SendOnceAsync(host, method, template, pathAndQuery, token, read, ct),
            cancellationToken);
    }

    private async Task<T> SendOnceAsync<T>(PlexHost host, HttpMethod method, string template, string pathAndQuery, string? token, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var endpoint = EndpointName(host, method, template);
        var gate = host == PlexHost.Server ? _gate : null;
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        try
        {
            using var request = new HttpRequestMessage(method, new Uri(BaseOf(host), pathAndQuery));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.TryAddWithoutValidation("X-Plex-Client-Identifier", ClientIdentifier);
            request.Headers.TryAddWithoutValidation("X-Plex-Product", _options.Product);
            request.Headers.TryAddWithoutValidation("X-Plex-Version", "1.0");
            request.Headers.TryAddWithoutValidation("X-Plex-Platform", "Marquee");
            request.Headers.TryAddWithoutValidation("X-Plex-Device-Name", "Marquee");
            if (!string.IsNullOrEmpty(token))
            {
                request.Headers.TryAddWithoutValidation("X-Plex-Token", token);
            }

            _counts.Count(endpoint);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    throw await FailureAsync(response, host, endpoint, timeout.Token);
                }

                return await read(response, timeout.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw Failure(host, endpoint, null, $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s", ex, transient: true);
            }
            catch (HttpRequestException ex)
            {
                var what = ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError ? "cannot connect" : "connection failed";
                throw Failure(host, endpoint, null, $"{what} ({ex.Message})", ex, transient: true);
            }
            catch (IOException ex)
            {
                throw Failure(host, endpoint, null, $"connection dropped ({ex.Message})", ex, transient: true);
            }
        }
        finally
        {
            gate?.Release();
        }
    }

    private async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, PlexHost host, HttpMethod method, string template, CancellationToken cancellationToken)
    {
        var endpoint = EndpointName(host, method, template);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var value = await JsonSerializer.DeserializeAsync(stream, type, cancellationToken);
            return value ?? throw Failure(host, endpoint, response.StatusCode, "the answer was empty where JSON was expected", null, transient: false);
        }
        catch (JsonException ex)
        {
            // A truncated or garbled body is worth one more try for reads; the caller only retries idempotent calls.
            throw Failure(host, endpoint, response.StatusCode, $"the answer is not the expected JSON ({Describe(response)}; {ex.Message})", ex, transient: true);
        }
    }

    private async Task<XDocument> ReadXmlAsync(HttpResponseMessage response, PlexHost host, string template, CancellationToken cancellationToken)
    {
        var endpoint = EndpointName(host, HttpMethod.Get, template);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await XDocument.LoadAsync(stream, LoadOptions.None, cancellationToken);
        }
        catch (XmlException ex)
        {
            throw Failure(host, endpoint, response.StatusCode, $"the answer is not the expected XML ({Describe(response)}; {ex.Message})", ex, transient: true);
        }
    }

    private async Task<ProviderException> FailureAsync(HttpResponseMessage response, PlexHost host, string endpoint, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var body = await ShortBodyAsync(response, cancellationToken);
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
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"{(int)status} {status}: the token was refused{(body.Length > 0 ? " (" + body + ")" : string.Empty)}",
            HttpStatusCode.TooManyRequests => $"429 rate limited{(retryAfter is { } wait ? $", retry after {wait.TotalSeconds:0.#} s" : string.Empty)}",
            _ => $"{(int)status} {status}{(body.Length > 0 ? ": " + body : string.Empty)}",
        };
        var transient = status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;
        return new ProviderException(ProviderName, status, Message(host, endpoint, detail))
        {
            Endpoint = endpoint,
            RetryAfter = retryAfter,
            IsTransient = transient,
        };
    }

    private ProviderException Failure(PlexHost host, string endpoint, HttpStatusCode? status, string detail, Exception? inner, bool transient) =>
        new(ProviderName, status, Message(host, endpoint, detail), inner) { Endpoint = endpoint, IsTransient = transient };

    private string Message(PlexHost host, string endpoint, string detail) => host switch
    {
        PlexHost.Server => $"Plex server '{ConnectionName}' ({ServerUrl.GetLeftPart(UriPartial.Authority)}): {endpoint}: {detail}",
        PlexHost.PlexTv => $"plex.tv ({_options.PlexTvUrl.GetLeftPart(UriPartial.Authority)}) for connection '{ConnectionName}': {endpoint}: {detail}",
        _ => $"Plex Discover ({_options.DiscoverUrl.GetLeftPart(UriPartial.Authority)}) for connection '{ConnectionName}': {endpoint}: {detail}",
    };

    private static string Describe(HttpResponseMessage response) =>
        $"content type {response.Content.Headers.ContentType?.MediaType ?? "none"}";

    private static async Task<string> ShortBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (text.TrimStart().StartsWith('<'))
            {
                // HTML/XML error pages: keep the title, drop the markup.
                text = System.Text.RegularExpressions.Regex.Replace(text, "<[^>]+>", " ");
            }

            text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return text.Length > 200 ? text[..200] + "…" : text;
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>Formats a query value invariantly.</summary>
    public static string Q(long value) => value.ToString(CultureInfo.InvariantCulture);
}
