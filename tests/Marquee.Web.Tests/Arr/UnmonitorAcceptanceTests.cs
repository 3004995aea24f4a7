using System.Net.Http.Json;
using Marquee.Core.Outbox;
using Marquee.Core.Sync;
using Marquee.Providers.Arr.Unmonitor;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Arr;

/// <summary>
/// Unmonitor after watched, end to end through real HTTP: a scrobble on the Plex simulator reaches Marquee as a
/// webhook, and the movie or episode is unmonitored in the Radarr or Sonarr simulator through the outbox.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class UnmonitorAcceptanceTests
{
    [Fact]
    public async Task ChosenUser_ScrobblesAnEpisode_ItIsUnmonitoredInSonarr_ByTheLivePath_AndUndoMonitorsItAgain()
    {
        await using var setup = await UnmonitorSetup.StartAsync();
        var (episodes, seriesId, season) = setup.Season();
        var episode = episodes[0];

        await setup.ScrobbleAsync(setup.Alice, episode);

        // The product budget is 2 s; the wait allows more for a loaded CI machine, and the catch-up is off, so it is the live path.
        var took = await setup.WaitAsync(() => !setup.EpisodeMonitored(seriesId, season, episode.Index), "the episode was not unmonitored");
        Assert.True(took < TimeSpan.FromSeconds(20), $"took {took}");
        Assert.All(episodes.Skip(1), e => Assert.True(setup.EpisodeMonitored(seriesId, season, e.Index)));
        Assert.True(setup.Sonarr.State.OneSeries(seriesId)!.Seasons[season]);
        Assert.Equal(1, setup.Sonarr.Control.RequestCounts.GetValueOrDefault("PUT /api/v3/episode/monitor"));
        Assert.Equal(1, setup.Sonarr.Control.RequestCounts.GetValueOrDefault("GET /api/v3/series"));

        // The ledger holds the unmonitor as a run; undoing it monitors the episode again. Sonarr shows the change before
        // its answer reaches Marquee, and the row is journaled written after that answer: the run is read once it ends.
        var runs = setup.App.Services.GetRequiredService<IRunStore>();
        SyncRun? run = null;
        await setup.WaitAsync(() => (run = runs.ListAsync(10, CancellationToken.None).GetAwaiter().GetResult().SingleOrDefault(r => r.Flow == "unmonitor:tv")) is { Status: not RunStatus.Running }, "the unmonitor's run did not end");
        Assert.Equal(RunStatus.Done, run!.Status);
        Assert.Equal("live", run.Trigger);
        var write = Assert.Single(await runs.ListWritesAsync(run.Id, CancellationToken.None));
        Assert.Equal(WriteStatus.Written, write.Status);
        Assert.StartsWith("episode/", write.LocalKey, StringComparison.Ordinal);
        var undo = await setup.App.PostJsonAsync($"/api/runs/{run.Id}/undo", new { });
        Assert.True(undo.IsSuccessStatusCode, await undo.Content.ReadAsStringAsync());
        Assert.True(setup.EpisodeMonitored(seriesId, season, episode.Index));
    }

    [Fact]
    public async Task UserNotChosen_ScrobblesAnEpisodeAndAMovie_NothingIsUnmonitored()
    {
        await using var setup = await UnmonitorSetup.StartAsync();
        var (episodes, seriesId, season) = setup.Season();
        var (movie, radarrId) = setup.Movie();

        await setup.ScrobbleAsync(setup.Bob, episodes[0]);
        await setup.ScrobbleAsync(setup.Bob, movie);

        // Then the chosen user watches another movie: once that is unmonitored, bob's watches have been handled too.
        var (other, otherId) = setup.Movie(skip: 1);
        await setup.ScrobbleAsync(setup.Alice, other);
        await setup.WaitAsync(() => !setup.Radarr.State.Movie(otherId)!.Monitored, "alice's movie was not unmonitored");
        Assert.True(setup.Radarr.State.Movie(radarrId)!.Monitored);
        Assert.True(setup.EpisodeMonitored(seriesId, season, episodes[0].Index));
        Assert.Equal(0, setup.Sonarr.Control.RequestCounts.GetValueOrDefault("PUT /api/v3/episode/monitor"));
    }

    [Fact]
    public async Task ChosenUser_ScrobblesAMovie_ItIsUnmonitoredInRadarr()
    {
        await using var setup = await UnmonitorSetup.StartAsync();
        var (movie, radarrId) = setup.Movie();

        await setup.ScrobbleAsync(setup.Alice, movie);

        var took = await setup.WaitAsync(() => !setup.Radarr.State.Movie(radarrId)!.Monitored, "the movie was not unmonitored");
        Assert.True(took < TimeSpan.FromSeconds(20), $"took {took}");
        Assert.Single(setup.Radarr.State.Movies(), m => !m.Monitored);
        Assert.Equal(1, setup.Radarr.Control.RequestCounts.GetValueOrDefault("PUT /api/v3/movie/editor"));
    }

    [Fact]
    public async Task SeasonOption_UnmonitorsTheSeason_WhenItsLastEpisodeIsWatched()
    {
        await using var setup = await UnmonitorSetup.StartAsync(sonarrSeason: "season");
        var (episodes, seriesId, season) = setup.Season();
        var sonarrSeason = setup.Sonarr.State.Episodes(e => e.SeriesId == seriesId && e.SeasonNumber == season);
        var plexNumbers = episodes.Select(e => e.Index).ToHashSet();

        // Episodes Sonarr has that Plex has not are unmonitored by hand, as a user would.
        foreach (var extra in sonarrSeason.Where(e => !plexNumbers.Contains(e.EpisodeNumber)))
        {
            extra.Monitored = false;
        }

        foreach (var episode in episodes.SkipLast(1))
        {
            await setup.ScrobbleAsync(setup.Alice, episode);
            await setup.WaitAsync(() => !setup.EpisodeMonitored(seriesId, season, episode.Index), $"E{episode.Index} was not unmonitored");
        }

        Assert.True(setup.Sonarr.State.OneSeries(seriesId)!.Seasons[season]);

        await setup.ScrobbleAsync(setup.Alice, episodes[^1]);

        await setup.WaitAsync(() => !setup.Sonarr.State.OneSeries(seriesId)!.Seasons[season], "the season was not unmonitored");
        Assert.Equal(1, setup.Sonarr.Control.RequestCounts.GetValueOrDefault("POST /api/v3/seasonpass"));
        Assert.All(setup.Sonarr.State.OneSeries(seriesId)!.Seasons.Where(s => s.Key != season), s => Assert.True(s.Value));
    }

    [Fact]
    public async Task DryRun_JournalsWhatItWouldDo_AndChangesNothing()
    {
        await using var setup = await UnmonitorSetup.StartAsync(mode: "dry-run");
        var (movie, radarrId) = setup.Movie();

        await setup.ScrobbleAsync(setup.Alice, movie);

        var runs = setup.App.Services.GetRequiredService<IRunStore>();
        SyncRun? run = null;
        await setup.WaitAsync(() => (run = runs.ListAsync(10, CancellationToken.None).GetAwaiter().GetResult().SingleOrDefault(r => r.Flow == "unmonitor:movies")) is { Status: not RunStatus.Running }, "no dry-run journaled");
        Assert.Equal(RunStatus.DryRun, run!.Status);
        Assert.Equal(WriteStatus.Skipped, Assert.Single(await runs.ListWritesAsync(run.Id, CancellationToken.None)).Status);
        Assert.True(setup.Radarr.State.Movie(radarrId)!.Monitored);
        Assert.Equal(0, setup.Radarr.Control.RequestCounts.GetValueOrDefault("PUT /api/v3/movie/editor"));
    }

    [Theory]
    [InlineData("500", "500")]
    [InlineData("429", "429")]
    [InlineData("html", "502")]
    [InlineData("timeout", "no answer within")]
    public async Task AFailingRadarr_GivesAnErrorNamingTheConnection_AndTheUnmonitorIsDeliveredOnceItIsBack(string fault, string expected)
    {
        await using var setup = await UnmonitorSetup.StartAsync();
        var (movie, radarrId) = setup.Movie();
        var spec = fault switch
        {
            "500" => new FaultSpec { Error500 = 1 },
            "429" => new FaultSpec { TooManyRequests = 1, RetryAfterSeconds = 1 },
            "html" => new FaultSpec { AcknowledgeWithoutApplying = 1 },
            _ => new FaultSpec { Timeout = 1 },
        };

        // A reverse proxy's error page in front of the application: HTML, not JSON.
        setup.Radarr.Control.Harness.Acknowledge = async context =>
        {
            context.Response.StatusCode = 502;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>");
        };
        setup.Radarr.Control.SetFault("PUT /api/v3/movie/editor", spec);

        await setup.ScrobbleAsync(setup.Alice, movie);

        var outbox = setup.App.Services.GetRequiredService<OutboxService>();
        OutboxMessage? failing = null;
        await setup.WaitAsync(
            () => (failing = outbox.ListAsync(null, 10, CancellationToken.None).GetAwaiter().GetResult().FirstOrDefault(m => m.Kind == ArrUnmonitorRequest.Kind && m.LastError is not null)) is not null,
            "no failed attempt recorded",
            TimeSpan.FromSeconds(90));
        Assert.Contains("radarr 'movies'", failing!.LastError, StringComparison.Ordinal);
        Assert.Contains(expected, failing.LastError, StringComparison.Ordinal);
        Assert.True(setup.Radarr.State.Movie(radarrId)!.Monitored);

        // The application comes back: the queued unmonitor is delivered, once.
        setup.Radarr.Control.SetFault("PUT /api/v3/movie/editor", null);
        await outbox.RetryAsync(failing.Id, CancellationToken.None);
        await setup.WaitAsync(() => !setup.Radarr.State.Movie(radarrId)!.Monitored, "not delivered once the application came back", TimeSpan.FromSeconds(90));
        await setup.WaitAsync(() => outbox.GetAsync(failing.Id, CancellationToken.None).GetAwaiter().GetResult().Status == OutboxStatus.Delivered, "not marked delivered");
        var writes = (await setup.App.Services.GetRequiredService<IRunStore>().ListAsync(20, CancellationToken.None)).Where(r => r.Flow == "unmonitor:movies" && r.Written > 0).ToList();
        Assert.Single(writes);
    }

    [Fact]
    public async Task AWrongApiKey_GivesAnErrorNamingTheConnectionAndTheKey()
    {
        await using var setup = await UnmonitorSetup.StartAsync(radarrKey: "RADARR-KEY");
        var (movie, radarrId) = setup.Movie();
        var update = await setup.App.Client.PutAsJsonAsync("/api/connections/movies", new { settings = new { url = setup.Radarr.ApplicationUri.ToString(), apiKey = "WRONG-KEY", unmonitorProfiles = "alice" } });
        Assert.True(update.IsSuccessStatusCode, await update.Content.ReadAsStringAsync());

        await setup.ScrobbleAsync(setup.Alice, movie);

        var outbox = setup.App.Services.GetRequiredService<OutboxService>();
        OutboxMessage? failing = null;
        await setup.WaitAsync(
            () => (failing = outbox.ListAsync(null, 10, CancellationToken.None).GetAwaiter().GetResult().FirstOrDefault(m => m.Kind == ArrUnmonitorRequest.Kind && m.LastError is not null)) is not null,
            "no failed attempt recorded");
        Assert.Contains("radarr 'movies'", failing!.LastError, StringComparison.Ordinal);
        Assert.Contains("401", failing.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("WRONG-KEY", failing.LastError, StringComparison.Ordinal);
        Assert.True(setup.Radarr.State.Movie(radarrId)!.Monitored);
    }
}

/// <summary>The scheduled catch-up, and the unmonitor settings' validation.</summary>
[Trait("Category", "Scenario")]
public sealed class UnmonitorCatchUpTests
{
    [Fact]
    public async Task CatchUp_ReadsWatchStateInBulk_AndUnmonitorsWhatTheChosenUserWatched_Once()
    {
        await using var setup = await UnmonitorSetup.StartAsync();
        setup.Plex.Control.SetWebhooks("owner", []);
        var unwatched = Enumerable.Range(0, 10).Select(setup.Movie).Where(p => setup.Plex.State.State(setup.Alice, p.Movie).IsEmpty).ToList();
        var (movie, radarrId) = unwatched[0];
        var (other, otherId) = unwatched[1];
        await setup.ScrobbleAsync(setup.Alice, movie);
        await setup.ScrobbleAsync(setup.Bob, other);
        var catchUp = setup.App.Services.GetRequiredService<ArrUnmonitorCatchUp>();

        var queued = await catchUp.RunOnceAsync(CancellationToken.None);

        // Alice's earlier watches (the simulator's seeded history) are caught up too; bob's are not hers.
        Assert.True(queued >= 1, $"queued {queued}");
        await setup.WaitAsync(() => !setup.Radarr.State.Movie(radarrId)!.Monitored, "the catch-up's unmonitor was not delivered");
        Assert.True(setup.Radarr.State.Movie(otherId)!.Monitored);
        var run = (await setup.App.Services.GetRequiredService<IRunStore>().ListAsync(100, CancellationToken.None)).First(r => r.Flow == "unmonitor:movies");
        Assert.Equal("catch-up", run.Trigger);
        Assert.Equal(0, await catchUp.RunOnceAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("radarr", "unmonitorMode", "sometimes")]
    [InlineData("radarr", "unmonitorSeason", "season")]
    [InlineData("sonarr", "unmonitorSeason", "series")]
    [InlineData("sonarr", "unmonitorProfiles", "alice,no spaces please")]
    [InlineData("sonarr", "unmonitorProfiles", 7)]
    public async Task MalformedUnmonitorSettings_Are400_NamingTheField(string kind, string field, object value)
    {
        await using var app = await Infrastructure.MarqueeApp.StartAsync();
        var settings = new System.Text.Json.Nodes.JsonObject { ["url"] = "http://127.0.0.1:9", ["apiKey"] = "key", [field] = System.Text.Json.JsonSerializer.SerializeToNode(value) };

        var response = await app.PostJsonAsync("/api/connections", new { name = "arr", kind, settings });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await app.JsonAsync(response)).GetProperty("errors").TryGetProperty("settings." + field, out _), await response.Content.ReadAsStringAsync());
    }
}
