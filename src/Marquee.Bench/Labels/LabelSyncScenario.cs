using System.Text.Json.Nodes;
using Marquee.Bench.Infrastructure;
using Marquee.Bench.Live;
using Marquee.Core.Connections;
using Marquee.Core.Labels;
using Marquee.Core.Profiles;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Bench.Labels;

/// <summary>
/// Label sync over 10,000 movies and 1,000 shows (quick: 1,000 and 100) for 20 users (friends whose watchlists the
/// community GraphQL endpoint serves), through the running services and the Plex simulator. A full sync must cost the
/// listing pages plus one edit per item that changes, with no read per item; it is timed at concurrency 1, 5 and 20
/// (the labels taken off in between, unmeasured), and a second sync with nothing changed must make no edit.
/// </summary>
public sealed class LabelSyncScenario : IBenchScenario
{
    private const int Users = 20;
    private const string Edit = "PUT /library/sections/{id}/all";
    private const string Listing = "GET /library/sections/{id}/all";

    public string Name => "labels";

    public string Title => "label sync, 10,000 movies + 1,000 shows, 20 users";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var (movies, shows, perUser) = context.Quick ? (1_000, 100, 60) : (10_000, 1_000, 600);
        context.Log.WriteLine($"  Plex with {movies} movies and {shows} shows, {Users} users wanting {perUser} titles each");
        await using var sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = movies, Shows = shows, HomeUsers = 0, Friends = Users, LegacyShare = 0 }, cancellationToken);
        await using var app = await BenchHost.StartAsync(
            context.DataFolder,
            new Dictionary<string, string?>
            {
                ["Marquee:Plex:PlexTvUrl"] = sim.PlexTvUri.ToString(),
                ["Marquee:Plex:CommunityUrl"] = sim.CommunityUri.ToString(),
                ["Marquee:Plex:CommunityPageDelay"] = "00:00:00",
            },
            cancellationToken);

        // Every user wants a run of titles starting at their own offset, so most titles are wanted by one or two users.
        var titles = sim.State.ItemsOfType(1, ItemType.Movie).Concat(sim.State.ItemsOfType(2, ItemType.Show))
            .Where(i => i.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)).DistinctBy(i => i.PrimaryGuid).ToList();
        var friends = sim.Accounts.Where(a => a.Kind == SimAccountKind.Friend).ToList();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
            await connections.CreateAsync("home", "plex", new JsonObject { ["url"] = sim.BaseUri.ToString(), ["token"] = sim.Owner.AccountToken }, cancellationToken);
            var profiles = scope.ServiceProvider.GetRequiredService<ProfileService>();
            for (var u = 0; u < friends.Count; u++)
            {
                await profiles.CreateAsync(friends[u].Name, null, cancellationToken);
                await profiles.LinkAsync(friends[u].Name, "home", friends[u].Name, cancellationToken);
                for (var k = 0; k < perUser; k++)
                {
                    var title = titles[(u * (titles.Count / Users) + k) % titles.Count];
                    sim.State.Watchlist(friends[u], title.PrimaryGuid[(title.PrimaryGuid.LastIndexOf('/') + 1)..], add: true);
                    wanted.Add(title.PrimaryGuid);
                }
            }
        }

        // Every library copy of a wanted title is labelled (editions, and the same title in another library, are items of their own).
        var libraries = sim.State.Sections.Where(s => s.Type is "movie" or "show")
            .Select(s => sim.State.ItemsOfType(s.Id, s.Type == "show" ? ItemType.Show : ItemType.Movie)).ToList();
        var changing = libraries.Sum(items => items.Count(i => wanted.Contains(i.PrimaryGuid)));
        var labels = app.Services.GetRequiredService<LabelSyncService>();
        var runs = new List<(int Concurrency, double Seconds, IReadOnlyDictionary<string, long> Counts, LabelSyncReport Report, Measurement Measured)>();
        foreach (var concurrency in new[] { 1, 5, 20 })
        {
            await labels.SaveSettingsAsync(new LabelSettings { Concurrency = concurrency }, cancellationToken);
            await labels.RemoveAllAsync(dryRun: false, null, cancellationToken);
            sim.Control.ResetCounts();
            var m = Measurement.Start();
            var report = await labels.SyncAsync(dryRun: false, null, cancellationToken);
            m.Stop();
            runs.Add((concurrency, m.Wall.TotalSeconds, sim.Control.RequestCounts, report, m));
            context.Log.WriteLine($"  concurrency {concurrency}: {report.Edited} edits in {m.Wall.TotalSeconds:0.00} s");
        }

        sim.Control.ResetCounts();
        var second = await labels.SyncAsync(dryRun: false, null, cancellationToken);
        var secondEdits = sim.Control.RequestCounts.GetValueOrDefault(Edit);

        var pages = libraries.Sum(items => Math.Max(1L, (items.Count + 999) / 1000));
        var five = runs[1];
        var checks = new List<Check>
        {
            new("no source failed", runs.All(r => r.Report.SourceFailures.Count == 0), string.Join("; ", runs.SelectMany(r => r.Report.SourceFailures).Select(f => f.Source + ": " + f.Reason).Distinct())),
            new("one edit per item that changes, at every concurrency", runs.All(r => r.Counts.GetValueOrDefault(Edit) == changing && r.Report.Edited == changing), string.Join(", ", runs.Select(r => $"c{r.Concurrency}: {r.Counts.GetValueOrDefault(Edit)} of {changing}"))),
            new("listing pages only, no read per item", runs.All(r => r.Counts.GetValueOrDefault(Listing) == pages && !r.Counts.Keys.Any(k => k.StartsWith("GET /library/metadata", StringComparison.Ordinal))), $"{five.Counts.GetValueOrDefault(Listing)} listing pages (floor {pages})"),
            new("a second sync with nothing changed makes no edit", secondEdits == 0 && second.Planned.Count == 0, $"{secondEdits} edits, {second.Planned.Count} planned"),
        };
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["items changing"] = changing,
            ["second sync edits"] = secondEdits,
            ["community requests"] = five.Counts.Where(p => p.Key.StartsWith("community:", StringComparison.Ordinal)).Sum(p => p.Value),
        };
        foreach (var run in runs)
        {
            metrics[$"seconds at concurrency {run.Concurrency}"] = Math.Round(run.Seconds, 3);
            metrics[$"edits per second at concurrency {run.Concurrency}"] = Math.Round(changing / Math.Max(0.001, run.Seconds));
        }

        return new ScenarioResult
        {
            Name = Name,
            Title = Title,
            Status = ScenarioStatus.Ok,
            Quick = context.Quick,
            Size = new Dictionary<string, long>(StringComparer.Ordinal) { ["movies"] = movies, ["shows"] = shows, ["users"] = Users, ["wanted per user"] = perUser },
            WallSeconds = Math.Round(five.Seconds, 3),
            CpuSeconds = Math.Round(five.Measured.Cpu.TotalSeconds, 3),
            PeakRssBytes = five.Measured.PeakRss,
            BaselineRssBytes = five.Measured.BaselineRss,
            Requests = five.Report.PlexRequests,
            SimulatorRequests = five.Counts,
            TotalRequests = five.Counts.Values.Sum(),
            FloorRequests = pages + changing,
            Metrics = metrics,
            Checks = checks,
        };
    }
}
