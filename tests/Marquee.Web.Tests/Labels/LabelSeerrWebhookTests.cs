using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Simulators.Seerr;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;

namespace Marquee.Web.Tests.Labels;

/// <summary>
/// Seerr's webhook (<c>/webhooks/seerr/{secret}</c>) in label sync: the Seerr simulator sends its notifications to a
/// running Marquee, a new request labels the requester's title on the Plex simulator within seconds, and bad bodies are
/// refused with 400 and kept.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class LabelSeerrWebhookTests
{
    [Fact]
    public async Task NewRequestWebhook_LabelsTheRequestersTitleWithinSeconds()
    {
        await using var plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 7, Movies = 10, Shows = 0, HomeUsers = 0, Friends = 0 }, CancellationToken.None);
        await using var seerr = await SeerrSimulator.StartAsync(new SeerrSimulatorOptions(), CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Plex:PlexTvUrl", plex.PlexTvUri.ToString()), ("Marquee:Scheduler:Enabled", "false")));
        await SetUpAsync(app, plex, seerr);
        using var sim = new HttpClient { BaseAddress = seerr.BaseUri };
        var user = JsonNode.Parse(await (await sim.PostAsJsonAsync(new Uri("_sim/users", UriKind.Relative), new { plexId = plex.Owner.PlexTvId, plexUsername = "owner" })).Content.ReadAsStringAsync())!;
        var movie = plex.State.ItemsOfType(1, ItemType.Movie).First(m => m.EditionTitle is null && m.ExternalGuids.Any(g => g.StartsWith("tmdb://", StringComparison.Ordinal)));
        var tmdb = int.Parse(movie.ExternalGuids.First(g => g.StartsWith("tmdb://", StringComparison.Ordinal))[7..], CultureInfo.InvariantCulture);

        var watch = Stopwatch.StartNew();
        await OkAsync(await sim.PostAsJsonAsync(new Uri("_sim/requests", UriKind.Relative), new { userId = (int)user["id"]!, mediaType = "movie", tmdbId = tmdb }));
        while (!Labels(plex, movie).Contains("marquee:alice") && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        Assert.True(Labels(plex, movie).Contains("marquee:alice"), $"not labelled after {watch.Elapsed.TotalSeconds:0.0} s");
        var deliveries = await app.JsonAsync(await app.Client.GetAsync(new Uri("/api/webhooks/deliveries", UriKind.Relative)));
        Assert.Contains(deliveries.EnumerateArray(), d => d.GetProperty("source").GetString() == "seerr" && d.GetProperty("event").GetString() == "MEDIA_PENDING");
    }

    [Fact]
    public async Task RequestForAMovieNotInPlex_IsPending_ThenLabelledWhenPlexAddsIt()
    {
        await using var plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 7, Movies = 10, Shows = 0, HomeUsers = 0, Friends = 0 }, CancellationToken.None);
        await using var seerr = await SeerrSimulator.StartAsync(new SeerrSimulatorOptions(), CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Plex:PlexTvUrl", plex.PlexTvUri.ToString()), ("Marquee:Scheduler:Enabled", "false")));
        plex.Control.SetWebhooks("owner", [WebhookKit.Url(app)]);
        await SetUpAsync(app, plex, seerr);
        using var sim = new HttpClient { BaseAddress = seerr.BaseUri };
        var user = JsonNode.Parse(await (await sim.PostAsJsonAsync(new Uri("_sim/users", UriKind.Relative), new { plexId = plex.Owner.PlexTvId, plexUsername = "owner" })).Content.ReadAsStringAsync())!;

        await OkAsync(await sim.PostAsJsonAsync(new Uri("_sim/requests", UriKind.Relative), new { userId = (int)user["id"]!, mediaType = "movie", tmdbId = 987654, title = "Not Here Yet" }));
        var watch = Stopwatch.StartNew();
        var pending = await app.JsonAsync(await app.Client.GetAsync(new Uri("/api/labels/pending", UriKind.Relative)));
        while (pending.GetArrayLength() == 0 && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
            pending = await app.JsonAsync(await app.Client.GetAsync(new Uri("/api/labels/pending", UriKind.Relative)));
        }

        var entry = Assert.Single(pending.EnumerateArray());
        Assert.Equal(("want", "alice", "tmdb://987654"), (entry.GetProperty("kind").GetString(), entry.GetProperty("name").GetString(), entry.GetProperty("ids")[0].GetString()));

        var added = plex.Control.AddMovie(1, "Not Here Yet", 2026, "plex://movie/5d7768ba96b655001fdc0001", externalGuids: ["tmdb://987654"]);
        watch.Restart();
        while (!Labels(plex, added).Contains("marquee:alice") && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        Assert.True(Labels(plex, added).Contains("marquee:alice"), $"not labelled after {watch.Elapsed.TotalSeconds:0.0} s");
        while ((await app.JsonAsync(await app.Client.GetAsync(new Uri("/api/labels/pending", UriKind.Relative)))).GetArrayLength() > 0 && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync(new Uri("/api/labels/pending", UriKind.Relative)))).GetArrayLength());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"event\":\"New Movie Request\"}")]
    [InlineData("{\"notification_type\":\"MEDIA_PENDING\",\"media\":null}")]
    [InlineData("{\"notification_type\":\"MEDIA_PENDING\",\"media\":{\"media_type\":\"book\",\"tmdbId\":\"603\"}}")]
    [InlineData("{\"notification_type\":\"MEDIA_APPROVED\",\"media\":{\"media_type\":\"movie\",\"tmdbId\":\"\"}}")]
    public async Task BadBodies_Answer400_AndAreKept(string body)
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Scheduler:Enabled", "false")));
        using var response = await app.Client.PostAsync(new Uri($"/webhooks/seerr/{WebhookKit.Secret}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var deliveries = await app.JsonAsync(await app.Client.GetAsync(new Uri("/api/webhooks/deliveries", UriKind.Relative)));
        Assert.Contains(deliveries.EnumerateArray(), d => d.GetProperty("source").GetString() == "seerr" && d.GetProperty("status").GetInt32() == 400);
    }

    [Fact]
    public async Task WrongSecret_Answers401_AndTestNotification200()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Scheduler:Enabled", "false")));
        const string Test = "{\"notification_type\":\"TEST_NOTIFICATION\",\"event\":\"\",\"media\":null,\"request\":null}";
        using var wrong = await app.Client.PostAsync(new Uri("/webhooks/seerr/not-the-secret", UriKind.Relative), new StringContent(Test, Encoding.UTF8, "application/json"));
        using var test = await app.Client.PostAsync(new Uri($"/webhooks/seerr/{WebhookKit.Secret}", UriKind.Relative), new StringContent(Test, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
    }

    private static async Task SetUpAsync(MarqueeApp app, PlexSimulator plex, SeerrSimulator seerr)
    {
        await app.CreatePlexAsync("home", token: plex.Owner.AccountToken, url: plex.BaseUri.ToString());
        await OkAsync(await app.PostJsonAsync("/api/connections", new { name = "requests", kind = "seerr", settings = new { url = seerr.BaseUri.ToString(), apiKey = seerr.ApiKey } }));
        await OkAsync(await app.PostJsonAsync("/api/profiles", new { name = "alice" }));
        await OkAsync(await app.PostJsonAsync("/api/profiles/alice/accounts", new { connection = "home", account = "owner" }));
        await OkAsync(await app.Client.PutAsJsonAsync("/api/labels/settings", new { seerr = new[] { "requests" }, watchlists = false }));
        using var sim = new HttpClient { BaseAddress = seerr.BaseUri };
        await OkAsync(await sim.PutAsJsonAsync(new Uri("_sim/webhook", UriKind.Relative), new { url = new Uri(app.Address, $"/webhooks/seerr/{WebhookKit.Secret}").ToString() }));
    }

    private static List<string> Labels(PlexSimulator sim, PlexItem item) => [.. sim.State.Item(item.RatingKey)!.Labels.Select(sim.State.LabelName)];

    private static async Task OkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }
}
