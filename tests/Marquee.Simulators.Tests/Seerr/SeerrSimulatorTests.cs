using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marquee.Simulators.Seerr;
using Marquee.TestKit;

namespace Marquee.Simulators.Tests.Seerr;

/// <summary>SEERR-API.md sections 3, 4, 5 and 8 through real HTTP against the simulator.</summary>
public sealed class SeerrSimulatorTests
{
    private static async Task<(SeerrSimulator Sim, HttpClient Api, HttpClient Control)> StartAsync(string flavor = SeerrFlavor.Seerr)
    {
        var sim = await SeerrSimulator.StartAsync(new SeerrSimulatorOptions { Flavor = flavor }, CancellationToken.None);
        var api = new HttpClient { BaseAddress = sim.BaseUri };
        api.DefaultRequestHeaders.Add("X-Api-Key", sim.ApiKey);
        return (sim, api, new HttpClient { BaseAddress = sim.BaseUri });
    }

    private static async Task<JsonNode> GetAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    private static async Task<JsonNode> PostAsync(HttpClient control, string path, object body)
    {
        using var response = await control.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task Auth_NoKeyIs401ValidatorBody_WrongKeyIs403_ImpersonationActsAsThatUser()
    {
        var (sim, api, control) = await StartAsync();
        await using var _ = sim;
        using (api)
        using (control)
        {
            var none = await GetAsync(control, "api/v1/request", HttpStatusCode.Unauthorized);
            Assert.Equal("cookie 'connect.sid' required", (string?)none["message"]);
            using var wrong = new HttpClient { BaseAddress = sim.BaseUri };
            wrong.DefaultRequestHeaders.Add("X-Api-Key", "nope");
            var forbidden = await GetAsync(wrong, "api/v1/auth/me", HttpStatusCode.Forbidden);
            Assert.Equal(403, (int?)forbidden["status"]);
            Assert.Equal(1, (int?)(await GetAsync(api, "api/v1/auth/me"))["id"]);

            await PostAsync(control, "_sim/requests", new { userId = 1, mediaType = "movie", tmdbId = 11 });
            await PostAsync(control, "_sim/requests", new { userId = 2, mediaType = "movie", tmdbId = 12 });
            using var asBob = new HttpClient { BaseAddress = sim.BaseUri };
            asBob.DefaultRequestHeaders.Add("X-Api-Key", sim.ApiKey);
            asBob.DefaultRequestHeaders.Add("X-Api-User", "2");
            var own = await GetAsync(asBob, "api/v1/request");
            Assert.Equal(12, (int?)Assert.Single(own["results"]!.AsArray())!["media"]!["tmdbId"]);
            await GetAsync(asBob, "api/v1/request?requestedBy=1", HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task Requests_CarryRequesterStatusAndIds_AndPageWithTakeSkip()
    {
        var (sim, api, control) = await StartAsync();
        await using var _ = sim;
        using (api)
        using (control)
        {
            for (var i = 0; i < 25; i++)
            {
                await PostAsync(control, "_sim/requests", new { userId = 1 + (i % 3), mediaType = i % 2 == 0 ? "movie" : "tv", tmdbId = 100 + i, tvdbId = i % 2 == 0 ? (int?)null : 9000 + i, autoApprove = i % 5 == 0 });
            }

            var first = await GetAsync(api, "api/v1/request?take=10&skip=0&sort=added&sortDirection=asc");
            Assert.Equal(25, (int?)first["pageInfo"]!["results"]);
            Assert.Equal(3, (int?)first["pageInfo"]!["pages"]);
            var third = await GetAsync(api, "api/v1/request?take=10&skip=20&sortDirection=asc");
            Assert.Equal(3, (int?)third["pageInfo"]!["page"]);
            Assert.Equal(5, third["results"]!.AsArray().Count);
            var request = first["results"]!.AsArray()[1]!;
            Assert.Equal("tv", (string?)request["type"]);
            Assert.Equal(9001, (int?)request["media"]!["tvdbId"]);
            Assert.Equal("Bobby", (string?)request["requestedBy"]!["displayName"]);
            Assert.Equal("bob", (string?)request["requestedBy"]!["plexUsername"]);
            Assert.Equal(21458372L, (long?)request["requestedBy"]!["plexId"]);
            Assert.Equal(1, (int?)request["status"]);
            Assert.Equal(2, (int?)first["results"]!.AsArray()[0]!["status"]);

            Assert.Equal(5, (int?)(await GetAsync(api, "api/v1/request?filter=approved&take=100"))["pageInfo"]!["results"]);
            Assert.Equal(13, (int?)(await GetAsync(api, "api/v1/request?mediaType=movie&take=100"))["pageInfo"]!["results"]);
        }
    }

    [Fact]
    public async Task Available_IsCompletedOnSeerr_ButStaysApprovedOnOverseerr_AndDeclinedIsExcludedFromAvailable()
    {
        foreach (var (flavor, expected) in new[] { (SeerrFlavor.Seerr, 5), (SeerrFlavor.Overseerr, 2) })
        {
            var (sim, api, control) = await StartAsync(flavor);
            await using var _ = sim;
            using (api)
            using (control)
            {
                var made = await PostAsync(control, "_sim/requests", new { userId = 2, mediaType = "movie", tmdbId = 55, autoApprove = true });
                var declined = await PostAsync(control, "_sim/requests", new { userId = 3, mediaType = "movie", tmdbId = 55 });
                await PostAsync(control, $"_sim/requests/{(int)declined["id"]!}/decline", new { });
                await PostAsync(control, $"_sim/media/{(int)made["mediaId"]!}/available", new { ratingKey = "1001" });
                var one = await GetAsync(api, $"api/v1/request/{(int)made["id"]!}");
                Assert.Equal(expected, (int?)one["status"]);
                Assert.Equal("1001", (string?)one["media"]!["ratingKey"]);
                Assert.Single((await GetAsync(api, "api/v1/request?filter=available"))["results"]!.AsArray());
            }
        }
    }

    [Theory]
    [InlineData(SeerrFlavor.Seerr, "api/v1/request?color=red")]
    [InlineData(SeerrFlavor.Overseerr, "api/v1/request?mediaType=movie")]
    [InlineData(SeerrFlavor.Overseerr, "api/v1/request?filter=completed")]
    [InlineData(SeerrFlavor.Seerr, "api/v1/request?filter=bogus")]
    [InlineData(SeerrFlavor.Seerr, "api/v1/request?take=ten")]
    public async Task UndeclaredParametersAndValues_Are400_PerFlavour(string flavor, string path)
    {
        var (sim, api, control) = await StartAsync(flavor);
        await using var _ = sim;
        using (api)
        using (control)
        {
            var error = await GetAsync(api, path, HttpStatusCode.BadRequest);
            Assert.StartsWith(".query.", (string?)error["errors"]![0]!["path"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownRequest_Is404WithMessage()
    {
        var (sim, api, control) = await StartAsync();
        await using var _ = sim;
        using (api)
        using (control)
        {
            Assert.Equal("Request not found.", (string?)(await GetAsync(api, "api/v1/request/999", HttpStatusCode.NotFound))["message"]);
        }
    }

    [Fact]
    public async Task Webhooks_NewAndAvailableRequests_RenderTheTemplateAsStrings_WithAuthorization()
    {
        var (sim, api, control) = await StartAsync();
        await using var _ = sim;
        await using var receiver = await ReceivingServer.StartAsync();
        using (api)
        using (control)
        {
            using (var put = await control.PutAsJsonAsync(new Uri("_sim/webhook", UriKind.Relative), new { url = new Uri(receiver.BaseUri, "hook").ToString(), authorization = "Bearer s3cret" }))
            {
                put.EnsureSuccessStatusCode();
            }

            var made = await PostAsync(control, "_sim/requests", new { userId = 2, mediaType = "tv", tmdbId = 136315, tvdbId = 405433, title = "The Bear", year = 2022, seasons = new[] { 1, 2 } });
            await PostAsync(control, $"_sim/media/{(int)made["mediaId"]!}/available", new { });
            var received = await receiver.WaitForAsync(2);
            var pending = JsonNode.Parse(received.Single(r => r.Body.Contains("MEDIA_PENDING", StringComparison.Ordinal)).Body)!;
            Assert.Equal("New Series Request", (string?)pending["event"]);
            Assert.Equal("136315", (string?)pending["media"]!["tmdbId"]);
            Assert.Equal((string?)made["id"]!.ToString(), (string?)pending["request"]!["request_id"]);
            Assert.Equal("Bobby", (string?)pending["request"]!["requestedBy_username"]);
            Assert.Null(pending["issue"]);
            Assert.Equal("1, 2", (string?)pending["extra"]![0]!["value"]);
            Assert.Contains(received, r => r.Body.Contains("MEDIA_AVAILABLE", StringComparison.Ordinal));
            Assert.All(received, r => Assert.Equal("Bearer s3cret", r.Headers["Authorization"]));
        }
    }

    [Fact]
    public async Task Faults_AndRequestCounts_ComeFromTheSharedHarness()
    {
        var (sim, api, control) = await StartAsync();
        await using var _ = sim;
        using (api)
        using (control)
        {
            using (var put = await control.PutAsJsonAsync(new Uri("_sim/faults", UriKind.Relative), new { endpoint = "GET /api/v1/request", spec = new { error500 = 1.0, times = 1 } }))
            {
                put.EnsureSuccessStatusCode();
            }

            using (var failed = await api.GetAsync(new Uri("api/v1/request", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            }

            await GetAsync(api, "api/v1/request");
            var counts = await GetAsync(control, "_sim/counts");
            Assert.Equal(2, (long?)counts["GET /api/v1/request"]);
        }
    }
}
