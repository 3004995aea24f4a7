using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Marquee.Bench.Infrastructure;
using Marquee.Bench.Sync;
using Marquee.Core.Sync;
using Marquee.Core.Webhooks;
using Marquee.Hosting.Security;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Bench.Live;

/// <summary>
/// (5) Live event to target written: two simulated Plex servers, a real Marquee server on 127.0.0.1 with a flow between
/// them (first run done), and the source server's webhooks pointing at Marquee. For each of N movies (1,000, or 100
/// quick) the driver plays it past the threshold through the source simulator's control API, which posts
/// media.play, media.scrobble and media.stop to Marquee, and times until the target simulator shows the movie watched.
/// One playback at a time, so each figure is one event's latency, not a queue's. Checks that every playback arrived
/// exactly once (one write, one play on the target, one watched event).
/// </summary>
public sealed class LiveLatencyScenario : IBenchScenario
{
    private const string Secret = "bench-live-secret-5b1e8d";

    public string Name => "live-latency";

    public string Title => "live event to target written";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var playbacks = context.Quick ? 100 : 1_000;
        var movies = context.Quick ? 400 : 3_000;
        PlexSimulatorOptions Options(int variant) => new()
        {
            Seed = 31,
            Variant = variant,
            Movies = movies,
            Shows = context.Quick ? 5 : 40,
            HomeUsers = 1,
            Friends = 1,
            ServerName = variant == 0 ? "live-left" : "live-right",
        };
        await using var left = await PlexSimulator.StartAsync(Options(0), cancellationToken);
        await using var right = await PlexSimulator.StartAsync(Options(1), cancellationToken);
        await using var plexTv = await PlexTvFederation.StartAsync([left, right], cancellationToken);
        var settings = new Dictionary<string, string?>
        {
            ["Marquee:Plex:PlexTvUrl"] = plexTv.Uri.ToString(),
            ["Marquee:Webhooks:Secret"] = Secret,
            ["Marquee:Webhooks:ProcessorPollSeconds"] = "1",

            // The webhook path alone: the event stream and the session poller would report the same playbacks again.
            ["Marquee:Webhooks:Live:EventStream"] = "false",
            ["Marquee:Webhooks:Live:SessionPoller"] = "false",
        };
        await using var host = await BenchHost.StartAsync(context.DataFolder, settings, cancellationToken);
        var clients = host.Services.GetRequiredService<IHttpClientFactory>();
        var api = clients.CreateClient("bench-live");
        api.BaseAddress = host.Address;
        api.DefaultRequestHeaders.Add(ApiGuard.HeaderName, host.Services.GetRequiredService<ApiKey>().Value);
        api.Timeout = TimeSpan.FromMinutes(10);
        await SetUpAsync(api, left, right, cancellationToken);
        var pairs = PlexPairWorld.PairItems(left, right)
            .Where(p => p.Item1.Type == ItemType.Movie && left.State.State(left.Owner, p.Item1).IsEmpty && right.State.State(right.Owner, p.Item2).IsEmpty)
            .Take(playbacks)
            .ToList();
        if (pairs.Count < playbacks)
        {
            throw new InvalidOperationException($"the generated servers share only {pairs.Count} unwatched movies, {playbacks} needed");
        }

        left.Control.SetWebhooks("owner", [new Uri(host.Address, $"/webhooks/plex/{Secret}")]);
        left.Control.ResetCounts();
        right.Control.ResetCounts();
        var control = clients.CreateClient("bench-live-control");
        control.BaseAddress = left.BaseUri;
        context.Log.WriteLine($"{Name}: {playbacks} playbacks, one at a time");

        var latencies = new List<double>();
        var late = 0;
        var m = Measurement.Start();
        foreach (var (movie, target) in pairs)
        {
            var watch = Stopwatch.StartNew();
            using var play = await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie.RatingKey, percent = 95, stop = true }, cancellationToken);
            play.EnsureSuccessStatusCode();
            while (right.State.State(right.Owner, target).ViewCount == 0 && watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(1, cancellationToken);
            }

            if (right.State.State(right.Owner, target).ViewCount == 0)
            {
                late++;
                continue;
            }

            latencies.Add(watch.Elapsed.TotalMilliseconds);
            if (latencies.Count % 100 == 0)
            {
                context.Log.WriteLine($"{Name}: {latencies.Count}/{playbacks}, p95 so far {LoadResult.Percentile(latencies, 0.95)} ms");
            }
        }

        m.Stop();

        // Let anything still queued (a second write would be a defect) land before counting.
        await left.Control.Webhooks.WaitIdleAsync(cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var events = await host.Services.GetRequiredService<IInboxStore>().ListEventsAsync(100_000, cancellationToken);
        var keys = pairs.Select(p => p.Item1.RatingKey.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        var watchedEvents = events.Where(e => e.Kind == LiveEventKind.Watched && keys.Contains(e.LocalKey)).ToList();
        var counts = pairs.Select(p => right.State.State(right.Owner, p.Item2).ViewCount).ToList();
        var scrobbles = right.Control.RequestCounts.GetValueOrDefault("PUT /:/scrobble");
        var listings = right.Control.RequestCounts.Where(r => r.Key.Contains("/library/sections", StringComparison.Ordinal)).Sum(r => r.Value);
        var propagated = watchedEvents.Count(e => e.Outcome?.Contains(TargetedOutcome.Propagated, StringComparison.Ordinal) == true);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["latency p50 ms"] = LoadResult.Percentile(latencies, 0.50),
            ["latency p95 ms"] = LoadResult.Percentile(latencies, 0.95),
            ["latency p99 ms"] = LoadResult.Percentile(latencies, 0.99),
            ["latency max ms"] = latencies.Count > 0 ? Math.Round(latencies.Max(), 2) : 0,
            ["arrived"] = latencies.Count,
            ["not arrived within 10 s"] = late,
            ["target writes"] = scrobbles,
            ["watched events"] = watchedEvents.Count,
            ["targeted (propagated) events"] = propagated,
            ["target listing requests"] = listings,
        };
        var checks = new List<Check>
        {
            new("every playback arrived", late == 0, $"{latencies.Count} of {playbacks} within 10 s"),
            new("exactly once: one play on the target per playback", counts.All(c => c == 1), $"{counts.Count(c => c == 1)} with one play, {counts.Count(c => c > 1)} with more, {counts.Count(c => c == 0)} with none"),
            new("exactly once: one write and one watched event per playback", scrobbles == playbacks && watchedEvents.Count == playbacks, $"{scrobbles} writes, {watchedEvents.Count} watched events for {playbacks} playbacks"),
            new("targeted: each event planned its own item, no listing", propagated == playbacks && listings == 0, $"{propagated} propagated, {listings} listing requests on the target"),
        };
        var simulator = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, sim) in new[] { ("left", left), ("right", right) })
        {
            foreach (var (endpoint, count) in sim.Control.RequestCounts)
            {
                simulator[$"{name} {endpoint}"] = count;
            }
        }

        return new ScenarioResult
        {
            Name = Name,
            Title = Title,
            Status = checks.All(c => c.Passed) ? ScenarioStatus.Ok : ScenarioStatus.Failed,
            Quick = context.Quick,
            Size = new Dictionary<string, long>(StringComparer.Ordinal) { ["playbacks"] = playbacks, ["movies per server"] = movies },
            WallSeconds = Math.Round(m.Wall.TotalSeconds, 3),
            CpuSeconds = Math.Round(m.Cpu.TotalSeconds, 3),
            PeakRssBytes = m.PeakRss,
            BaselineRssBytes = m.BaselineRss,
            SimulatorRequests = simulator,
            TotalRequests = right.Control.RequestCounts.Values.Sum(),
            Writes = scrobbles,
            Metrics = metrics,
            Checks = checks,
        };
    }

    /// <summary>Adds both servers and a watched-and-ratings flow from left to right through the API, and runs it once.</summary>
    private static async Task SetUpAsync(HttpClient api, PlexSimulator left, PlexSimulator right, CancellationToken cancellationToken)
    {
        foreach (var (name, sim) in new[] { ("left", left), ("right", right) })
        {
            using var created = await api.PostAsJsonAsync("/api/connections", new { name, kind = "plex", settings = new { url = sim.BaseUri.ToString(), token = sim.Owner.AccountToken } }, cancellationToken);
            await EnsureAsync(created, "adding connection " + name, cancellationToken);
        }

        using var flow = await api.PostAsJsonAsync("/api/flows", new { name = "live", from = "left", to = "right", features = new[] { "watched", "ratings", "progress" } }, cancellationToken);
        await EnsureAsync(flow, "adding the flow", cancellationToken);
        using var first = await api.PostAsJsonAsync("/api/sync", new { flows = new[] { "live" } }, cancellationToken);
        await EnsureAsync(first, "the first run", cancellationToken);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
