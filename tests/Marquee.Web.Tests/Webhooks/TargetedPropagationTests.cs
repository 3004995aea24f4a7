using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Core.Sync;
using Marquee.Core.Webhooks;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>
/// Live events plan and write the one item they name: real playback on one simulated server, checked on the other
/// server through its API, with the target's request counts showing that no library was listed.
/// </summary>
public sealed class TargetedPropagationTests
{
    [Fact]
    public async Task Scrobble_WritesThatItemOnly_WithoutListingEitherServer()
    {
        await using var setup = await Setup.StartAsync(twoWay: false);
        var (movie, target) = setup.UnwatchedPair();

        // Act
        await setup.PlayAsync(movie, new { account = "owner", ratingKey = movie.RatingKey, percent = 95, stop = true });

        // Assert: plex-b shows the movie played, and neither server was listed for it.
        await setup.WaitTargetAsync(target, item => item.TryGetProperty("viewCount", out var count) && count.GetInt32() > 0, "watched");
        await setup.WaitOutcomeAsync(movie, LiveEventKind.Watched, TargetedOutcome.Propagated);
        Assert.DoesNotContain(setup.Right.Control.RequestCounts.Keys, k => k.Contains("/library/sections", StringComparison.Ordinal));
        Assert.DoesNotContain(setup.Left.Control.RequestCounts.Keys, k => k.Contains("/library/sections", StringComparison.Ordinal));
        Assert.Equal(1, setup.Right.Control.RequestCounts.GetValueOrDefault("PUT /:/scrobble"));
        var run = (await setup.App.Services.GetRequiredService<IRunStore>().ListAsync(5, CancellationToken.None))[0];
        Assert.Equal("live", run.Trigger);
        var write = Assert.Single(await setup.App.Services.GetRequiredService<IRunStore>().ListWritesAsync(run.Id, CancellationToken.None));
        Assert.Equal(target.RatingKey.ToString(CultureInfo.InvariantCulture), write.LocalKey);
        Assert.Equal(WriteStatus.Written, write.Status);
    }

    [Fact]
    public async Task SecondScrobble_AsksPlexTvForNoAccounts_TheListingOfAMomentAgoStands()
    {
        await using var setup = await Setup.StartAsync(twoWay: false);
        var pairs = Setup.Pairs(setup.Left, setup.Right).Where(p => setup.Left.State.State(setup.Left.Owner, p.Left).IsEmpty && setup.Right.State.State(setup.Right.Owner, p.Right).IsEmpty).Take(2).ToList();

        // Act: two scrobbles, one after the other.
        foreach (var (movie, target) in pairs)
        {
            await setup.PlayAsync(movie, new { account = "owner", ratingKey = movie.RatingKey, percent = 95, stop = true });
            await setup.WaitTargetAsync(target, item => item.TryGetProperty("viewCount", out var count) && count.GetInt32() > 0, "watched");
            await setup.WaitOutcomeAsync(movie, LiveEventKind.Watched, TargetedOutcome.Propagated);
        }

        // Assert: each live run is journaled with its requests; the second asked plex.tv nothing (the first may have).
        var live = (await setup.App.Services.GetRequiredService<IRunStore>().ListAsync(10, CancellationToken.None)).Where(r => r.Trigger == "live").OrderBy(r => r.Id).ToList();
        Assert.Equal(2, live.Count);
        Assert.DoesNotContain(live[1].Requests.Keys, k => k.Contains("plextv:", StringComparison.Ordinal));
        Assert.Contains(live[1].Requests.Keys, k => k.Contains("PUT /:/scrobble", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopWithAPosition_IsTheResumePointOnTheTarget()
    {
        await using var setup = await Setup.StartAsync(twoWay: false);
        var (movie, target) = setup.UnwatchedPair();
        var position = movie.Duration * 40 / 100;

        // Act: play to 40 % and stop (media.stop with the position).
        await setup.PlayAsync(movie, new { account = "owner", ratingKey = movie.RatingKey, positionMs = position, stop = true });

        // Assert: plex-b resumes within a second of that position, and nothing was marked watched.
        await setup.WaitTargetAsync(target, item => item.TryGetProperty("viewOffset", out var offset) && Math.Abs(offset.GetInt64() - position) <= 1000, "resume point");
        await setup.WaitOutcomeAsync(movie, LiveEventKind.Progress, TargetedOutcome.Propagated);
        Assert.Equal(0, setup.Right.Control.RequestCounts.GetValueOrDefault("PUT /:/scrobble"));
        Assert.DoesNotContain(setup.Right.Control.RequestCounts.Keys, k => k.Contains("/library/sections", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rate_IsTheRatingOnTheTarget()
    {
        await using var setup = await Setup.StartAsync(twoWay: false);
        var (movie, target) = setup.UnwatchedPair();

        // Act
        await setup.RateAsync(setup.Left, movie, 7);

        // Assert
        await setup.WaitTargetAsync(target, item => item.TryGetProperty("userRating", out var rating) && rating.GetDouble() == 7, "rating");
        await setup.WaitOutcomeAsync(movie, LiveEventKind.Rating, TargetedOutcome.Propagated);
        Assert.DoesNotContain(setup.Right.Control.RequestCounts.Keys, k => k.Contains("/library/sections", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FlowWithoutAFinishedRun_FallsBackToAnIncrementalRun()
    {
        await using var setup = await Setup.StartAsync(twoWay: false, firstRun: false);
        var (movie, _) = setup.UnwatchedPair();

        // Act
        await setup.PlayAsync(movie, new { account = "owner", ratingKey = movie.RatingKey, percent = 95, stop = true });

        // Assert: an incremental run (listing the servers) carried the event instead, and the event says why.
        var e = await setup.WaitOutcomeAsync(movie, LiveEventKind.Watched, TargetedOutcome.Fallback);
        Assert.Contains("has not finished a run yet", e.Outcome, StringComparison.Ordinal);
        Assert.Contains(setup.Right.Control.RequestCounts.Keys, k => k.Contains("/library/sections", StringComparison.Ordinal));
        Assert.Contains(await setup.App.Services.GetRequiredService<IRunStore>().ListAsync(10, CancellationToken.None), r => r.Trigger == "live" && r.Status == RunStatus.Done);
    }

    /// <summary>Which copy stands for a movie, and which edition for which, only a listing can say: an incremental run settles it.</summary>
    [Fact]
    public async Task ScrobbleOfAnEditionWithAGuidOfItsOwn_IsSettledByAnIncrementalRun_OnTheOtherBaseVersion()
    {
        PlexItem? movie = null;
        PlexItem? target = null;
        await using var setup = await Setup.StartAsync(twoWay: false, before: (left, right) =>
        {
            (movie, target) = Setup.Pairs(left, right).First(p => left.State.State(left.Owner, p.Left).IsEmpty && right.State.State(right.Owner, p.Right).IsEmpty);
            var edition = left.Control.AddMovie(movie.SectionId, movie.Title, movie.Year, "plex://movie/a1c0ffee00000000000000d9");
            edition.EditionTitle = "Director's Cut";
            edition.ExternalGuids = movie.ExternalGuids;
            return edition;
        });
        var cut = setup.Waiting!;

        // Act
        await setup.PlayAsync(cut, new { account = "owner", ratingKey = cut.RatingKey, percent = 95, stop = true });

        // Assert: the base version on plex-b is watched, by an incremental run; the base on plex-a is not.
        var e = await setup.WaitOutcomeAsync(cut, LiveEventKind.Watched, TargetedOutcome.Fallback);
        Assert.Contains("is an edition or one of several copies of a movie", e.Outcome, StringComparison.Ordinal);
        await setup.WaitTargetAsync(target!, item => item.TryGetProperty("viewCount", out var count) && count.GetInt32() > 0, "watched");
        Assert.Equal(0, setup.Left.State.State(setup.Left.Owner, movie!).ViewCount);
    }

    [Fact]
    public async Task LibraryNew_OnTheTarget_GetsTheWatchTheSourceHadWaitingForIt()
    {
        // plex-b lacks a movie the owner watched on plex-a before the first run: the watch waits for the movie.
        await using var setup = await Setup.StartAsync(twoWay: false, before: (left, right) =>
        {
            var (movie, target) = Setup.Pairs(left, right).First(p => left.State.State(left.Owner, p.Left).IsEmpty
                && right.State.ItemsOfType(1, ItemType.Movie).Count(m => m.PrimaryGuid == p.Right.PrimaryGuid) == 1);
            left.Control.Mark("owner", movie.RatingKey, watched: true);
            Assert.True(right.Control.Remove(target.RatingKey));
            return movie;
        });
        var watched = setup.Waiting!;
        Assert.DoesNotContain(setup.Right.State.ItemsOfType(1, ItemType.Movie), m => m.PrimaryGuid == watched.PrimaryGuid);

        // Act: the movie is added to plex-b (library.new to Marquee).
        using var add = await setup.RightControl.PostAsJsonAsync("/_sim/items", new { title = watched.Title, sectionId = 1, year = watched.Year, guid = watched.PrimaryGuid });
        Assert.True(add.IsSuccessStatusCode, await add.Content.ReadAsStringAsync());
        var added = setup.Right.State.ItemsOfType(1, ItemType.Movie).Single(m => m.PrimaryGuid == watched.PrimaryGuid);

        // Assert: plex-b's API shows the new movie watched, with no listing.
        await setup.WaitTargetAsync(added, item => item.TryGetProperty("viewCount", out var count) && count.GetInt32() > 0, "watched");
        var key = added.RatingKey.ToString(CultureInfo.InvariantCulture);
        var added1 = Assert.Single(await WebhookKit.EventsAsync(setup.App), e => e.Kind == LiveEventKind.ItemAdded && e.LocalKey == key);
        Assert.Equal(setup.Right.MachineIdentifier, added1.ServerId);
        Assert.DoesNotContain(setup.Right.Control.RequestCounts.Keys, k => k.Contains("/library/sections", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MarqueesOwnWrite_ComingBack_IsAnEcho_AndTravelsNoFurther()
    {
        // A two-way flow, both servers posting webhooks to Marquee: a rating written to plex-b comes back as media.rate.
        await using var setup = await Setup.StartAsync(twoWay: true);
        var (movie, target) = setup.UnwatchedPair();

        // Act
        await setup.RateAsync(setup.Left, movie, 6);

        // Assert: plex-b got the rating; its media.rate came back and was recognised as Marquee's write.
        await setup.WaitTargetAsync(target, item => item.TryGetProperty("userRating", out var rating) && rating.GetDouble() == 6, "rating");
        var echo = await setup.WaitOutcomeAsync(target, LiveEventKind.Rating, TargetedOutcome.Echo);
        Assert.Equal(setup.Right.MachineIdentifier, echo.ServerId);
        await Task.Delay(1000);
        Assert.Equal(1, setup.Left.Control.RequestCounts.GetValueOrDefault("PUT /:/rate"));
        Assert.Equal(1, setup.Right.Control.RequestCounts.GetValueOrDefault("PUT /:/rate"));
        var runs = await setup.App.Services.GetRequiredService<IRunStore>().ListAsync(10, CancellationToken.None);
        Assert.Single(runs, r => r.Trigger == "live");
    }

    [Fact]
    public async Task StopSeenByTheEventStreamOrPoller_IsTheResumePointOnTheTarget_AndNothingComesBack()
    {
        // No webhooks, a two-way flow: both servers are watched through their event streams and session pollers only.
        await using var setup = await Setup.StartAsync(twoWay: true, webhooks: false);
        await setup.WaitStreamsAsync();
        var (movie, target) = setup.UnwatchedPair();
        var position = movie.Duration * 40 / 100;

        // Act: start on plex-a (the poller learns the session), play to 40 % and stop.
        await setup.PlayAsync(movie, new { account = "owner", ratingKey = movie.RatingKey, percent = 10 });
        await Task.Delay(800);
        await setup.PlayAsync(movie, new { account = "owner", ratingKey = movie.RatingKey, positionMs = position, stop = true });

        // Assert: plex-b resumes there through a targeted run, and Marquee's write travels no further.
        await setup.WaitTargetAsync(target, item => item.TryGetProperty("viewOffset", out var offset) && Math.Abs(offset.GetInt64() - position) <= 1000, "resume point");
        var stop = await setup.WaitOutcomeAsync(movie, LiveEventKind.Progress, TargetedOutcome.Propagated);
        Assert.Contains(stop.Origin, new[] { LiveEventOrigin.EventStream, LiveEventOrigin.Poll });
        await Task.Delay(1500);
        Assert.Single(await setup.App.Services.GetRequiredService<IRunStore>().ListAsync(10, CancellationToken.None), r => r.Trigger == "live");
        Assert.Equal(0, setup.Left.Control.RequestCounts.GetValueOrDefault("POST /:/timeline"));
        Assert.DoesNotContain(setup.Right.Control.RequestCounts.Keys, k => k.Contains("/library/sections", StringComparison.Ordinal));
    }

    /// <summary>Two servers with the same movies (plex-a posting webhooks to Marquee), a flow between them and a finished first run.</summary>
    internal sealed class Setup : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _owned = [];

        private Setup(PlexSimulator left, PlexSimulator right, MarqueeApp app)
        {
            Left = left;
            Right = right;
            App = app;
            LeftControl = new HttpClient { BaseAddress = left.BaseUri };
            RightControl = new HttpClient { BaseAddress = right.BaseUri };
            Pms = new HttpClient { BaseAddress = right.BaseUri };
            Pms.DefaultRequestHeaders.Add("X-Plex-Token", right.Owner.AccountToken);
            Pms.DefaultRequestHeaders.Add("Accept", "application/json");
        }

        public PlexSimulator Left { get; }

        public PlexSimulator Right { get; }

        public MarqueeApp App { get; }

        public HttpClient LeftControl { get; }

        public HttpClient RightControl { get; }

        public HttpClient Pms { get; }

        public PlexItem? Waiting { get; private set; }

        public static async Task<Setup> StartAsync(bool twoWay, Func<PlexSimulator, PlexSimulator, PlexItem>? before = null, bool webhooks = true, bool firstRun = true, int movies = 30)
        {
            var options = (int variant, string name) => new PlexSimulatorOptions { Seed = 7, Variant = variant, Movies = movies, Shows = 2, HomeUsers = 1, Friends = 0, ServerName = name };
            var left = await PlexSimulator.StartAsync(options(0, "plex-a"), CancellationToken.None);
            var right = await PlexSimulator.StartAsync(options(1, "plex-b"), CancellationToken.None);
            var plexTv = await PlexTvFederation.StartAsync([left, right], CancellationToken.None);
            var live = webhooks ? "false" : "true";
            var app = await MarqueeApp.StartAsync(WebhookKit.Settings(
                ("Marquee:Plex:PlexTvUrl", plexTv.Uri.ToString()),
                ("Marquee:Webhooks:Live:EventStream", live),
                ("Marquee:Webhooks:Live:SessionPoller", live),
                ("Marquee:Webhooks:Live:SessionPollSeconds", "0.3"),
                ("Marquee:Webhooks:Live:ConnectionRefreshSeconds", "0.3")));
            var setup = new Setup(left, right, app);
            setup._owned.AddRange([app, plexTv, right, left]);
            setup.Waiting = before?.Invoke(left, right);
            if (webhooks)
            {
                left.Control.SetWebhooks("owner", [WebhookKit.Url(app)]);
                right.Control.SetWebhooks("owner", [WebhookKit.Url(app)]);
            }
            await app.CreatePlexAsync("plex-a", token: left.Owner.AccountToken, url: left.BaseUri.ToString());
            await app.CreatePlexAsync("plex-b", token: right.Owner.AccountToken, url: right.BaseUri.ToString());
            var flow = await app.PostJsonAsync("/api/flows", new { name = "ab", from = "plex-a", to = "plex-b", features = new[] { "watched", "ratings", "progress" }, twoWay });
            Assert.True(flow.IsSuccessStatusCode, await flow.Content.ReadAsStringAsync());
            if (firstRun)
            {
                var first = await app.PostJsonAsync("/api/sync", new { flows = new[] { "ab" } });
                Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
            }
            left.Control.ResetCounts();
            right.Control.ResetCounts();
            return setup;
        }

        /// <summary>Movies with a plex guid that each server has once, by guid.</summary>
        public static IEnumerable<(PlexItem Left, PlexItem Right)> Pairs(PlexSimulator left, PlexSimulator right)
        {
            static List<PlexItem> Movies(PlexSimulator sim) => sim.State.ItemsOfType(1, ItemType.Movie).Where(m => m.EditionTitle is null && m.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)).ToList();
            var targets = Movies(right).GroupBy(m => m.PrimaryGuid).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());
            return Movies(left).GroupBy(m => m.PrimaryGuid).Where(g => g.Count() == 1).Select(g => g.Single())
                .Where(m => targets.ContainsKey(m.PrimaryGuid)).Select(m => (m, targets[m.PrimaryGuid]));
        }

        /// <summary>A movie nobody has watched or rated on either server.</summary>
        public (PlexItem Left, PlexItem Right) UnwatchedPair() =>
            Pairs(Left, Right).First(p => Left.State.State(Left.Owner, p.Left).IsEmpty && Right.State.State(Right.Owner, p.Right).IsEmpty);

        /// <summary>Waits until the event streams of both servers are connected.</summary>
        public async Task WaitStreamsAsync()
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (App.Logs.Entries.Count(e => e.Message.Contains("event stream of Plex connection", StringComparison.Ordinal) && e.Message.Contains(" connected", StringComparison.Ordinal)) < 2)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "event streams not connected; logs:\n" + Logs());
                await Task.Delay(100);
            }
        }

        public async Task PlayAsync(PlexItem movie, object body)
        {
            using var response = await LeftControl.PostAsJsonAsync("/_sim/play", body);
            Assert.True(response.IsSuccessStatusCode, $"play {movie.RatingKey}: {await response.Content.ReadAsStringAsync()}");
        }

        public async Task RateAsync(PlexSimulator sim, PlexItem movie, double rating)
        {
            using var client = new HttpClient { BaseAddress = sim.BaseUri };
            using var rate = new HttpRequestMessage(HttpMethod.Put, string.Create(CultureInfo.InvariantCulture, $"/:/rate?key={movie.RatingKey}&identifier=com.plexapp.plugins.library&rating={rating}"));
            rate.Headers.Add("X-Plex-Token", sim.Owner.AccountToken);
            Assert.True((await client.SendAsync(rate)).IsSuccessStatusCode);
        }

        /// <summary>Polls plex-b's API for the item until <paramref name="done"/> holds.</summary>
        public async Task WaitTargetAsync(PlexItem item, Func<JsonElement, bool> done, string what)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                using var doc = JsonDocument.Parse(await Pms.GetStringAsync($"/library/metadata/{item.RatingKey}"));
                if (done(doc.RootElement.GetProperty("MediaContainer").GetProperty("Metadata")[0]))
                {
                    return;
                }

                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{what} not propagated; logs:\n" + Logs());
                await Task.Delay(100);
            }
        }

        /// <summary>Waits until the live event of the item has an outcome, which must start with <paramref name="outcome"/> for flow ab.</summary>
        public async Task<LiveEvent> WaitOutcomeAsync(PlexItem item, string kind, string outcome)
        {
            var key = item.RatingKey.ToString(CultureInfo.InvariantCulture);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                var e = (await WebhookKit.EventsAsync(App)).SingleOrDefault(e => e.Kind == kind && e.LocalKey == key && e.Outcome is not null);
                if (e is not null)
                {
                    Assert.StartsWith($"ab: {outcome}", e.Outcome, StringComparison.Ordinal);
                    return e;
                }

                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"no outcome for the {kind} event of {key}; logs:\n" + Logs());
                await Task.Delay(100);
            }
        }

        public async ValueTask DisposeAsync()
        {
            LeftControl.Dispose();
            RightControl.Dispose();
            Pms.Dispose();
            foreach (var owned in _owned)
            {
                await owned.DisposeAsync();
            }
        }

        private string Logs() => string.Join('\n', App.Logs.Entries.Where(e => e.Category.Contains("Live", StringComparison.Ordinal) || e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.ToString()));
    }
}
