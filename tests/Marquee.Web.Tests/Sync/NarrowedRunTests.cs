using System.Net;
using System.Text.Json;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Sync;

/// <summary>
/// One run narrowed to some libraries or profiles (<c>marquee sync FLOW --library Anime --profile anna</c>, and
/// <c>libraries</c>/<c>profiles</c> in <c>POST /api/sync</c>): it reads and writes only those, within the flow's own filters.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class NarrowedRunTests
{
    [Fact]
    public async Task RunNarrowedToOneLibrary_WritesOnlyThatLibrary_AndTheOtherFollowsInItsOwnRun()
    {
        await using var setup = await Setup.StartAsync();
        var (movie, movieTarget) = setup.UnwatchedMovie();
        var (episode, episodeTarget) = setup.UnwatchedEpisode();
        setup.Left.Control.Mark("owner", movie.RatingKey, watched: true);
        setup.Left.Control.Mark("owner", episode.RatingKey, watched: true);
        setup.Left.Control.ResetCounts();

        var movies = await setup.SyncAsync(new { flows = new[] { "ab" }, libraries = new[] { "movies" } });

        Assert.Equal("done", movies.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal(1, movies.GetProperty("run").GetProperty("written").GetInt32());
        Assert.True(setup.Watched(setup.Right, movieTarget));
        Assert.False(setup.Watched(setup.Right, episodeTarget), "a run narrowed to Movies wrote an episode");
        var narrowedReads = setup.Left.Control.RequestCounts.Where(c => c.Key.Contains("/library/sections/", StringComparison.Ordinal)).Sum(c => c.Value);

        // The other library in its own narrowed run: a listing smaller than the baselines is no error here.
        var shows = await setup.SyncAsync(new { flows = new[] { "ab" }, libraries = new[] { "TV Shows" } });
        Assert.Equal("done", shows.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal(1, shows.GetProperty("run").GetProperty("written").GetInt32());
        Assert.True(setup.Watched(setup.Right, episodeTarget));

        // A full run afterwards has nothing left to write, and reads more of the source's sections than the narrowed run did.
        setup.Left.Control.ResetCounts();
        var full = await setup.SyncAsync(new { flows = new[] { "ab" } });
        Assert.Equal(0, full.GetProperty("run").GetProperty("written").GetInt32());
        var fullReads = setup.Left.Control.RequestCounts.Where(c => c.Key.Contains("/library/sections/", StringComparison.Ordinal)).Sum(c => c.Value);
        Assert.True(narrowedReads > 0 && narrowedReads < fullReads, $"section reads: narrowed {narrowedReads}, full {fullReads}");
    }

    [Fact]
    public async Task RunNarrowedToOneProfile_WritesOnlyThatProfile_AndAProfileWithoutAccountsIsNamed()
    {
        await using var setup = await Setup.StartAsync();
        var home = setup.Left.Accounts.First(a => a.Kind == SimAccountKind.Home);
        var profiles = (await setup.App.JsonAsync(await setup.App.Client.GetAsync("/api/profiles"))).EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
        var homeProfile = Assert.Single(profiles, p => p.Equals(home.Name, StringComparison.OrdinalIgnoreCase));
        var (movie, target) = setup.UnwatchedMovie(home.Name);
        setup.Left.Control.Mark("owner", movie.RatingKey, watched: true);
        setup.Left.Control.Mark(home.Name, movie.RatingKey, watched: true);

        var run = await setup.SyncAsync(new { flows = new[] { "ab" }, profiles = new[] { homeProfile, "nobody" } });

        Assert.Equal("done-with-warnings", run.GetProperty("run").GetProperty("status").GetString());
        Assert.Contains("profile nobody has no accounts linked on both plex-a and plex-b", run.GetProperty("run").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(setup.Right.State.State(setup.Right.Control.Account(home.Name), target).ViewCount > 0, "the home user's watch was not copied");
        Assert.Equal(0, setup.Right.State.State(setup.Right.Owner, target).ViewCount);
    }

    [Fact]
    public async Task Narrowing_OutsideTheFlowsFilters_OrMalformed_IsRefusedBeforeAnyRun()
    {
        await using var setup = await Setup.StartAsync(libraries: ["Movies"]);
        var runsBefore = (await setup.App.JsonAsync(await setup.App.Client.GetAsync("/api/runs"))).GetArrayLength();

        var cases = new (string Body, string Field, string Message)[]
        {
            ("""{"flows":["ab"],"libraries":["TV Shows"]}""", "libraries", "syncs only the libraries Movies; 'TV Shows' is not one of them"),
            ("""{"flows":["ab"],"libraries":["  "]}""", "libraries", "1-200 characters"),
            ("""{"flows":["ab"],"profiles":[null]}""", "profiles", "1-200 characters"),
            ("""{"flows":["ab"],"libraries":"Movies"}""", "libraries", string.Empty),
        };
        foreach (var (body, field, message) in cases)
        {
            var response = await setup.App.PostRawAsync("/api/sync", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body}: {(int)response.StatusCode} {text}");
            Assert.Contains(field, text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(message, text, StringComparison.Ordinal);
        }

        Assert.Equal(runsBefore, (await setup.App.JsonAsync(await setup.App.Client.GetAsync("/api/runs"))).GetArrayLength());
    }

    private sealed class Setup : IAsyncDisposable
    {
        private Setup(PlexSimulator left, PlexSimulator right, PlexTvFederation plexTv, MarqueeApp app)
        {
            (Left, Right, PlexTv, App) = (left, right, plexTv, app);
        }

        public PlexSimulator Left { get; }

        public PlexSimulator Right { get; }

        public PlexTvFederation PlexTv { get; }

        public MarqueeApp App { get; }

        public static async Task<Setup> StartAsync(string[]? libraries = null)
        {
            var options = (int variant, string name) => new PlexSimulatorOptions { Seed = 7, Variant = variant, Movies = 20, Shows = 2, HomeUsers = 1, Friends = 0, ServerName = name };
            var left = await PlexSimulator.StartAsync(options(0, "plex-a"), CancellationToken.None);
            var right = await PlexSimulator.StartAsync(options(1, "plex-b"), CancellationToken.None);
            var plexTv = await PlexTvFederation.StartAsync([left, right], CancellationToken.None);
            var app = await MarqueeApp.StartAsync(new Dictionary<string, string?>
            {
                ["Marquee:Plex:PlexTvUrl"] = plexTv.Uri.ToString(),
                ["Marquee:Webhooks:Live:EventStream"] = "false",
                ["Marquee:Webhooks:Live:SessionPoller"] = "false",
            });
            var setup = new Setup(left, right, plexTv, app);
            await app.CreatePlexAsync("plex-a", token: left.Owner.AccountToken, url: left.BaseUri.ToString());
            await app.CreatePlexAsync("plex-b", token: right.Owner.AccountToken, url: right.BaseUri.ToString());
            var flow = await app.PostJsonAsync("/api/flows", new { name = "ab", from = "plex-a", to = "plex-b", features = new[] { "watched" }, filters = new { libraries = libraries ?? [] } });
            Assert.True(flow.IsSuccessStatusCode, await flow.Content.ReadAsStringAsync());
            var first = await app.PostJsonAsync("/api/sync", new { flows = new[] { "ab" } });
            Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
            return setup;
        }

        public async Task<JsonElement> SyncAsync(object body)
        {
            var response = await App.PostJsonAsync("/api/sync", body);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await App.JsonAsync(response)).GetProperty("runs")[0];
        }

        public bool Watched(PlexSimulator server, PlexItem item) => server.State.State(server.Owner, item).ViewCount > 0;

        /// <summary>A movie each server has once by guid, unwatched by the owner (and by <paramref name="also"/>) on both.</summary>
        public (PlexItem Left, PlexItem Right) UnwatchedMovie(string? also = null) => Unwatched(ItemType.Movie, 1, also);

        public (PlexItem Left, PlexItem Right) UnwatchedEpisode() => Unwatched(ItemType.Episode, 2, null);

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await PlexTv.DisposeAsync();
            await Right.DisposeAsync();
            await Left.DisposeAsync();
        }

        private (PlexItem Left, PlexItem Right) Unwatched(ItemType type, int section, string? also)
        {
            List<PlexItem> Items(PlexSimulator sim) => sim.State.ItemsOfType(section, type).Where(m => m.EditionTitle is null && m.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)).ToList();
            bool Clean(PlexSimulator sim, PlexItem item) => sim.State.State(sim.Owner, item).IsEmpty && (also is null || sim.State.State(sim.Control.Account(also), item).IsEmpty);
            var targets = Items(Right).GroupBy(m => m.PrimaryGuid).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());
            return Items(Left).GroupBy(m => m.PrimaryGuid).Where(g => g.Count() == 1).Select(g => g.Single())
                .Where(m => targets.TryGetValue(m.PrimaryGuid, out var t) && Clean(Left, m) && Clean(Right, t))
                .Select(m => (m, targets[m.PrimaryGuid])).First();
        }
    }
}
