using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Simulators.Trakt;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>A movie scrobbled on Plex reaches Trakt through a live event as one history add (not a scrobble), with no scheduled or manual run.</summary>
[Trait("Category", "Scenario")]
public sealed class TraktLiveTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Scrobble_OnPlex_IsOneHistoryAddOnTrakt_WithoutARun()
    {
        await using var plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 7, Movies = 6, Shows = 0, HomeUsers = 0, Friends = 0, LegacyShare = 0 }, CancellationToken.None);
        await using var plexTv = await PlexTvFederation.StartAsync([plex], CancellationToken.None);
        await using var trakt = await TraktSimulator.StartAsync(new TraktSimulatorOptions { Seed = 7, Movies = 6, Shows = 0, Accounts = [plex.Owner.Name], PollIntervalSeconds = 0, PostLimit = 0, GetLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(
            ("Marquee:Plex:PlexTvUrl", plexTv.Uri.ToString()), ("Marquee:Webhooks:Live:EventStream", "false"), ("Marquee:Webhooks:Live:SessionPoller", "false"), ("Marquee:Trakt:WriteInterval", "00:00:00.010")));
        plex.Control.SetWebhooks("owner", [WebhookKit.Url(app)]);
        await app.CreatePlexAsync("plex", token: plex.Owner.AccountToken, url: plex.BaseUri.ToString());
        var token = trakt.Control.Issue(plex.Owner.Name);
        var created = await app.PostJsonAsync("/api/connections", new
        {
            name = "trakt",
            kind = "trakt",
            settings = new
            {
                url = trakt.BaseUri.ToString(),
                clientId = trakt.ClientId,
                clientSecret = "SIM_CLIENT_SECRET",
                accessToken = token.AccessToken,
                refreshToken = token.RefreshToken,
                expiresAt = DateTimeOffset.FromUnixTimeSeconds(token.CreatedAt + token.ExpiresIn).ToString("O", CultureInfo.InvariantCulture),
            },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        Assert.True((await app.PostJsonAsync("/api/flows", new { name = "trakt", from = "plex", to = "trakt", features = new[] { "watched" } })).IsSuccessStatusCode);
        var first = await app.PostJsonAsync("/api/sync", new { flows = new[] { "trakt" } });
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());

        // A movie the owner has not watched yet, so the add comes from the scrobble alone.
        var owner = plex.Control.Account("owner");
        var movie = plex.State.ItemsOfType(1, ItemType.Movie).First(m => m.EditionTitle is null && plex.State.State(owner, m).ViewCount == 0);
        var media = trakt.State.Catalog.Movies.First(m => m.Title == movie.Title);
        var before = Plays();
        Assert.DoesNotContain(before, p => p.Trakt == media.Trakt);
        using var control = new HttpClient { BaseAddress = plex.BaseUri };
        var watch = Stopwatch.StartNew();
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 95, stop = true })).IsSuccessStatusCode);

        while (!Plays().Any(p => p.Trakt == media.Trakt))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "not propagated; logs:\n" + string.Join('\n', app.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.ToString())));
            await Task.Delay(25);
        }

        // Measured and printed, not asserted tightly (CI runs on two busy cores): the design budget is 1 s at p95.
        output.WriteLine($"Trakt: history add {watch.ElapsedMilliseconds} ms after the scrobble");
        var play = Assert.Single(Plays(), p => p.Trakt == media.Trakt);
        Assert.Equal("watch", play.Action);
        Assert.Equal(before.Count + 1, Plays().Count);
        Assert.DoesNotContain(trakt.Control.RequestCounts.Keys, k => k.Contains("scrobble", StringComparison.Ordinal));

        // A full run afterwards finds nothing left to write: the play is there once. The live run that wrote the play may
        // still hold the flow for a moment after the write (it records its end, then lets go); a person's run is refused
        // meanwhile with "try again when it ends", which is what this does.
        var again = await SyncWhenFreeAsync();
        Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
        Assert.Single(Plays(), p => p.Trakt == media.Trakt);
        Assert.Equal(before.Count + 1, Plays().Count);

        IReadOnlyList<TraktPlayDump> Plays() => trakt.Control.Dump(plex.Owner.Name).Plays;

        async Task<HttpResponseMessage> SyncWhenFreeAsync()
        {
            var waited = Stopwatch.StartNew();
            while (true)
            {
                var response = await app.PostJsonAsync("/api/sync", new { flows = new[] { "trakt" } });
                if (response.StatusCode != System.Net.HttpStatusCode.Conflict || waited.Elapsed > TimeSpan.FromSeconds(30))
                {
                    return response;
                }

                var body = await response.Content.ReadAsStringAsync();
                Assert.Contains("is already running", body, StringComparison.Ordinal);
                response.Dispose();
                await Task.Delay(25);
            }
        }
    }
}
