using System.Globalization;
using Marquee.Bench.Infrastructure;
using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Sync;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Simulators.Trakt;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Bench.Sync;

/// <summary>
/// Plex → Trakt (watched) on 16,000 movies and 1,500 shows of about 75,000 episodes (quick: 1,600 and 150), every item watched on Plex and the
/// newest 10 % of those plays missing on Trakt. The Trakt simulator keeps Trakt's limits: one POST per second and 500
/// GETs per 5 minutes. The first run reads both sides at the listing floor and writes the missing plays 100 per POST at
/// the POST window, so its time is set by Trakt's limit; the no-change run that follows reads the same library and
/// writes nothing, and must take under 30 s (PlexTraktSync: 16,000 movies in 124 s).
/// </summary>
public sealed class TraktScenario : IBenchScenario
{
    private const int PostWindowMs = 1000;
    private const double Differing = 0.10;

    // Shows of 1 to 9 seasons of 6 to 14 episodes (and specials in about 30 %): about 50 episodes a show, 75,000 for 1,500.
    private const int Seasons = 9;
    private const int EpisodesPerSeason = 14;
    private const int EpisodesPerShow = 50;
    private static readonly DateTimeOffset ClockStart = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    public string Name => "trakt";

    public string Title => "Plex → Trakt: first run at Trakt's write limit, then a no-change run";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var (movies, shows) = context.Quick ? (1_600, 150) : (16_000, 1_500);
        context.Log.WriteLine($"  Plex with {movies} movies and {shows} shows (about {EpisodesPerShow} episodes each), Trakt of the same titles (1 POST/s, 500 GETs/5 min)");

        // Every title matched by the Plex agent and no HAMA anime section (AniDB ids, which Trakt does not take), so each movie
        // and episode has a Trakt title. (Legacy agents are left out: the generator may give an edition another legacy agent
        // than its base version, an imdb id beside a tmdb id, which stay two ledger items that Trakt's listing, holding both
        // ids, cannot be matched to.)
        await using var plex = await PlexSimulator.StartAsync(
            new PlexSimulatorOptions { Seed = 23, Movies = movies, Shows = shows, Seasons = Seasons, EpisodesPerSeason = EpisodesPerSeason, LegacyShare = 0, UnmatchedShare = 0, AnimeShows = false, HomeUsers = 0, Friends = 0, ClockStart = ClockStart, ServerName = "bench-plex" },
            cancellationToken);
        await using var federation = await PlexTvFederation.StartAsync([plex], cancellationToken);
        await using var trakt = await TraktSimulator.StartAsync(
            new TraktSimulatorOptions { Seed = 23, Movies = movies, Shows = shows, Seasons = Seasons, EpisodesPerSeason = EpisodesPerSeason, Accounts = [plex.Owner.Name], ClockStart = ClockStart, PollIntervalSeconds = 0, PostLimit = 1, PostWindowMs = PostWindowMs, GetLimit = 500, GetWindowSeconds = 300 },
            cancellationToken);

        var (items, missing) = Watch(plex, trakt, context.Log);
        // No phase timing here: its provider wrappers would hide the Trakt provider's batch and catalogue capabilities.
        await using var services = await StartMarqueeAsync(plex, federation, trakt, context.DataFolder, cancellationToken);
        Flow flow;
        await using (var scope = services.CreateAsyncScope())
        {
            flow = await scope.ServiceProvider.GetRequiredService<FlowService>().CreateAsync(
                new FlowInput { Name = "plex-trakt", From = "plex", To = "trakt", Features = [FlowFeature.Watched], Mode = FlowMode.Mirror },
                cancellationToken);
        }

        plex.Control.ResetCounts();
        trakt.Control.ResetCounts();
        context.Log.WriteLine($"  {items.Count} items watched on Plex, {missing.Count} of them missing on Trakt; first run");
        var m = Measurement.Start();
        var first = await SyncAsync(services, flow, cancellationToken);
        m.Stop();
        var firstCounts = trakt.Control.RequestCounts;
        var limits = trakt.Control.Limits.Counts;
        plex.Control.AdvanceClock(TimeSpan.FromHours(1));
        trakt.Control.AdvanceClock(TimeSpan.FromHours(1));
        plex.Control.ResetCounts();
        trakt.Control.ResetCounts();
        context.Log.WriteLine("  no-change run");
        var quiet = Measurement.Start();
        var again = await SyncAsync(services, flow, cancellationToken);
        quiet.Stop();
        foreach (var write in again.Plan.Where(w => w.SkipReason is null).Take(5))
        {
            context.Log.WriteLine($"  no-change run planned {write.LocalKey} '{write.Title}' {write.Action}: {write.Reason}");
        }

        var who = trakt.Control.Dump(plex.Owner.Name);
        var played = who.Plays.Select(p => p.Trakt).ToHashSet();
        var posts = firstCounts.GetValueOrDefault("POST /sync/history");
        var floor = ListingFloor(plex, items.Count(i => i.Media.Kind == TraktKind.Movie), items.Where(i => i.Media.Kind == TraktKind.Episode).Select(i => i.Media.Show!.Trakt).Distinct().Count());
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["missing plays written"] = first.Run.Written,
            ["POSTs"] = posts,
            ["POST window (ms)"] = PostWindowMs,
            ["time set by Trakt's POST limit (s)"] = Math.Round(posts * PostWindowMs / 1000.0, 1),
            ["first run wall (s)"] = Math.Round(m.Wall.TotalSeconds, 3),
            ["no-change run wall (s)"] = Math.Round(quiet.Wall.TotalSeconds, 3),
            ["no-change run requests"] = again.Run.Requests.Values.Sum(),
            ["no-change run listing requests"] = Listing(again.Run.Requests),
            ["no-change run: planned, skipped on read-before-write"] = again.Run.Planned,
            ["listing floor"] = floor,
            ["items/s in the no-change run"] = Math.Round(items.Count / Math.Max(quiet.Wall.TotalSeconds, 1e-6)),
        };
        var requests = Prefixed("first ", first.Run.Requests);
        foreach (var (endpoint, count) in again.Run.Requests)
        {
            requests["no-change " + endpoint] = count;
        }

        var checks = new List<Check>
        {
            new("first run finished", first.Run.Status == RunStatus.Done, $"status {first.Run.Status}{(first.Run.Message is null ? string.Empty : ": " + first.Run.Message)}"),
            new("every missing play written", first.Run.Written == missing.Count && missing.All(t => played.Contains(t)), $"{first.Run.Written} written, {missing.Count(t => played.Contains(t))} of {missing.Count} missing plays now on Trakt"),
            new("writes: 100 plays per POST", posts == (missing.Count + 99) / 100, $"{posts} POST /sync/history for {missing.Count} plays"),
            new("no 429 left unhonoured", limits.Values.Sum(c => c.Unhonoured) == 0, string.Join(", ", limits.Select(l => $"{l.Key}: {l.Value.Limited} limited, {l.Value.Unhonoured} unhonoured"))),
            new("no duplicate play", who.Plays.Count == items.Count, $"{who.Plays.Count} plays on Trakt for {items.Count} watched items"),
            new("no-change run: zero writes", again.Run.Status == RunStatus.Done && again.Run.Written == 0 && !trakt.Control.RequestCounts.Keys.Any(k => k.StartsWith("POST", StringComparison.Ordinal)), $"status {again.Run.Status}, written {again.Run.Written}, planned {again.Run.Planned} (skipped when read)"),
            new("no-change run plans nothing", again.Run.Planned == 0, $"{again.Run.Planned} planned (each skipped on the read before the write)"),
            new("no-change run under 30 s", quiet.Wall.TotalSeconds < 30, $"{quiet.Wall.TotalSeconds:F1} s"),
            new("reads at the listing floor (both runs)", Listing(first.Run.Requests) <= floor + HistoryPages(first.Run.Requests) && Listing(again.Run.Requests) <= floor, $"first run {Listing(first.Run.Requests)} listing requests ({HistoryPages(first.Run.Requests)} of them history pages read before the adds), no-change run {Listing(again.Run.Requests)}; floor {floor}"),
        };
        return new ScenarioResult
        {
            Name = Name,
            Title = Title,
            Status = checks.All(c => c.Passed) ? ScenarioStatus.Ok : ScenarioStatus.Failed,
            Quick = context.Quick,
            Size = new Dictionary<string, long>(StringComparer.Ordinal)
            {
                ["movies"] = items.Count(i => i.Media.Kind == TraktKind.Movie),
                ["shows"] = shows,
                ["episodes"] = items.Count(i => i.Media.Kind == TraktKind.Episode),
                ["missing on Trakt"] = missing.Count,
            },
            WallSeconds = Math.Round(m.Wall.TotalSeconds, 3),
            CpuSeconds = Math.Round(m.Cpu.TotalSeconds, 3),
            PeakRssBytes = m.PeakRss,
            BaselineRssBytes = m.BaselineRss,
            Requests = requests,
            SimulatorRequests = Prefixed("trakt ", firstCounts),
            TotalRequests = first.Run.Requests.Values.Sum(),
            FloorRequests = floor + posts,
            Writes = first.Run.Written,
            Metrics = metrics,
            Checks = checks,
        };
    }

    /// <summary>
    /// Every movie and episode watched on Plex, a minute apart per hundred (oldest first); Trakt has the same plays at the
    /// same minutes except the newest <see cref="Differing"/> share, which are missing there.
    /// </summary>
    private static (List<(PlexItem Item, TraktMedia Media)> Items, List<long> Missing) Watch(PlexSimulator plex, TraktSimulator trakt, TextWriter log)
    {
        var owner = plex.State.Owner;

        // The generator's own history is cleared, so what differs is exactly what the scenario leaves out on Trakt.
        foreach (var item in plex.State.Sections.SelectMany(s => plex.State.ItemsOfType(s.Id, ItemType.Movie).Concat(plex.State.ItemsOfType(s.Id, ItemType.Episode))))
        {
            if (!plex.State.State(owner, item).IsEmpty)
            {
                plex.State.Unscrobble(owner, item);
                plex.State.Rate(owner, item, null, 0);
            }
        }

        var items = new List<(PlexItem, TraktMedia)>();
        var seen = new HashSet<long>();
        foreach (var section in plex.State.Sections)
        {
            foreach (var item in plex.State.ItemsOfType(section.Id, ItemType.Movie).Concat(plex.State.ItemsOfType(section.Id, ItemType.Episode)))
            {
                if (Map(trakt.State.Catalog, item) is { } media && seen.Add(media.Trakt))
                {
                    items.Add((item, media));
                }
            }
        }

        var keep = (int)(items.Count * (1 - Differing));
        var missing = new List<long>();
        for (var i = 0; i < items.Count; i++)
        {
            if (i % 100 == 0)
            {
                plex.Control.AdvanceClock(TimeSpan.FromMinutes(1));
            }

            var (item, media) = items[i];
            plex.State.Scrobble(owner, item);
            if (i < keep)
            {
                trakt.Control.Play(owner.Name, media, plex.Control.Now);
            }
            else
            {
                missing.Add(media.Trakt);
            }
        }

        log.WriteLine($"  set up: {items.Count} plays on Plex, {keep} on Trakt");
        return (items, missing);
    }

    /// <summary>The Trakt title a Plex movie or episode is, by its ids in Marquee's order (tmdb, imdb, tvdb; an episode by its show's ids and its numbers).</summary>
    private static TraktMedia? Map(TraktCatalog catalog, PlexItem item)
    {
        string[] order = ["tmdb", "imdb", "tvdb"];
        TraktMedia? ById(TraktKind kind, PlexItem of) => of.ExternalGuids
            .Select(g => g.Split("://", 2))
            .Where(p => p.Length == 2 && order.Contains(p[0]))
            .OrderBy(p => Array.IndexOf(order, p[0]))
            .Select(p => catalog.ById(kind, p[0], p[1]))
            .FirstOrDefault(m => m is not null);

        return item.Type switch
        {
            ItemType.Movie => ById(TraktKind.Movie, item),
            ItemType.Episode when item.Parent?.Parent is { } show => ById(TraktKind.Show, show)?.Episodes.FirstOrDefault(e => e.SeasonNumber == item.Parent.Index && e.Number == item.Index),
            _ => null,
        };
    }

    /// <summary>Plex's listing pages (1,000 per page) plus Trakt's: settings, watched movies (250 a page), watched shows (100 a page with their episodes), ratings.</summary>
    private static long ListingFloor(PlexSimulator plex, int watchedMovies, int watchedShows)
    {
        static long Pages(int count, int size) => Math.Max(1, (count + size - 1) / size);
        long floor = 0;
        foreach (var section in plex.State.Sections)
        {
            floor += Pages(plex.State.ItemsOfType(section.Id, ItemType.Movie).Count + plex.State.ItemsOfType(section.Id, ItemType.Show).Count, ReferenceWorld.PageSize);
            floor += section.Type == "show" ? Pages(plex.State.ItemsOfType(section.Id, ItemType.Episode).Count, ReferenceWorld.PageSize) : 0;
        }

        return floor + 1 + Pages(watchedMovies, 250) + Pages(watchedShows, 100) + 1;
    }

    private static async Task<ServiceProvider> StartMarqueeAsync(PlexSimulator plex, PlexTvFederation federation, TraktSimulator trakt, string dataFolder, CancellationToken cancellationToken)
    {
        var config = new Dictionary<string, string?>
        {
            ["Marquee:DataFolder"] = dataFolder,
            ["Marquee:Plex:PlexTvUrl"] = federation.Uri.ToString(),
            ["Marquee:Plex:DiscoverUrl"] = plex.DiscoverUri.ToString(),
            ["Marquee:Plex:PageSize"] = ReferenceWorld.PageSize.ToString(CultureInfo.InvariantCulture),
            ["Marquee:Trakt:WriteInterval"] = TimeSpan.FromMilliseconds(PostWindowMs).ToString("c", CultureInfo.InvariantCulture),
        };
        var provider = await ReferenceWorld.StartMarqueeAsync(config, plex.State.Clock, null, cancellationToken);
        await using var scope = provider.CreateAsyncScope();
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        await connections.CreateAsync("plex", "plex", new() { ["url"] = plex.BaseUri.ToString(), ["token"] = plex.Owner.AccountToken }, cancellationToken);
        var token = trakt.Control.Issue(plex.Owner.Name);
        await connections.CreateAsync(
            "trakt",
            "trakt",
            new()
            {
                ["url"] = trakt.BaseUri.ToString(),
                ["clientId"] = trakt.ClientId,
                ["clientSecret"] = trakt.State.Options.ClientSecret,
                ["accessToken"] = token.AccessToken,
                ["refreshToken"] = token.RefreshToken,
                ["expiresAt"] = DateTimeOffset.FromUnixTimeSeconds(token.CreatedAt + token.ExpiresIn).ToString("O", CultureInfo.InvariantCulture),
            },
            cancellationToken);
        return provider;
    }

    private static async Task<SyncReport> SyncAsync(IServiceProvider services, Flow flow, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SyncService>().RunAsync(flow, new SyncOptions { Trigger = "bench" }, null, cancellationToken);
    }

    /// <summary>The listing requests of a run: Plex's section pages and Trakt's GETs (settings and the /sync listings).</summary>
    private static long Listing(IReadOnlyDictionary<string, long> requests) =>
        requests.Where(r => r.Key.EndsWith(SyncScenario.ListingEndpoint, StringComparison.Ordinal) || r.Key.StartsWith("trakt GET ", StringComparison.Ordinal)).Sum(r => r.Value);

    private static long HistoryPages(IReadOnlyDictionary<string, long> requests) => requests.GetValueOrDefault("trakt GET /sync/history");

    private static Dictionary<string, long> Prefixed(string prefix, IReadOnlyDictionary<string, long> counts) =>
        counts.ToDictionary(p => prefix + p.Key, p => p.Value, StringComparer.Ordinal);
}
