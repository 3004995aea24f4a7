using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Marquee.Core.Labels;
using Marquee.Core.Providers;
using Marquee.Providers.Http;

namespace Marquee.Providers.Seerr;

/// <summary>Process-wide Seerr settings, bound from the <c>Marquee:Seerr</c> configuration section.</summary>
public sealed class SeerrOptions : ProviderClientOptions
{
    public const string Section = "Marquee:Seerr";

    /// <summary>Gets or sets the page size of the request walk (no maximum on the server; 100 keeps answers small).</summary>
    public int PageSize { get; set; } = 100;
}

/// <summary>
/// An Overseerr, Jellyseerr or Seerr connection (SEERR-API.md): read only. The API key travels in the <c>X-Api-Key</c>
/// header (the only form the server accepts). The request walk pages with an explicit <c>take</c> until <c>skip</c> reaches
/// <c>pageInfo.results</c>; an answer without <c>pageInfo</c> or <c>results</c> fails the read instead of looking empty.
/// </summary>
public sealed class SeerrProvider : IProvider, IRequestSource
{
    public const string HttpClientName = "seerr";

    private readonly SeerrSettings _settings;
    private readonly string _connectionName;
    private readonly ProviderHttpClient _http;
    private readonly SeerrOptions _options;
    private readonly TimeSpan _testTimeout;
    private readonly TimeProvider _time;

    public SeerrProvider(HttpClient http, SeerrSettings settings, string connectionName, SeerrOptions options, RequestCounts counts, TimeProvider time, TimeSpan testTimeout, long maxResponseBytes)
    {
        _settings = settings;
        _connectionName = connectionName;
        _options = options;
        _testTimeout = testTimeout;
        _time = time;
        _http = new ProviderHttpClient(http, "seerr", options.Policy(maxResponseBytes), counts, time);
    }

    public async Task<IReadOnlyList<FieldProblem>> TestAsync(CancellationToken cancellationToken)
    {
        try
        {
            var me = await ProviderHttpClient.WithinAsync(_testTimeout, _time, () => GetAsync("/api/v1/auth/me", "auth/me", SeerrJson.Default.SeerrUserWire, cancellationToken));
            return me.Id > 0 ? [] : [new FieldProblem("url", "this URL answers, but not as Overseerr, Jellyseerr or Seerr (no user in /api/v1/auth/me).")];
        }
        catch (ProviderException ex)
        {
            return ProviderHttp.TestProblems(ex, "url", "apiKey", "Seerr");
        }
    }

    public async Task<IReadOnlyList<MediaRequest>> ReadRequestsAsync(CancellationToken cancellationToken)
    {
        var take = Math.Max(1, _options.PageSize);
        var result = new List<MediaRequest>();
        for (var skip = 0; ; skip += take)
        {
            var page = await GetAsync("/api/v1/request", $"request?take={take}&skip={skip}&filter=all&sort=added", SeerrJson.Default.SeerrRequestPage, cancellationToken);
            if (page.PageInfo is null || page.Results is null)
            {
                throw Unexpected("/api/v1/request", "the answer is JSON but not a request list (no pageInfo or no results)");
            }

            foreach (var wire in page.Results)
            {
                result.Add(Map(wire) ?? throw Unexpected("/api/v1/request", $"request {wire.Id} has no media type, TMDB id or requester"));
            }

            if (page.Results.Count == 0 || skip + take >= page.PageInfo.Results)
            {
                return result;
            }
        }
    }

    public async Task<MediaRequest?> ReadRequestAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            var wire = await GetAsync("/api/v1/request/{id}", "request/" + id.ToString(CultureInfo.InvariantCulture), SeerrJson.Default.SeerrRequestWire, cancellationToken);
            return Map(wire) ?? throw Unexpected("/api/v1/request/{id}", $"request {id} has no media type, TMDB id or requester");
        }
        catch (ProviderException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static MediaRequest? Map(SeerrRequestWire wire)
    {
        var type = wire.Media?.MediaType ?? wire.Type;
        if (type is not ("movie" or "tv") || wire.Media?.TmdbId is not > 0 || wire.RequestedBy is null)
        {
            return null;
        }

        return new MediaRequest(type, wire.Media.TmdbId.Value, wire.Media.TvdbId, wire.RequestedBy.PlexId, wire.RequestedBy.PlexUsername, wire.Status);
    }

    private Task<T> GetAsync<T>(string template, string pathAndQuery, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        _http.RunAsync(true, ct => _http.SendOnceAsync(Request(template, pathAndQuery), _http.Json(Request(template, pathAndQuery), type), ct), cancellationToken);

    private ProviderException Unexpected(string template, string detail) =>
        _http.Failure(Request(template, string.Empty), null, ProviderFailure.WrongContent, detail, null, transient: false);

    private ProviderRequest Request(string template, string pathAndQuery) => new(
        HttpMethod.Get,
        new Uri(_settings.Url.AbsoluteUri.EndsWith('/') ? _settings.Url : new Uri(_settings.Url.AbsoluteUri + "/"), "api/v1/" + pathAndQuery),
        "GET " + template,
        $"Seerr '{_connectionName}' ({_settings.Url.GetLeftPart(UriPartial.Authority)})",
        "API key",
        request =>
        {
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.TryAddWithoutValidation("X-Api-Key", _settings.ApiKey);
        });
}
