using System.Net.Http.Json;
using Marquee.Simulators.Arr;
using Marquee.Simulators.Tests.Jellyfin;

namespace Marquee.Simulators.Tests.Arr;

/// <summary>
/// Every response a client reads validates against the official OpenAPI description of the application
/// (radarr-v3.openapi.json, sonarr-v3.openapi.json): types, enums and no member the resource does not declare.
/// </summary>
public sealed class ArrContractTests
{
    [Fact]
    public async Task Radarr_Responses_MatchTheOfficialDescription()
    {
        var spec = OpenApiSchema.LoadFrom("Arr", "radarr-v3.openapi.json");
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Radarr);
        await using var receiver = await Marquee.TestKit.ReceivingServer.StartAsync();
        using (var tag = await host.SendJsonAsync(HttpMethod.Post, "api/v3/tag", new { label = "alice" }))
        {
            spec.AssertValid("POST", "/api/v3/tag", 200, await tag.Content.ReadAsStringAsync());
        }

        using (var edit = await host.SendJsonAsync(HttpMethod.Put, "api/v3/movie/editor", new { movieIds = new[] { 1 }, tags = new[] { 1 }, applyTags = "add", monitored = false }))
        {
            edit.EnsureSuccessStatusCode();
        }

        using (var saved = await host.Api.PostAsJsonAsync(new Uri("api/v3/notification", UriKind.Relative), ArrWebhookTests.Registration(receiver.BaseUri)))
        {
            spec.AssertValid("POST", "/api/v3/notification", 200, await saved.Content.ReadAsStringAsync());
        }

        var tmdb = (int)(await host.GetJsonAsync("api/v3/movie/1"))["tmdbId"]!;
        await CheckAsync(spec, host, "/api/v3/system/status", "api/v3/system/status");
        await CheckAsync(spec, host, "/api/v3/tag", "api/v3/tag");
        await CheckAsync(spec, host, "/api/v3/tag/detail", "api/v3/tag/detail");
        await CheckAsync(spec, host, "/api/v3/movie", "api/v3/movie");
        await CheckAsync(spec, host, "/api/v3/movie", $"api/v3/movie?tmdbId={tmdb}");
        await CheckAsync(spec, host, "/api/v3/movie/{id}", "api/v3/movie/1");
        await CheckAsync(spec, host, "/api/v3/notification", "api/v3/notification");
        await CheckAsync(spec, host, "/api/v3/notification/{id}", "api/v3/notification/1");
    }

    [Fact]
    public async Task Sonarr_Responses_MatchTheOfficialDescription()
    {
        var spec = OpenApiSchema.LoadFrom("Arr", "sonarr-v3.openapi.json");
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Sonarr, shows: 9);
        using (var tag = await host.SendJsonAsync(HttpMethod.Post, "api/v3/tag", new { label = "bob" }))
        {
            spec.AssertValid("POST", "/api/v3/tag", 200, await tag.Content.ReadAsStringAsync());
        }

        using (var edit = await host.SendJsonAsync(HttpMethod.Put, "api/v3/series/editor", new { seriesIds = new[] { 1 }, tags = new[] { 1 }, applyTags = "add" }))
        {
            edit.EnsureSuccessStatusCode();
        }

        var series = await host.GetJsonAsync("api/v3/series/1");
        var episodes = (await host.GetJsonAsync("api/v3/episode?seriesId=1")).AsArray();
        await CheckAsync(spec, host, "/api/v3/system/status", "api/v3/system/status");
        await CheckAsync(spec, host, "/api/v3/tag", "api/v3/tag");
        await CheckAsync(spec, host, "/api/v3/tag/detail", "api/v3/tag/detail");
        await CheckAsync(spec, host, "/api/v3/series", "api/v3/series");
        await CheckAsync(spec, host, "/api/v3/series", $"api/v3/series?tvdbId={(int)series["tvdbId"]!}");
        await CheckAsync(spec, host, "/api/v3/series/{id}", "api/v3/series/1");
        await CheckAsync(spec, host, "/api/v3/episode", "api/v3/episode?seriesId=1&seasonNumber=1");
        await CheckAsync(spec, host, "/api/v3/episode", $"api/v3/episode?episodeIds={(int)episodes[0]!["id"]!}");
        await CheckAsync(spec, host, "/api/v3/episode/{id}", $"api/v3/episode/{(int)episodes[0]!["id"]!}");
    }

    private static async Task CheckAsync(OpenApiSchema spec, ArrSimHost host, string template, string path)
    {
        using var response = await host.Api.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        spec.AssertValid("GET", template, 200, body);
    }
}
