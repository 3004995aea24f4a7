using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Marquee.Providers.Trakt;

/// <summary>
/// One Trakt account's API client. Tokens are refreshed ahead of their expiry (and once on a 401); the rotated
/// refresh token is handed to <c>saveTokens</c> before anything else uses the new access token, since Trakt's refresh
/// tokens work once. Writes are serialised per client at least <see cref="TraktApp.WriteInterval"/> and a tenth apart (1.1 s for Trakt's one per second, so timer jitter never meets the limit); a 429 is
/// waited out for its <c>Retry-After</c> (an HTML 429 from the edge too), a 5xx is retried with back-off; 420, 423 and 426
/// become messages that say what to do. Listings follow <c>X-Pagination-Page-Count</c>.
/// </summary>
public sealed class TraktClient(HttpClient http, TraktApp app, TraktTokens tokens, Func<TraktTokens, CancellationToken, Task> saveTokens, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private DateTimeOffset _nextWrite = DateTimeOffset.MinValue;

    public TraktTokens Tokens { get; private set; } = tokens;

    /// <summary>Requests sent, GETs and writes apart (retries included).</summary>
    public int Reads { get; private set; }

    public int Writes { get; private set; }

    /// <summary>Gets where each request is counted per endpoint (path without its query), for run reports; none when null.</summary>
    public Marquee.Core.Providers.RequestCounts? Counts { get; init; }

    /// <summary>Reads one object (no paging).</summary>
    public async Task<JsonNode?> GetAsync(string path, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, ct);
        return await TraktWire.ReadAsync(response, ct);
    }

    /// <summary>Reads every page of a listing (<c>page</c>/<c>limit</c> always sent; the server's clamp is followed).</summary>
    public async Task<List<JsonObject>> ListAsync(string path, CancellationToken ct)
    {
        var rows = new List<JsonObject>();
        for (var page = 1; ; page++)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            using var response = await SendAsync(HttpMethod.Get, $"{path}{separator}page={page}&limit={TraktApp.PageSize}", null, ct);
            if (await TraktWire.ReadAsync(response, ct) is not JsonArray array)
            {
                throw new TraktException($"Trakt answered GET /{path} with something that is not a list.");
            }

            rows.AddRange(array.OfType<JsonObject>());
            if (!response.Headers.TryGetValues("X-Pagination-Page-Count", out var counts)
                || !int.TryParse(counts.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pageCount)
                || page >= pageCount)
            {
                return rows;
            }
        }
    }

    /// <summary>Sends one write body (<c>movies</c>, <c>shows</c>, <c>episodes</c>…) and returns Trakt's counts.</summary>
    public async Task<JsonNode?> WriteAsync(string path, JsonObject body, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body, ct);
        return await TraktWire.ReadAsync(response, ct);
    }

    /// <summary>
    /// Adds the plays Trakt does not have yet: an item and date already in the history (compared to the minute, as
    /// Trakt keeps them) is left out, so a rerun adds no duplicate. Sent 100 per POST. Returns how many were sent.
    /// </summary>
    public async Task<int> AddHistoryAsync(IReadOnlyList<TraktPlayWrite> plays, CancellationToken ct)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in await ListAsync("sync/history", ct))
        {
            if (row["type"]?.GetValue<string>() is not { } kind || row[kind]?["ids"] is not JsonObject ids || row["watched_at"]?.GetValue<string>() is not { } watched)
            {
                continue;
            }

            var minute = TraktWire.ToMinute(DateTimeOffset.Parse(watched, CultureInfo.InvariantCulture));
            foreach (var key in Keys(kind, ids, minute))
            {
                known.Add(key);
            }
        }

        var missing = plays.Where(p => !Keys(p.Kind, p.Ids, TraktWire.ToMinute(p.WatchedAt)).Any(known.Contains)).ToList();
        foreach (var batch in missing.Chunk(TraktApp.BatchSize))
        {
            var body = new JsonObject();
            foreach (var group in batch.GroupBy(p => p.Kind == "movie" ? "movies" : "episodes"))
            {
                body[group.Key] = new JsonArray([.. group.Select(p => (JsonNode)new JsonObject { ["ids"] = p.Ids.DeepClone(), ["watched_at"] = TraktWire.Date(TraktWire.ToMinute(p.WatchedAt)) })]);
            }

            await WriteAsync("sync/history", body, ct);
        }

        return missing.Count;
    }

    /// <summary>One key per id of a play: the same item and minute match whichever id both sides carry.</summary>
    private static IEnumerable<string> Keys(string kind, JsonObject ids, DateTimeOffset minute) =>
        ids.Where(p => p.Value is JsonValue v && v.ToString().Length > 0)
            .Select(p => $"{kind}|{p.Key}={p.Value!.ToString().ToLowerInvariant()}|{minute.ToUnixTimeSeconds()}");

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        var write = method != HttpMethod.Get;
        var refreshed = false;
        var serverErrors = 0;
        if (write)
        {
            await _writes.WaitAsync(ct);
        }

        try
        {
            while (true)
            {
                await EnsureFreshAsync(force: false, ct);
                if (write && _nextWrite - time.GetUtcNow() is { } wait && wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, ct);
                }

                using var request = new HttpRequestMessage(method, new Uri(app.BaseUri, path));
                request.Headers.Add("trakt-api-key", app.ClientId);
                request.Headers.Add("trakt-api-version", "2");
                request.Headers.UserAgent.ParseAdd(TraktApp.UserAgent);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.AccessToken);
                if (body is not null)
                {
                    request.Content = TraktWire.Json(body);
                }

                var response = await http.SendAsync(request, ct);
                Counts?.Count($"{method.Method} /{path.Split('?')[0]}");
                if (write)
                {
                    Writes++;
                    _nextWrite = time.GetUtcNow() + (app.WriteInterval * 1.1);
                }
                else
                {
                    Reads++;
                }

                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return response;
                }

                using (response)
                {
                    switch (status)
                    {
                        case 429:
                            var retry = response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date - time.GetUtcNow()) ?? TimeSpan.FromSeconds(1);
                            await Task.Delay(retry + TimeSpan.FromMilliseconds(100), time, ct);
                            continue;
                        case 401 when !refreshed:
                            refreshed = true;
                            await EnsureFreshAsync(force: true, ct);
                            continue;
                        case 401:
                            throw new TraktException("Trakt no longer accepts Marquee's login for this account: run 'marquee connection add trakt' again to sign in.", 401);
                        case 403:
                            throw new TraktException(response.Headers.Server.ToString().Contains("cloudflare", StringComparison.OrdinalIgnoreCase)
                                ? "Trakt's edge (Cloudflare) blocked the request (403): try again later."
                                : "Trakt refused the app (403): check the client id of the Trakt app.", 403);
                        case 420:
                            var limit = response.Headers.TryGetValues("X-Account-Limit", out var l) ? l.FirstOrDefault() : null;
                            throw new TraktException($"Trakt's account limit{(limit is null ? string.Empty : $" of {limit} items")} is reached for {path}: blocked by Trakt limit; nothing more is sent there (Trakt VIP raises it).", 420);
                        case 423:
                            throw new TraktException("Trakt says this account is locked or deactivated (423): every call fails until Trakt support unlocks it.", 423);
                        case 426:
                            throw new TraktException($"Trakt keeps {path} for VIP accounts (426).", 426);
                        case >= 500 when serverErrors < 4:
                            serverErrors++;
                            await Task.Delay(TimeSpan.FromSeconds(serverErrors), time, ct);
                            continue;
                        default:
                            throw new TraktException($"Trakt answered {method} /{path} with {status}.", status);
                    }
                }
            }
        }
        finally
        {
            if (write)
            {
                _writes.Release();
            }
        }
    }

    public void Dispose()
    {
        _writes.Dispose();
        _refresh.Dispose();
    }

    /// <summary>Refreshes when the access token is near its expiry (or when forced after a 401) and saves the new pair first.</summary>
    private async Task EnsureFreshAsync(bool force, CancellationToken ct)
    {
        if (!force && Tokens.ExpiresAt - RefreshMargin > time.GetUtcNow())
        {
            return;
        }

        await _refresh.WaitAsync(ct);
        try
        {
            if (!force && Tokens.ExpiresAt - RefreshMargin > time.GetUtcNow())
            {
                return;
            }

            var request = new JsonObject
            {
                ["refresh_token"] = Tokens.RefreshToken,
                ["client_id"] = app.ClientId,
                ["client_secret"] = app.ClientSecret,
                ["redirect_uri"] = "urn:ietf:wg:oauth:2.0:oob",
                ["grant_type"] = "refresh_token",
            };
            using var response = await http.PostAsync(new Uri(app.BaseUri, "oauth/token"), TraktWire.Json(request), ct);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
            {
                throw new TraktException("Trakt refused to renew Marquee's login (the refresh token is used, expired or revoked): run 'marquee connection add trakt' again to sign in.", (int)response.StatusCode);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new TraktException($"Trakt could not renew Marquee's login ({(int)response.StatusCode}); it is tried again on the next run.", (int)response.StatusCode);
            }

            var fresh = TraktWire.Tokens(await TraktWire.ReadAsync(response, ct));
            await saveTokens(fresh, ct);
            Tokens = fresh;
        }
        finally
        {
            _refresh.Release();
        }
    }
}

/// <summary>One play to add: <see cref="Kind"/> is <c>movie</c> or <c>episode</c>, <see cref="Ids"/> the ids sent (ids only, no titles).</summary>
public sealed record TraktPlayWrite(string Kind, JsonObject Ids, DateTimeOffset WatchedAt);
