using System.Diagnostics;
using System.Net.Http.Json;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Simulators.Shoko;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>Playback of an anime episode on Plex reaches Shoko through a live event, with no scheduled or manual run.</summary>
[Trait("Category", "Scenario")]
public sealed class ShokoLiveTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData(ShokoServerVersion.V5)]
    [InlineData(ShokoServerVersion.V6)]
    public async Task Scrobble_OnPlex_IsWatchedInShoko_WithoutARun(ShokoServerVersion version)
    {
        await using var plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 7, Movies = 0, Shows = 0, HomeUsers = 1, Friends = 0, ShokoAnime = true }, CancellationToken.None);
        await using var plexTv = await PlexTvFederation.StartAsync([plex], CancellationToken.None);
        await using var shoko = await ShokoSimulator.StartAsync(new ShokoSimulatorOptions { Seed = 7, Version = version, UserNames = [plex.Owner.Name, "anna"] }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(
            ("Marquee:Plex:PlexTvUrl", plexTv.Uri.ToString()), ("Marquee:Webhooks:Live:EventStream", "false"), ("Marquee:Webhooks:Live:SessionPoller", "false")));
        plex.Control.SetWebhooks("owner", [WebhookKit.Url(app)]);
        await app.CreatePlexAsync("plex", token: plex.Owner.AccountToken, url: plex.BaseUri.ToString());
        var created = await app.PostJsonAsync("/api/connections", new { name = "shoko", kind = "shoko", settings = new { url = shoko.BaseUri.ToString(), user = plex.Owner.Name, password = string.Empty } });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        Assert.True((await app.PostJsonAsync("/api/flows", new { name = "anime", from = "plex", to = "shoko", features = new[] { "watched" } })).IsSuccessStatusCode);
        var first = await app.PostJsonAsync("/api/sync", new { flows = new[] { "anime" } });
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());

        // A special of the Shoko Relay series, played to the end on Plex.
        var series = shoko.State.Catalog.Series[0];
        var special = shoko.State.Catalog.Episodes.First(e => e.SeriesId == series.Id && e.Type == AnimeEpisodeType.Special);
        var item = plex.State.ItemsOfType(5, ItemType.Episode).First(i => i.PrimaryGuid == $"tv.plex.agents.custom.shoko://episode/e{special.Id}");
        using var control = new HttpClient { BaseAddress = plex.BaseUri };
        var watch = Stopwatch.StartNew();
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = item.RatingKey, percent = 95, stop = true })).IsSuccessStatusCode);

        while (shoko.Control.View(plex.Owner.Name, special.Id).Watched is null)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "not propagated; logs:\n" + string.Join('\n', app.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.ToString())));
            await Task.Delay(25);
        }

        // Measured and printed, not asserted tightly (CI runs on two busy cores): the design budget is 1 s at p95.
        output.WriteLine($"Shoko {version}: watched {watch.ElapsedMilliseconds} ms after the scrobble");
        Assert.Single(shoko.Control.Dump(plex.Owner.Name));
    }
}
