using System.Diagnostics;
using System.Text.Json.Nodes;
using Marquee.Bench.Infrastructure;
using Marquee.Bench.Live;
using Marquee.Core.Care;
using Marquee.Core.Connections;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Bench.Care;

/// <summary>
/// (7) Session rules: 50 concurrent sessions on the Plex simulator (several per account, mixed players, decisions,
/// resolutions, LAN and WAN) and 20 rules in dry-run; each evaluation must read the sessions once and match them in
/// under 50 ms of CPU. Quick: 20 evaluations; full: 200.
/// </summary>
public sealed class SessionRulesScenario : IBenchScenario
{
    private const int Sessions = 50;
    private const int Rules = 20;
    private const string SessionsEndpoint = "GET /status/sessions";

    public string Name => "session-rules";

    public string Title => "session rules, 50 sessions x 20 rules";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var evaluations = context.Quick ? 20 : 200;
        await using var sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 200, Shows = 4, HomeUsers = 6, Friends = 5 }, cancellationToken);
        await using var app = await BenchHost.StartAsync(context.DataFolder, new Dictionary<string, string?> { ["Marquee:Care:Enabled"] = "false", ["Marquee:Plex:PlexTvUrl"] = sim.PlexTvUri.ToString() }, cancellationToken);
        StoredConnection connection;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
            await connections.CreateAsync("home", "plex", new JsonObject { ["url"] = sim.BaseUri.ToString(), ["token"] = sim.Owner.AccountToken }, cancellationToken);
            connection = await connections.FindAsync("home", cancellationToken);
        }

        StartSessions(sim);
        var service = app.Services.GetRequiredService<SessionRuleService>();
        foreach (var rule in MakeRules())
        {
            await service.SaveAsync(rule, cancellationToken);
        }

        context.Log.WriteLine($"{Name}: {evaluations} evaluations of {Rules} rules over {Sessions} sessions");
        sim.Control.ResetCounts();
        var cpu = new List<double>();
        var matching = new List<double>();
        var matched = 0;
        var m = Measurement.Start();
        for (var i = 0; i < evaluations; i++)
        {
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            var result = await service.EvaluateAsync("bench", null, cancellationToken);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds);
            matching.Add(result[0].Cpu.TotalMilliseconds);
            matched = result[0].Sessions.Count(s => s.Rules.Count > 0);
        }

        m.Stop();
        var reads = sim.Control.RequestCounts.GetValueOrDefault(SessionsEndpoint);
        var terminations = sim.Control.Terminations.Count;
        var p50 = Percentile(cpu, 0.5);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["evaluations"] = evaluations,
            ["session reads per evaluation"] = Math.Round((double)reads / evaluations, 3),
            ["cpu per evaluation p50 ms"] = Math.Round(p50, 2),
            ["cpu per evaluation p95 ms"] = Math.Round(Percentile(cpu, 0.95), 2),
            ["matching cpu p50 ms"] = Math.Round(Percentile(matching, 0.5), 3),
            ["matching cpu max ms"] = Math.Round(matching.Max(), 3),
            ["sessions matching a rule"] = matched,
        };
        var checks = new List<Check>
        {
            new("one session read per evaluation", reads == evaluations, $"{reads} reads of /status/sessions for {evaluations} evaluations"),
            new("under 50 ms of CPU per evaluation (p50, read included)", p50 < 50, $"p50 {p50:0.##} ms, matching alone at most {matching.Max():0.###} ms"),
            new("the rules match what they should", matched == ExpectedMatches, $"{matched} of {Sessions} sessions match a rule, expected {ExpectedMatches}"),
            new("dry-run stops nothing", terminations == 0, $"{terminations} terminations"),
        };
        return new ScenarioResult
        {
            Name = Name,
            Title = Title,
            Status = checks.All(c => c.Passed) ? ScenarioStatus.Ok : ScenarioStatus.Failed,
            Quick = context.Quick,
            Size = new Dictionary<string, long>(StringComparer.Ordinal) { ["sessions"] = Sessions, ["rules"] = Rules, ["evaluations"] = evaluations },
            WallSeconds = Math.Round(m.Wall.TotalSeconds, 3),
            CpuSeconds = Math.Round(m.Cpu.TotalSeconds, 3),
            PeakRssBytes = m.PeakRss,
            BaselineRssBytes = m.BaselineRss,
            SimulatorRequests = new Dictionary<string, long>(sim.Control.RequestCounts, StringComparer.Ordinal),
            TotalRequests = reads,
            FloorRequests = evaluations,
            Metrics = metrics,
            Checks = checks,
        };
    }

    /// <summary>Gets how many of the 50 sessions the 20 rules match: the 4K video transcodes (every fifth session).</summary>
    private static int ExpectedMatches => Sessions / 5;

    private static void StartSessions(PlexSimulator sim)
    {
        var accounts = sim.Accounts.ToList();
        var movies = sim.State.ItemsOfType(1, ItemType.Movie);
        var movies4K = sim.State.ItemsOfType(3, ItemType.Movie);
        string[] platforms = ["Android", "iOS", "Chrome", "Roku", "tvOS"];
        for (var i = 0; i < Sessions; i++)
        {
            var fourK = i % 5 == 0;
            sim.Control.StartSession(new SessionSpec(
                accounts[i % accounts.Count].Name,
                fourK ? movies4K[i % movies4K.Count].RatingKey : movies[i % movies.Count].RatingKey,
                ClientId: $"player-{i}",
                Platform: platforms[i % platforms.Length],
                VideoDecision: fourK ? "transcode" : i % 3 == 0 ? "copy" : "directplay",
                Location: i % 4 == 0 ? "wan" : "lan",
                Bandwidth: 4000 + (i * 100)));
        }
    }

    /// <summary>Twenty rules of every kind; only the first matches anything (4K video transcodes), the rest are near misses.</summary>
    private static IEnumerable<SessionRule> MakeRules()
    {
        yield return new SessionRule { Name = "no-4k-transcode", Message = "No 4K transcoding", Transcode = "video", MinResolution = "4k", DryRun = true };
        for (var i = 1; i < Rules; i++)
        {
            yield return (i % 6) switch
            {
                0 => new SessionRule { Name = $"streams-{i}", Message = "Too many", MaxStreamsPerUser = 10, DryRun = true },
                1 => new SessionRule { Name = $"server-{i}", Message = "Server full", MaxStreamsPerServer = 100, DryRun = true },
                2 => new SessionRule { Name = $"remote-{i}", Message = "Remote cap", Remote = true, MinBandwidthKbps = 100_000, DryRun = true },
                3 => new SessionRule { Name = $"platform-{i}", Message = "No", Platforms = ["WebOS"], DryRun = true },
                4 => new SessionRule { Name = $"paused-{i}", Message = "Paused", PausedMinutes = 30, DryRun = true },
                _ => new SessionRule { Name = $"library-{i}", Message = "No", Libraries = ["Anime"], Transcode = "audio", DryRun = true },
            };
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }
}
