using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>Playback on one server reaches the other through a live event, with no scheduled or manual run.</summary>
public sealed class LivePropagationTests
{
    [Fact]
    public async Task Scrobble_OnTheSource_IsWatchedOnTheTarget_WithoutARun()
    {
        var options = (int variant, string name) => new PlexSimulatorOptions { Seed = 7, Variant = variant, Movies = 30, Shows = 2, HomeUsers = 1, Friends = 0, ServerName = name };
        await using var left = await PlexSimulator.StartAsync(options(0, "plex-a"), CancellationToken.None);
        await using var right = await PlexSimulator.StartAsync(options(1, "plex-b"), CancellationToken.None);
        await using var plexTv = await PlexTvFederation.StartAsync([left, right], CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(
            ("Marquee:Plex:PlexTvUrl", plexTv.Uri.ToString()), ("Marquee:Webhooks:Live:EventStream", "false"), ("Marquee:Webhooks:Live:SessionPoller", "false")));
        left.Control.SetWebhooks("owner", [WebhookKit.Url(app)]);
        await app.CreatePlexAsync("plex-a", token: left.Owner.AccountToken, url: left.BaseUri.ToString());
        await app.CreatePlexAsync("plex-b", token: right.Owner.AccountToken, url: right.BaseUri.ToString());
        Assert.True((await app.PostJsonAsync("/api/flows", new { name = "ab", from = "plex-a", to = "plex-b", features = new[] { "watched", "ratings", "progress" } })).IsSuccessStatusCode);
        var first = await app.PostJsonAsync("/api/sync", new { flows = new[] { "ab" } });
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());

        // A movie nobody has watched on either server, matched by title.
        static List<PlexItem> Movies(PlexSimulator sim) => sim.State.ItemsOfType(1, ItemType.Movie).Where(m => m.EditionTitle is null && !m.PrimaryGuid.StartsWith("local://", StringComparison.Ordinal)).ToList();
        var targets = Movies(right).GroupBy(m => m.Title).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());
        var movie = Movies(left).First(m => targets.TryGetValue(m.Title, out var t) && left.State.State(left.Owner, m).IsEmpty && right.State.State(right.Owner, t).IsEmpty);
        var target = targets[movie.Title];
        using var control = new HttpClient { BaseAddress = left.BaseUri };
        using var pms = new HttpClient { BaseAddress = right.BaseUri };
        pms.DefaultRequestHeaders.Add("X-Plex-Token", right.Owner.AccountToken);
        pms.DefaultRequestHeaders.Add("Accept", "application/json");

        left.Control.ResetCounts();
        right.Control.ResetCounts();

        // Act: real playback on plex-a, past the threshold.
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 95, stop = true })).IsSuccessStatusCode);

        // Assert: plex-b's API shows the movie played for its owner.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var doc = JsonDocument.Parse(await pms.GetStringAsync($"/library/metadata/{target.RatingKey}"));
            var item = doc.RootElement.GetProperty("MediaContainer").GetProperty("Metadata")[0];
            if (item.TryGetProperty("viewCount", out var count) && count.GetInt32() > 0)
            {
                break;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "not propagated; logs:\n" + string.Join('\n', app.Logs.Entries.Where(e => e.Category.Contains("Live", StringComparison.Ordinal) || e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.ToString())));
            await Task.Delay(200);
        }

        // The same delivery posted 99 more times: one event, still one write on plex-b.
        var scrobble = Assert.Single(left.Control.Webhooks.Deliveries, d => d.Event == "media.scrobble");
        for (var i = 0; i < 99; i++)
        {
            using var content = WebhookKit.Multipart(scrobble.Payload, thumb: false);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await app.Client.PostAsync(WebhookKit.Path(), content)).StatusCode);
        }

        await WebhookKit.WaitHandledAsync(app, left.Control.Webhooks.Deliveries.Count + 99);
        await Task.Delay(1500);
        var key = movie.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Single(await WebhookKit.EventsAsync(app), e => e.Kind == Core.Webhooks.LiveEventKind.Watched && e.LocalKey == key);
        Assert.Equal(1, right.Control.RequestCounts.GetValueOrDefault("PUT /:/scrobble"));

        // A rating on plex-a reaches plex-b the same way.
        var rated = Movies(left).First(m => m != movie && targets.TryGetValue(m.Title, out var t) && left.State.State(left.Owner, m).IsEmpty && right.State.State(right.Owner, t).IsEmpty);
        using var rate = new HttpRequestMessage(HttpMethod.Put, $"/:/rate?key={rated.RatingKey}&identifier=com.plexapp.plugins.library&rating=8");
        rate.Headers.Add("X-Plex-Token", left.Owner.AccountToken);
        Assert.True((await control.SendAsync(rate)).IsSuccessStatusCode);
        watch.Restart();
        while (true)
        {
            using var doc = JsonDocument.Parse(await pms.GetStringAsync($"/library/metadata/{targets[rated.Title].RatingKey}"));
            var item = doc.RootElement.GetProperty("MediaContainer").GetProperty("Metadata")[0];
            if (item.TryGetProperty("userRating", out var rating) && rating.GetDouble() == 8)
            {
                break;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "rating not propagated");
            await Task.Delay(200);
        }
    }
}
