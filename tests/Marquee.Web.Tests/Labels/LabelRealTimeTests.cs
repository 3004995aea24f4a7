using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marquee.Core.Providers;
using Marquee.Providers.Arr;
using Marquee.Simulators.Arr;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Labels;

/// <summary>A Radarr Download webhook for a tagged movie labels the Plex item in real time, through the webhook receiver.</summary>
[Trait("Category", "Scenario")]
public sealed class LabelRealTimeTests
{
    [Fact]
    public async Task RadarrDownload_OfATaggedMovie_LabelsItOnPlexWithinSeconds()
    {
        await using var plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 7, Movies = 10, Shows = 0, HomeUsers = 0, Friends = 0 }, CancellationToken.None);
        await using var radarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Seed = 7, Movies = 10, Shows = 0, Missing = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Plex:PlexTvUrl", plex.PlexTvUri.ToString()), ("Marquee:Scheduler:Enabled", "false")));
        await app.CreatePlexAsync("home", token: plex.Owner.AccountToken, url: plex.BaseUri.ToString());
        using (var created = await app.PostJsonAsync("/api/connections", new { name = "movies", kind = "radarr", settings = new { url = radarr.ApplicationUri.ToString(), apiKey = radarr.ApiKey } }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        using (var put = await app.Client.PutAsJsonAsync("/api/labels/settings", new { tagInstances = new[] { "movies" }, watchlists = false }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var descriptor = app.Services.GetServices<IProviderDescriptor>().Single(d => d.Kind == "radarr");
        var provider = (ArrProvider)descriptor.Create(new ArrSettings { Url = radarr.ApplicationUri, ApiKey = radarr.ApiKey }, new ProviderContext(1, "movies", app.Services, new RequestCounts()));
        await provider.RegisterWebhookAsync(new Uri(app.Address, $"/webhooks/radarr/{WebhookKit.Secret}"), CancellationToken.None);

        var movie = plex.State.ItemsOfType(1, ItemType.Movie).First(m => m.EditionTitle is null && m.ExternalGuids.Any(g => g.StartsWith("tmdb://", StringComparison.Ordinal)));
        var tmdb = int.Parse(movie.ExternalGuids.First(g => g.StartsWith("tmdb://", StringComparison.Ordinal))[7..], CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = radarr.ApplicationUri };
        http.DefaultRequestHeaders.Add("X-Api-Key", radarr.ApiKey);
        var id = (int)JsonNode.Parse(await http.GetStringAsync(new Uri("api/v3/movie", UriKind.Relative)))!.AsArray().First(m => (int?)m!["tmdbId"] == tmdb)!["id"]!;
        using (var tag = await http.PostAsJsonAsync(new Uri("api/v3/tag", UriKind.Relative), new { label = "4k" }))
        {
            var tagId = (int)JsonNode.Parse(await tag.Content.ReadAsStringAsync())!["id"]!;
            using var edited = await http.PutAsJsonAsync(new Uri("api/v3/movie/editor", UriKind.Relative), new { movieIds = new[] { id }, tags = new[] { tagId }, applyTags = "add" });
            edited.EnsureSuccessStatusCode();
        }

        Assert.DoesNotContain("marquee:4k", Labels(plex, movie));
        var watch = Stopwatch.StartNew();
        radarr.Control.Import(id, null, [], upgrade: false);

        // Generous limit for a loaded machine; the time taken is reported by the assertion message.
        while (!Labels(plex, movie).Contains("marquee:4k") && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        Assert.True(Labels(plex, movie).Contains("marquee:4k"), $"not labelled after {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains(radarr.Control.Webhooks.Deliveries, d => d.EventType == "Download");
    }

    private static List<string> Labels(PlexSimulator sim, PlexItem item) => [.. sim.State.Item(item.RatingKey)!.Labels.Select(sim.State.LabelName)];

    [Fact]
    public async Task DownloadOfAMovieNotOnPlexYet_IsLabelledWhenPlexAddsIt()
    {
        await using var radarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Seed = 7, Movies = 10, Shows = 0, Missing = 1 }, CancellationToken.None);
        await using var plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 7, Movies = 10, Shows = 0, HomeUsers = 0, Friends = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Plex:PlexTvUrl", plex.PlexTvUri.ToString()), ("Marquee:Scheduler:Enabled", "false")));
        plex.Control.SetWebhooks("owner", [WebhookKit.Url(app)]);
        await app.CreatePlexAsync("home", token: plex.Owner.AccountToken, url: plex.BaseUri.ToString());
        using (var created = await app.PostJsonAsync("/api/connections", new { name = "movies", kind = "radarr", settings = new { url = radarr.ApplicationUri.ToString(), apiKey = radarr.ApiKey } }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        using (var put = await app.Client.PutAsJsonAsync("/api/labels/settings", new { tagInstances = new[] { "movies" }, watchlists = false }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var descriptor = app.Services.GetServices<IProviderDescriptor>().Single(d => d.Kind == "radarr");
        var provider = (ArrProvider)descriptor.Create(new ArrSettings { Url = radarr.ApplicationUri, ApiKey = radarr.ApiKey }, new ProviderContext(1, "movies", app.Services, new RequestCounts()));
        await provider.RegisterWebhookAsync(new Uri(app.Address, $"/webhooks/radarr/{WebhookKit.Secret}"), CancellationToken.None);

        var onPlex = plex.State.ItemsOfType(1, ItemType.Movie).SelectMany(m => m.ExternalGuids).ToHashSet(StringComparer.Ordinal);
        using var http = new HttpClient { BaseAddress = radarr.ApplicationUri };
        http.DefaultRequestHeaders.Add("X-Api-Key", radarr.ApiKey);
        var missing = JsonNode.Parse(await http.GetStringAsync(new Uri("api/v3/movie", UriKind.Relative)))!.AsArray().First(m => !onPlex.Contains($"tmdb://{(int)m!["tmdbId"]!}"))!;
        var (id, tmdb) = ((int)missing["id"]!, (int)missing["tmdbId"]!);
        using (var tag = await http.PostAsJsonAsync(new Uri("api/v3/tag", UriKind.Relative), new { label = "4k" }))
        {
            var tagId = (int)JsonNode.Parse(await tag.Content.ReadAsStringAsync())!["id"]!;
            using var edited = await http.PutAsJsonAsync(new Uri("api/v3/movie/editor", UriKind.Relative), new { movieIds = new[] { id }, tags = new[] { tagId }, applyTags = "add" });
            edited.EnsureSuccessStatusCode();
        }

        radarr.Control.Import(id, null, [], upgrade: false);
        await radarr.Control.Webhooks.WaitIdleAsync(CancellationToken.None);

        // The run the Download started finds nothing to label: the movie is not on Plex yet.
        var waited = Stopwatch.StartNew();
        while ((await app.JsonAsync(await app.Client.GetAsync(new Uri("/api/labels/status", UriKind.Relative)))).GetProperty("phase").GetString() != "done" && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        var added = plex.Control.AddMovie(1, (string)missing["title"]!, 2026, "plex://movie/5d7768ba96b655001fdc0000", externalGuids: [$"tmdb://{tmdb}"]);

        var watch = Stopwatch.StartNew();
        while (!Labels(plex, added).Contains("marquee:4k") && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        Assert.True(Labels(plex, added).Contains("marquee:4k"), $"not labelled after {watch.Elapsed.TotalSeconds:0.0} s");
    }
}
