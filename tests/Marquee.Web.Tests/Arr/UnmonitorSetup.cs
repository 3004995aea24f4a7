using System.Diagnostics;
using System.Net.Http.Json;
using Marquee.Simulators.Arr;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Arr;

/// <summary>
/// One Plex simulator (two home users; its webhooks go to Marquee) with a Radarr and a Sonarr simulator of the same
/// seed, so the same movies and series are on both sides. Profile "alice" (the first home user) is chosen by both
/// Radarr and Sonarr; "bob" (the second) is not. The catch-up is off unless asked for: what changes comes from the live path.
/// </summary>
internal sealed class UnmonitorSetup : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private UnmonitorSetup(PlexSimulator plex, ArrSimulator radarr, ArrSimulator sonarr, MarqueeApp app)
    {
        Plex = plex;
        Radarr = radarr;
        Sonarr = sonarr;
        App = app;
        Control = new HttpClient { BaseAddress = plex.BaseUri };
    }

    public PlexSimulator Plex { get; }

    public ArrSimulator Radarr { get; }

    public ArrSimulator Sonarr { get; }

    public MarqueeApp App { get; }

    public HttpClient Control { get; }

    public SimAccount Alice => Plex.Accounts.Where(a => a.Kind == SimAccountKind.Home).OrderBy(a => a.PlexTvId).First();

    public SimAccount Bob => Plex.Accounts.Where(a => a.Kind == SimAccountKind.Home).OrderBy(a => a.PlexTvId).Skip(1).First();

    public static async Task<UnmonitorSetup> StartAsync(string sonarrSeason = "episode", string mode = "unmonitor", bool catchUp = false, string radarrKey = "RADARR-KEY")
    {
        var plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 7, Movies = 20, Shows = 2, HomeUsers = 2, Friends = 0, ClockStart = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000) }, CancellationToken.None);
        var plexTv = await PlexTvFederation.StartAsync([plex], CancellationToken.None);
        var radarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Seed = 7, Movies = 20, Missing = 2, ApiKey = "RADARR-KEY" }, CancellationToken.None);
        var sonarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Sonarr, Seed = 7, Shows = 2, Missing = 1, ApiKey = "SONARR-KEY" }, CancellationToken.None);
        var app = await MarqueeApp.StartAsync(WebhookKit.Settings(
            ("Marquee:Plex:PlexTvUrl", plexTv.Uri.ToString()),
            ("Marquee:Webhooks:Live:EventStream", "false"),
            ("Marquee:Webhooks:Live:SessionPoller", "false"),
            ("Marquee:Outbox:PollSeconds", "0.2"),
            ("Marquee:Arr:RetryDelay", "00:00:00.050"),
            ("Marquee:Arr:RequestTimeout", "00:00:02"),
            ("Marquee:Arr:UnmonitorCatchUpMinutes", catchUp ? "0.02" : "0")));
        var setup = new UnmonitorSetup(plex, radarr, sonarr, app);
        setup._owned.AddRange([app, sonarr, radarr, plexTv, plex]);
        plex.Control.SetWebhooks("owner", [WebhookKit.Url(app)]);
        await app.CreatePlexAsync("home", token: plex.Owner.AccountToken, url: plex.BaseUri.ToString());
        await setup.AddArrAsync("movies", "radarr", radarr, radarrKey, new { unmonitorProfiles = "alice", unmonitorMode = mode });
        await setup.AddArrAsync("tv", "sonarr", sonarr, "SONARR-KEY", new { unmonitorProfiles = "alice", unmonitorMode = mode, unmonitorSeason = sonarrSeason });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var refreshed = await scope.ServiceProvider.GetRequiredService<Marquee.Core.Connections.ConnectionService>().RefreshAccountsAsync("home", CancellationToken.None);
            Assert.True(refreshed.Problem is null, refreshed.Problem);
        }

        foreach (var (profile, account) in new[] { ("alice", setup.Alice), ("bob", setup.Bob) })
        {
            Assert.True((await app.PostJsonAsync("/api/profiles", new { name = profile })).IsSuccessStatusCode);
            var linked = await app.PostJsonAsync($"/api/profiles/{profile}/accounts", new { connection = "home", account = account.Name });
            Assert.True(linked.IsSuccessStatusCode, await linked.Content.ReadAsStringAsync());
        }

        return setup;
    }

    /// <summary>A movie of the Plex library that Radarr holds (by TMDB id), with Radarr's id for it.</summary>
    public (PlexItem Movie, int RadarrId) Movie(int skip = 0)
    {
        var byTmdb = Radarr.State.Movies().ToDictionary(m => "tmdb://" + m.TmdbId, m => m.Id);
        var movie = Plex.State.ItemsOfType(1, ItemType.Movie)
            .Where(m => m.EditionTitle is null && m.ExternalGuids.Any(byTmdb.ContainsKey))
            .GroupBy(m => m.ExternalGuids.First(byTmdb.ContainsKey)).Where(g => g.Count() == 1).Select(g => g.Single())
            .Skip(skip).First();
        return (movie, byTmdb[movie.ExternalGuids.First(byTmdb.ContainsKey)]);
    }

    /// <summary>A season of a show that Sonarr holds (by TVDB id): its Plex episodes and Sonarr's series id.</summary>
    public (IReadOnlyList<PlexItem> Episodes, int SeriesId, int Season) Season()
    {
        var byTvdb = Sonarr.State.Series().ToDictionary(s => "tvdb://" + s.TvdbId, s => s.Id);
        foreach (var show in Plex.State.ItemsOfType(2, ItemType.Show))
        {
            if (show.ExternalGuids.FirstOrDefault(byTvdb.ContainsKey) is { } guid)
            {
                var season = show.Children!.Where(s => s.Children is { Count: >= 2 }).OrderBy(s => s.Index).First(s => s.Index > 0);
                return ([.. season.Children!.OrderBy(e => e.Index)], byTvdb[guid], season.Index);
            }
        }

        throw new InvalidOperationException("no show in both simulators");
    }

    public bool EpisodeMonitored(int seriesId, int season, int episode) =>
        Sonarr.State.Episodes(e => e.SeriesId == seriesId && e.SeasonNumber == season && e.EpisodeNumber == episode).Single().Monitored;

    public async Task ScrobbleAsync(SimAccount account, PlexItem item)
    {
        using var response = await Control.PostAsJsonAsync("/_sim/play", new { account = account.Name, ratingKey = item.RatingKey, percent = 95, stop = true });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls until <paramref name="done"/> holds; the budget is generous for a loaded machine, the elapsed time is returned.</summary>
    public async Task<TimeSpan> WaitAsync(Func<bool> done, string what, TimeSpan? within = null)
    {
        var watch = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(watch.Elapsed < (within ?? TimeSpan.FromSeconds(30)), $"{what}; logs:\n{string.Join('\n', App.Logs.Entries.TakeLast(60))}");
            await Task.Delay(25);
        }

        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    private async Task AddArrAsync(string name, string kind, ArrSimulator sim, string apiKey, object unmonitor)
    {
        var settings = System.Text.Json.JsonSerializer.SerializeToNode(unmonitor)!.AsObject();
        settings["url"] = sim.ApplicationUri.ToString();
        settings["apiKey"] = apiKey;
        var response = await App.PostJsonAsync("/api/connections", new { name, kind, settings });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
