using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marquee.Simulators.Arr;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Arr;

/// <summary>The REST calls of ARR-AND-NOTIFY-API.md section 3: authentication, URL base, library, tags, editors, monitoring.</summary>
public sealed class ArrApiTests
{
    [Theory]
    [InlineData(ArrFlavor.Radarr)]
    [InlineData(ArrFlavor.Sonarr)]
    public async Task EveryCall_NeedsTheApiKey_InTheHeaderOrTheQuery(ArrFlavor flavor)
    {
        await using var host = await ArrSimHost.StartAsync(flavor);
        using var anonymous = new HttpClient { BaseAddress = host.Simulator.ApplicationUri };

        using var none = await anonymous.GetAsync(new Uri("api/v3/system/status", UriKind.Relative));
        using var wrong = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("api/v3/tag", UriKind.Relative)) { Headers = { { "X-Api-Key", "not-the-key" } } });
        using var query = await anonymous.GetAsync(new Uri($"api/v3/system/status?apikey={host.Simulator.ApiKey}", UriKind.Relative));
        using var header = await host.Api.GetAsync(new Uri("api/v3/system/status", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
        var status = JsonNode.Parse(await header.Content.ReadAsStringAsync())!;
        Assert.Equal(flavor.ToString(), (string?)status["appName"]);
    }

    [Fact]
    public async Task UnderAUrlBase_TheApiAnswersThereOnly()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Radarr, urlBase: "/radarr");
        using var root = new HttpClient { BaseAddress = host.Simulator.BaseUri };
        root.DefaultRequestHeaders.Add("X-Api-Key", host.Simulator.ApiKey);

        using var based = await root.GetAsync(new Uri("/radarr/api/v3/system/status", UriKind.Relative));
        using var bare = await root.GetAsync(new Uri("/api/v3/system/status", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, based.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bare.StatusCode);
        Assert.Equal("/radarr", (string?)JsonNode.Parse(await based.Content.ReadAsStringAsync())!["urlBase"]);
    }

    [Fact]
    public async Task Radarr_HoldsThePlexSimulatorsMovies_ByTmdbId_PlusTheMissingOnes()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Radarr, movies: 40, missing: 3);
        await using var plexSim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 7, Movies = 40, Shows = 0 }, CancellationToken.None);
        var plex = plexSim.State.ItemsOfType(1, ItemType.Movie)
            .Where(i => i.EditionTitle is null)
            .Select(i => int.Parse(i.SourceIds.First(g => g.StartsWith("tmdb://", StringComparison.Ordinal))[7..], System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();

        var movies = (await host.GetJsonAsync("api/v3/movie")).AsArray();

        var tmdb = movies.Select(m => (int)m!["tmdbId"]!).ToList();
        Assert.Equal(40, plex.Count);
        Assert.Equal(43, tmdb.Count);
        Assert.Subset(tmdb.ToHashSet(), plex);
        var missing = movies.Where(m => !plex.Contains((int)m!["tmdbId"]!)).ToList();
        Assert.Equal(3, missing.Count);
        Assert.All(missing, m => Assert.False((bool)m!["hasFile"]!));
        Assert.All(movies, m => Assert.True((bool)m!["monitored"]!));
    }

    [Fact]
    public async Task Sonarr_HoldsThePlexSimulatorsShows_ByTvdbId_WithTheirEpisodes()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Sonarr, shows: 8, missing: 1);
        await using var plexSim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 7, Movies = 0, Shows = 8 }, CancellationToken.None);
        var shows = plexSim.State.ItemsOfType(2, ItemType.Show).Concat(plexSim.State.ItemsOfType(4, ItemType.Show)).ToList();
        var plexEpisodes = plexSim.State.ItemsOfType(2, ItemType.Episode).Concat(plexSim.State.ItemsOfType(4, ItemType.Episode)).ToList();

        var series = (await host.GetJsonAsync("api/v3/series")).AsArray();
        var first = shows[0];
        var match = series.Single(s => $"tvdb://{(int)s!["tvdbId"]!}" == first.SourceIds.First(g => g.StartsWith("tvdb://", StringComparison.Ordinal)));
        var episodes = (await host.GetJsonAsync($"api/v3/episode?seriesId={(int)match!["id"]!}")).AsArray();

        Assert.Equal(9, series.Count);
        Assert.Equal(first.Title, (string?)match["title"]);
        Assert.Equal(plexEpisodes.Count(i => i.Parent?.Parent == first), episodes.Count);
        Assert.Contains(series, s => (string?)s!["seriesType"] == "anime");
    }

    [Fact]
    public async Task MovieEditor_Unmonitors_AndAddsAndRemovesTags_WithoutTouchingOthers()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Radarr);
        var alice = await TagAsync(host, "Alice");
        var other = await TagAsync(host, "keep-me");
        using (var tagged = await host.SendJsonAsync(HttpMethod.Put, "api/v3/movie/editor", new { movieIds = new[] { 1, 2 }, tags = new[] { other }, applyTags = "add" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, tagged.StatusCode);
        }

        using var unmonitor = await host.SendJsonAsync(HttpMethod.Put, "api/v3/movie/editor", new { movieIds = new[] { 1 }, monitored = false, tags = new[] { alice }, applyTags = "add" });
        using var remove = await host.SendJsonAsync(HttpMethod.Put, "api/v3/movie/editor", new { movieIds = new[] { 2 }, tags = new[] { other }, applyTags = "remove" });

        Assert.Equal(HttpStatusCode.Accepted, unmonitor.StatusCode);
        var edited = JsonNode.Parse(await unmonitor.Content.ReadAsStringAsync())!.AsArray().Single()!;
        Assert.False((bool)edited["monitored"]!);
        Assert.Equal([alice, other], edited["tags"]!.AsArray().Select(t => (int)t!).Order());
        var one = await host.GetJsonAsync("api/v3/movie/1");
        var two = await host.GetJsonAsync("api/v3/movie/2");
        var three = await host.GetJsonAsync("api/v3/movie/3");
        Assert.False((bool)one["monitored"]!);
        Assert.Empty(two["tags"]!.AsArray());
        Assert.True((bool)two["monitored"]!);
        Assert.True((bool)three["monitored"]!);
        var detail = (await host.GetJsonAsync("api/v3/tag/detail")).AsArray().Single(t => (int)t!["id"]! == alice)!;
        Assert.Equal([1], detail["movieIds"]!.AsArray().Select(i => (int)i!));
    }

    [Theory]
    [InlineData("plex:alice")]
    [InlineData("two words")]
    [InlineData("")]
    public async Task Radarr_RefusesTagLabelsOutsideItsRule(string label)
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Radarr);

        using var response = await host.SendJsonAsync(HttpMethod.Post, "api/v3/tag", new { label });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Single()!;
        Assert.Equal("Label", (string?)error["propertyName"]);
        Assert.Empty((await host.GetJsonAsync("api/v3/tag")).AsArray());
    }

    [Fact]
    public async Task Tags_AreStoredLowerCase_AndCreatedOnce()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Sonarr);

        var first = await TagAsync(host, "Bob Friends");
        var again = await TagAsync(host, "bob friends");

        Assert.Equal(first, again);
        var tag = (await host.GetJsonAsync("api/v3/tag")).AsArray().Single()!;
        Assert.Equal("bob friends", (string?)tag["label"]);
    }

    [Theory]
    [InlineData("{\"movieIds\":[],\"monitored\":false}", "MovieIds")]
    [InlineData("{\"movieIds\":\"1\",\"monitored\":false}", "MovieIds")]
    [InlineData("{\"movieIds\":[1],\"tags\":[999],\"applyTags\":\"add\"}", "ApplyTags")]
    [InlineData("{\"movieIds\":[1],\"tags\":[1],\"applyTags\":\"merge\"}", "ApplyTags")]
    [InlineData("{\"movieIds\":[1],\"monitored\":", "body")]
    public async Task MovieEditor_MalformedBodies_Are400_AndChangeNothing(string body, string property)
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Radarr);
        await TagAsync(host, "one");

        using var response = await host.Api.PutAsync(new Uri("api/v3/movie/editor", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(property, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray()[0]!["propertyName"]);
        var movie = await host.GetJsonAsync("api/v3/movie/1");
        Assert.True((bool)movie["monitored"]!);
        Assert.Empty(movie["tags"]!.AsArray());
    }

    [Fact]
    public async Task EpisodeMonitor_AndSeasonPass_UnmonitorWhatTheyName()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Sonarr, shows: 2);
        var series = (await host.GetJsonAsync("api/v3/series")).AsArray()[0]!;
        var id = (int)series["id"]!;
        var seasonOne = (await host.GetJsonAsync($"api/v3/episode?seriesId={id}&seasonNumber=1")).AsArray();
        var firstTwo = seasonOne.Take(2).Select(e => (int)e!["id"]!).ToArray();

        using var monitor = await host.SendJsonAsync(HttpMethod.Put, "api/v3/episode/monitor", new { episodeIds = firstTwo, monitored = false });
        var afterMonitor = (await host.GetJsonAsync($"api/v3/episode?episodeIds={firstTwo[0]}&episodeIds={firstTwo[1]}&episodeIds={(int)seasonOne[2]!["id"]!}")).AsArray();
        using var pass = await host.SendJsonAsync(HttpMethod.Post, "api/v3/seasonpass", new { series = new[] { new { id, seasons = new[] { new { seasonNumber = 1, monitored = false } } } } });
        var after = await host.GetJsonAsync($"api/v3/series/{id}");

        Assert.Equal(HttpStatusCode.Accepted, monitor.StatusCode);
        Assert.Equal([false, false, true], afterMonitor.Select(e => (bool)e!["monitored"]!));
        Assert.Equal(HttpStatusCode.Accepted, pass.StatusCode);
        Assert.False((bool)after["seasons"]!.AsArray().Single(s => (int)s!["seasonNumber"]! == 1)!["monitored"]!);
        Assert.True((bool)after["monitored"]!);
        Assert.All((await host.GetJsonAsync($"api/v3/episode?seriesId={id}&seasonNumber=1")).AsArray(), e => Assert.False((bool)e!["monitored"]!));
    }

    [Theory]
    [InlineData("api/v3/episode")]
    [InlineData("api/v3/episode?seriesId=abc")]
    [InlineData("api/v3/episode?episodeIds=1&episodeIds=x")]
    [InlineData("api/v3/series?tvdbId=-4")]
    public async Task Sonarr_MalformedQueries_Are400(string path)
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Sonarr, shows: 1);

        using var response = await host.Api.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Faults_ApplyToTheApi_LikeTheOtherSimulators()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Radarr);
        host.Simulator.Control.SetFault("GET /api/v3/movie", new Infrastructure.FaultSpec { Error500 = 1, Times = 1 });

        using var failed = await host.Api.GetAsync(new Uri("api/v3/movie", UriKind.Relative));
        using var fine = await host.Api.GetAsync(new Uri("api/v3/movie", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        Assert.Equal(2, host.Simulator.Control.RequestCounts["GET /api/v3/movie"]);
    }

    [Fact]
    public async Task ControlApi_SetsFaultsAndLatency_AndRefusesNonsense()
    {
        await using var host = await ArrSimHost.StartAsync(ArrFlavor.Sonarr, shows: 1);

        using var set = await host.Control.PutAsJsonAsync(new Uri("/_sim/faults", UriKind.Relative), new { endpoint = "GET /api/v3/series", spec = new { error503 = 1.0, times = 1 } });
        using var failed = await host.Api.GetAsync(new Uri("api/v3/series", UriKind.Relative));
        using var noEndpoint = await host.Control.PutAsJsonAsync(new Uri("/_sim/faults", UriKind.Relative), new { spec = new { error500 = 1.0 } });
        using var negative = await host.Control.PutAsJsonAsync(new Uri("/_sim/latency", UriKind.Relative), new { ms = -5 });
        using var badSeries = await host.Control.PostAsJsonAsync(new Uri("/_sim/series", UriKind.Relative), new { title = "x", tvdbId = 0 });
        using var movieOnSonarr = await host.Control.PostAsJsonAsync(new Uri("/_sim/movies", UriKind.Relative), new { title = "x", tmdbId = 5 });
        using var counts = await host.Control.GetAsync(new Uri("/_sim/counts", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noEndpoint.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badSeries.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, movieOnSonarr.StatusCode);
        Assert.Equal(1, (int)JsonNode.Parse(await counts.Content.ReadAsStringAsync())!["GET /api/v3/series"]!);
    }

    private static async Task<int> TagAsync(ArrSimHost host, string label)
    {
        using var response = await host.SendJsonAsync(HttpMethod.Post, "api/v3/tag", new { label });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return (int)JsonNode.Parse(text)!["id"]!;
    }
}
