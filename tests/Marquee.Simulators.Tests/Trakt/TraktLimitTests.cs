using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marquee.Simulators.Trakt;

namespace Marquee.Simulators.Tests.Trakt;

public sealed class TraktLimitTests
{
    [Fact]
    public async Task PostWindow_SecondWriteWithinTheSecond_Is429WithRetryAfterAndXRatelimit()
    {
        await using var host = await TraktSimHost.StartAsync(o => o with { PostLimit = 1, PostWindowMs = 60_000 });
        using var client = host.Client();
        object body = new { movies = new[] { new { ids = new { trakt = host.Movie(0).Trakt } } } };

        using var first = await client.PostAsync("sync/history", TraktSimHost.Json(body));
        using var second = await client.PostAsync("sync/history", TraktSimHost.Json(body));
        using var third = await client.PostAsync("sync/history", TraktSimHost.Json(body));
        var limit = JsonNode.Parse(second.Headers.GetValues("X-Ratelimit").Single())!;
        var buckets = host.Control.Limits.Counts[TraktLimits.Post];

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.InRange(second.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("AUTHED_API_POST_LIMIT", limit["name"]!.GetValue<string>());
        Assert.Equal(0, limit["remaining"]!.GetValue<int>());
        Assert.Equal(3, buckets.Requests);
        Assert.Equal(2, buckets.Limited);
        Assert.Equal(1, buckets.Unhonoured);
        Assert.Single(host.Control.Dump("anna").Plays);
    }

    [Fact]
    public async Task GetBudget_PerAccount_AndUnauthedPerApp()
    {
        await using var host = await TraktSimHost.StartAsync(o => o with { GetLimit = 2, GetWindowSeconds = 300 });
        using var anna = host.Client();
        using var ben = host.Client("ben");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await anna.GetAsync("sync/history");
            statuses.Add(response.StatusCode);
        }

        using var other = await ben.GetAsync("sync/history");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(3, host.Control.Limits.Counts[TraktLimits.Get].Limited + 2);
    }

    [Fact]
    public async Task EdgeFault_Is429Html_FromCloudflare_WithoutXRatelimit_ThenClean()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        host.Control.SetStatusFault("GET /sync/history", new TraktStatusFault(429, Times: 1, RetryAfterSeconds: 300, Edge: true));

        using var edge = await client.GetAsync("sync/history");
        using var clean = await client.GetAsync("sync/history");

        Assert.Equal(HttpStatusCode.TooManyRequests, edge.StatusCode);
        Assert.Equal("text/html", edge.Content.Headers.ContentType!.MediaType);
        Assert.Equal("cloudflare", edge.Headers.Server.ToString());
        Assert.Equal(300, edge.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
        Assert.False(edge.Headers.Contains("X-Ratelimit"));
        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
        Assert.Equal(1, host.Control.Limits.Counts[TraktLimits.Get].Unhonoured);
    }

    [Theory]
    [InlineData(423, "X-Account-Locked", "true")]
    [InlineData(420, "X-Upgrade-URL", "https://trakt.tv/vip")]
    [InlineData(426, "X-Upgrade-URL", "https://trakt.tv/vip")]
    [InlineData(500, "X-Error-Message", "Internal server error")]
    public async Task StatusFaults_CarryTheirHeaders(int status, string header, string value)
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        host.Control.SetStatusFault("*", new TraktStatusFault(status, Times: 1));

        using var faulted = await client.GetAsync("sync/watchlist");
        using var clean = await client.GetAsync("sync/watchlist");

        Assert.Equal(status, (int)faulted.StatusCode);
        Assert.Equal(value, faulted.Headers.GetValues(header).Single());
        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(520)]
    [InlineData(521)]
    [InlineData(522)]
    public async Task ServerErrors(int status)
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        host.Control.SetStatusFault("POST /sync/history", new TraktStatusFault(status, Times: 1));

        using var response = await client.PostAsync("sync/history", TraktSimHost.Json(new { movies = new[] { new { ids = new { trakt = host.Movie(0).Trakt } } } }));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(host.Control.Dump("anna").Plays);
    }

    [Fact]
    public async Task LockedAccount_Is423_OnEveryCall()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        host.Control.Lock("anna", locked: true, deactivated: false);

        using var read = await client.GetAsync("sync/history");
        using var settings = await client.GetAsync("users/settings");

        Assert.Equal(423, (int)read.StatusCode);
        Assert.Equal(423, (int)settings.StatusCode);
        Assert.Equal("false", read.Headers.GetValues("X-Account-Deactivated").Single());
    }

    [Fact]
    public async Task ControlApi_RejectsMalformedInput()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = new HttpClient { BaseAddress = host.Sim.BaseUri };

        using var noEndpoint = await client.PutAsJsonAsync("_sim/status", new { fault = new { status = 429 } });
        using var badStatus = await client.PutAsJsonAsync("_sim/status", new { endpoint = "*", fault = new { status = 418 } });
        using var badLimits = await client.PutAsJsonAsync("_sim/limits", new { postWindowMs = 0 });
        using var badRating = await client.PostAsJsonAsync("_sim/accounts/anna/ratings", new { type = "movies", trakt = host.Movie(0).Trakt, rating = 0 });
        using var noAccount = await client.PostAsync("_sim/accounts/zed/token", null);
        using var noMedia = await client.PostAsJsonAsync("_sim/accounts/anna/plays", new { type = "movies", trakt = 1 });
        using var badLifetime = await client.PutAsJsonAsync("_sim/tokens/lifetime", new { seconds = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, noEndpoint.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimits.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badRating.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noAccount.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noMedia.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLifetime.StatusCode);
    }

    [Fact]
    public async Task ControlApi_SeedsState_IssuesTokens_AndCountsRequests()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var control = new HttpClient { BaseAddress = host.Sim.BaseUri };
        var movie = host.Movie(0);

        using var play = await control.PostAsJsonAsync("_sim/accounts/anna/plays", new { type = "movies", trakt = movie.Trakt, watchedAt = "2026-04-01T10:11:12Z" });
        var token = await (await control.PostAsync("_sim/accounts/anna/token", null)).Content.ReadFromJsonAsync<JsonObject>();
        using var api = host.Client(null);
        api.DefaultRequestHeaders.Authorization = new("Bearer", token!["accessToken"]!.GetValue<string>());
        var rows = (await TraktSimHost.ReadAsync(await api.GetAsync("sync/history"))).AsArray();
        var counts = await control.GetFromJsonAsync<Dictionary<string, long>>("_sim/counts");
        var state = await control.GetFromJsonAsync<JsonObject>("_sim/accounts/anna/state");

        Assert.Equal(HttpStatusCode.OK, play.StatusCode);
        Assert.Equal("2026-04-01T10:11:00.000Z", rows.Single()!["watched_at"]!.GetValue<string>());
        Assert.Equal(1, counts!["GET /sync/history"]);
        Assert.Single(state!["plays"]!.AsArray());
    }
}
