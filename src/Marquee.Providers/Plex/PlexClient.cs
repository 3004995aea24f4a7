using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Xml;
using System.Xml.Linq;
using Marquee.Core.Providers;
using Marquee.Providers.Http;

namespace Marquee.Providers.Plex;

/// <summary>The three Plex hosts a connection talks to.</summary>
public enum PlexHost
{
    Server,
    PlexTv,
    Discover,

    /// <summary>community.plex.tv: the GraphQL API of friends and their watchlists (WATCHLISTS.md 2).</summary>
    Community,
}

/// <summary>
/// Typed access to one Plex Media Server, plex.tv and Discover. Asks for JSON explicitly; the token travels in a
/// header and never appears in messages. Reads are retried with back-off (honouring Retry-After); writes are sent
/// once. Every request is counted per endpoint template, and at most <c>MaxConcurrency</c> run at once per server.
/// The HTTP mechanics (timeouts, redirects, size cap, error mapping) are <see cref="ProviderHttpClient"/>'s.
/// </summary>
public sealed class PlexClient
{
    public const string HttpClientName = "plex";

    /// <summary>The named client of the live service (event stream set-up, session polls).</summary>
    public const string LiveHttpClientName = "plex-live";
    public const string ProviderName = "plex";

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly PlexOptions _options;
    private readonly ProviderHttpClient _http;

    public PlexClient(HttpClient http, Uri serverUrl, string connectionName, string clientIdentifier, PlexOptions options, RequestCounts counts, TimeProvider time, int? maxConcurrency = null, long maxResponseBytes = ProviderHttpOptions.DefaultMaxResponseBytes)
    {
        _options = options;
        ServerUrl = serverUrl;
        ConnectionName = connectionName;
        ClientIdentifier = clientIdentifier;
        var limit = Math.Clamp(maxConcurrency ?? options.MaxConcurrency, 1, 64);
        var gate = Gates.GetOrAdd($"{serverUrl.GetLeftPart(UriPartial.Authority)}|{limit}", _ => new SemaphoreSlim(limit, limit));
        var policy = options.Policy(maxResponseBytes);
        _http = new ProviderHttpClient(http, ProviderName, policy, counts, time, gate);
    }

    public Uri ServerUrl { get; }

    /// <summary>
    /// A client for Marquee's own reads of a connection's server outside a sync run (the event stream and its polls, the
    /// sessions digest, notification posters): the live HTTP client, the connection's client identifier (or
    /// <c>marquee-live</c>), and requests counted in no run.
    /// </summary>
    public static PlexClient Live(IHttpClientFactory http, PlexSettings settings, string connectionName, PlexOptions options, TimeProvider clock, int maxConcurrency, long maxResponseBytes = ProviderHttpOptions.DefaultMaxResponseBytes) =>
        new(http.CreateClient(LiveHttpClientName), settings.Url, connectionName, settings.ClientIdentifier ?? "marquee-live", options, new RequestCounts(), clock, maxConcurrency, maxResponseBytes);

    public string ConnectionName { get; }

    public string ClientIdentifier { get; }

    /// <summary>Gets the pause between two pages of one friend's watchlist on the community host.</summary>
    public TimeSpan CommunityPageDelay => _options.CommunityPageDelay;

    public Uri BaseOf(PlexHost host) => host switch
    {
        PlexHost.PlexTv => _options.PlexTvUrl,
        PlexHost.Discover => _options.DiscoverUrl,
        PlexHost.Community => _options.CommunityUrl,
        _ => ServerUrl,
    };

    /// <summary>GETs JSON, retrying transient failures. <paramref name="template"/> names the endpoint (e.g. <c>/library/sections/{id}/all</c>).</summary>
    public Task<T> GetJsonAsync<T>(PlexHost host, string template, string pathAndQuery, string? token, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var request = Request(host, HttpMethod.Get, template, pathAndQuery, token);
        return _http.RunAsync(true, ct => _http.SendOnceAsync(request, _http.Json(request, type), ct), cancellationToken);
    }

    /// <summary>GETs an XML document (plex.tv v1 endpoints answer XML whatever is asked), retrying transient failures.</summary>
    public Task<XDocument> GetXmlAsync(PlexHost host, string template, string pathAndQuery, string? token, CancellationToken cancellationToken)
    {
        var request = Request(host, HttpMethod.Get, template, pathAndQuery, token);
        return _http.RunAsync(true, ct => _http.SendOnceAsync(request, (r, s, c) => ReadXmlAsync(request, r, s, c), ct), cancellationToken);
    }

    /// <summary>
    /// GETs an image from the server once (no retry), asking for JPEG, PNG or WebP; returns its bytes and content type. The
    /// answer is read through the client's size cap, so an oversized image fails as too large.
    /// </summary>
    public Task<(byte[] Data, string? ContentType)> GetImageAsync(string template, string pathAndQuery, string? token, CancellationToken cancellationToken)
    {
        var request = Request(PlexHost.Server, HttpMethod.Get, template, pathAndQuery, token);
        var headers = request.Headers;
        request = request with
        {
            Headers = message =>
            {
                headers(message);
                message.Headers.Accept.Clear();
                message.Headers.Accept.ParseAdd("image/jpeg, image/png, image/webp");
            },
        };
        return _http.SendOnceAsync(
            request,
            async (response, stream, ct) =>
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, ct);
                return (copy.ToArray(), response.Content.Headers.ContentType?.MediaType);
            },
            cancellationToken);
    }

    /// <summary>Sends a request that changes state, exactly once: a failure surfaces and is never repeated blindly.</summary>
    public Task WriteAsync(PlexHost host, HttpMethod method, string template, string pathAndQuery, string? token, CancellationToken cancellationToken) =>
        _http.SendOnceAsync(Request(host, method, template, pathAndQuery, token), (_, _, _) => Task.FromResult(true), cancellationToken);

    /// <summary>Sends a non-idempotent request whose JSON answer matters (PIN creation, home switch), exactly once.</summary>
    public Task<T> PostJsonAsync<T>(PlexHost host, string template, string pathAndQuery, string? token, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var request = Request(host, HttpMethod.Post, template, pathAndQuery, token);
        return _http.SendOnceAsync(request, _http.Json(request, type), cancellationToken);
    }

    /// <summary>A failure of a call that answered, but not with what was needed (a missing field), in the same words as the others.</summary>
    public ProviderException Unexpected(PlexHost host, HttpMethod method, string template, string detail) =>
        _http.Failure(Request(host, method, template, string.Empty, null), null, ProviderFailure.WrongContent, detail, null, transient: false);

    /// <summary>The endpoint name used in counts and messages, e.g. <c>GET /library/sections/{id}/all</c> or <c>plextv:GET /api/v2/user</c>.</summary>
    public static string EndpointName(PlexHost host, HttpMethod method, string template) => host switch
    {
        PlexHost.PlexTv => "plextv:",
        PlexHost.Discover => "discover:",
        PlexHost.Community => "community:",
        _ => string.Empty,
    } + method.Method + " " + template;

    /// <summary>
    /// POSTs a GraphQL query (a read, so retried like one) to the community host and returns the parsed answer; a body that
    /// is not JSON is <see cref="ProviderFailure.WrongContent"/>. Reading <c>data</c> and <c>errors</c> is the caller's part.
    /// </summary>
    public Task<JsonDocument> GraphQlAsync(byte[] body, string? token, CancellationToken cancellationToken)
    {
        var request = Request(PlexHost.Community, HttpMethod.Post, "/api", "api", token) with { Body = body, ContentType = "application/json" };
        return _http.RunAsync(true, ct => _http.SendOnceAsync(request, async (response, stream, c) =>
        {
            try
            {
                return await JsonDocument.ParseAsync(stream, default, c);
            }
            catch (JsonException ex)
            {
                throw _http.Failure(request, response.StatusCode, ProviderFailure.WrongContent, $"the answer is not GraphQL JSON ({ProviderHttpClient.Describe(response)}; {ex.Message})", ex, transient: true);
            }
        }, ct), cancellationToken);
    }

    private ProviderRequest Request(PlexHost host, HttpMethod method, string template, string pathAndQuery, string? token) => new(
        method,
        new Uri(BaseOf(host), pathAndQuery),
        EndpointName(host, method, template),
        host switch
        {
            PlexHost.Server => $"Plex server '{ConnectionName}' ({ServerUrl.GetLeftPart(UriPartial.Authority)})",
            PlexHost.PlexTv => $"plex.tv ({_options.PlexTvUrl.GetLeftPart(UriPartial.Authority)}) for connection '{ConnectionName}'",
            PlexHost.Community => $"Plex community ({_options.CommunityUrl.GetLeftPart(UriPartial.Authority)}) for connection '{ConnectionName}'",
            _ => $"Plex Discover ({_options.DiscoverUrl.GetLeftPart(UriPartial.Authority)}) for connection '{ConnectionName}'",
        },
        "token",
        request =>
        {
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
        },
        Bounded: host == PlexHost.Server);

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        MaxCharactersInDocument = 16 * 1024 * 1024,
    };

    private async Task<XDocument> ReadXmlAsync(ProviderRequest request, HttpResponseMessage response, Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            // XML comes only from plex.tv's account lists (kilobytes per account). An endless text node would be built up
            // as one string (two bytes a character, grown by doubling), so the reader stops at a count of characters.
            using var reader = XmlReader.Create(stream, XmlSettings);
            return await XDocument.LoadAsync(reader, LoadOptions.None, cancellationToken);
        }
        catch (XmlException ex)
        {
            throw _http.Failure(request, response.StatusCode, ProviderFailure.WrongContent, $"the answer is not the expected XML ({ProviderHttpClient.Describe(response)}; {ex.Message})", ex, transient: true);
        }
    }

    /// <summary>Formats a query value invariantly.</summary>
    public static string Q(long value) => value.ToString(CultureInfo.InvariantCulture);
}
