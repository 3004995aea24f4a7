using Marquee.Bench.Sync;
using Marquee.TestKit;

namespace Marquee.Bench.Tests;

/// <summary>Runs quick benchmark scenarios in this process: their correctness checks and request accounting, never their timings.</summary>
[Trait("Category", "Scenario")]
public sealed class BenchScenarioTests
{
    [Fact]
    public async Task Writes_Quick_PassesItsChecks_AndListsAtTheFloor()
    {
        using var folder = new TempFolder();

        var result = await BenchRunner.RunHereAsync(new WritesScenario(), quick: true, folder.Path, TextWriter.Null, CancellationToken.None);

        Assert.Equal(ScenarioStatus.Ok, result.Status);
        Assert.All(result.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.True(result.Writes >= 1_000, $"{result.Writes} writes");
        Assert.Equal(result.Metrics["listing floor"], result.Metrics["listing requests"]);
        Assert.Equal(result.Writes, result.Requests.Where(r => r.Key.EndsWith("PUT /:/scrobble", StringComparison.Ordinal)).Sum(r => r.Value));
    }

    [Fact]
    public async Task PlexJellyfin_Quick_EveryChangeArrives_AndTheRerunWritesNothing()
    {
        using var folder = new TempFolder();

        var result = await BenchRunner.RunHereAsync(new PlexJellyfinScenario(), quick: true, folder.Path, TextWriter.Null, CancellationToken.None);

        Assert.All(result.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Equal(ScenarioStatus.Ok, result.Status);
        Assert.True(result.Metrics["changed pairs"] > 0);
        Assert.True(result.PeakRssBytes > 0);
    }

    [Fact]
    public async Task ArrLibrary_Quick_ReadsEverything_InRequestsThatDoNotGrowWithTheItems()
    {
        using var folder = new TempFolder();

        var result = await BenchRunner.RunHereAsync(new Arr.ArrLibraryScenario(), quick: true, folder.Path, TextWriter.Null, CancellationToken.None);

        Assert.Equal(ScenarioStatus.Ok, result.Status);
        Assert.All(result.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Equal(2, result.Metrics["radarr requests"]);
        Assert.Equal(2 + result.Size["series"], result.Metrics["sonarr requests"]);
        Assert.Equal(result.FloorRequests, result.TotalRequests);
    }

    [Fact]
    public async Task SessionRules_Quick_ReadsTheSessionsOncePerEvaluation_AndMatchesTheExpectedSessions()
    {
        using var folder = new TempFolder();

        var result = await BenchRunner.RunHereAsync(new Care.SessionRulesScenario(), quick: true, folder.Path, TextWriter.Null, CancellationToken.None);

        Assert.All(result.Checks.Where(c => !c.Name.StartsWith("under 50 ms", StringComparison.Ordinal)), c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Equal(1, result.Metrics["session reads per evaluation"]);
        Assert.Equal(10, result.Metrics["sessions matching a rule"]);
        Assert.Equal(result.Size["evaluations"], result.SimulatorRequests["GET /status/sessions"]);
    }

    [Fact]
    public async Task UiPages_Quick_EveryPageAnswersOverAFullStore()
    {
        using var folder = new TempFolder();

        var result = await BenchRunner.RunHereAsync(new Ui.PagesScenario(), quick: true, folder.Path, TextWriter.Null, CancellationToken.None);

        var answered = Assert.Single(result.Checks, c => c.Name.StartsWith("every page answers", StringComparison.Ordinal));
        Assert.True(answered.Passed, answered.Detail);
        Assert.Equal(1_000, result.Size["runs"]);
        Assert.Equal(5_000, result.Size["live events"]);
        Assert.Equal(result.Size["pages"], result.Metrics.Count);
    }

    [Fact]
    public async Task LiveLatency_Quick_EveryPlaybackArrivesOnceThroughATargetedWrite()
    {
        using var folder = new TempFolder();

        var result = await BenchRunner.RunHereAsync(new Live.LiveLatencyScenario(), quick: true, folder.Path, TextWriter.Null, CancellationToken.None);

        Assert.Equal(ScenarioStatus.Ok, result.Status);
        Assert.All(result.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Equal(100, result.Metrics["arrived"]);
        Assert.Equal(100, result.Writes);
        Assert.Equal(0, result.Metrics["target listing requests"]);
        Assert.True(result.Metrics["latency p50 ms"] > 0);
    }

    [Fact]
    public async Task Notifications_Quick_EveryPlaybackIsOneDiscordMessage_InOneRequest()
    {
        using var folder = new TempFolder();

        var result = await BenchRunner.RunHereAsync(new Live.NotificationScenario(), quick: true, folder.Path, TextWriter.Null, CancellationToken.None);

        Assert.All(result.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Equal(ScenarioStatus.Ok, result.Status);
        Assert.Equal(100, result.Metrics["notifications"]);
        Assert.Equal(100, result.TotalRequests);
        Assert.True(result.Metrics["event to delivery p95 ms"] > 0);
    }

    [Fact]
    public async Task SyncedScenarios_Quick_InOneProcess_ShareOneSyncedWorld_AndPassTheirChecks()
    {
        using var folder = new TempFolder();
        using var log = new StringWriter();
        IReadOnlyList<IBenchScenario> scenarios = [new FirstSyncScenario(), new NoChangeScenario(), new OnePercentScenario()];

        var results = await BenchRunner.RunHereAsync(scenarios, quick: true, folder.Path, log, CancellationToken.None);

        Assert.Equal(["first-sync", "no-change", "one-percent"], results.Select(r => r.Name));
        Assert.All(results, r => Assert.Equal(ScenarioStatus.Ok, r.Status));
        Assert.All(results.SelectMany(r => r.Checks), c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        var text = log.ToString();
        Assert.Single(text.Split('\n'), l => l.Contains("starting two simulated servers", StringComparison.Ordinal));
        Assert.DoesNotContain("setting up: first run", text, StringComparison.Ordinal);
        Assert.Equal(37, results[2].Writes);

        // The first sync's CPU time is split at its first write: what came before it and the write phase, both in its whole.
        var first = results[0].Metrics;
        Assert.InRange(first["CPU s before the first write"], 0.001, results[0].CpuSeconds);
        Assert.InRange(first["CPU s in the write phase"], 0.0, results[0].CpuSeconds);
        Assert.Equal(results[0].CpuSeconds, first["CPU s before the first write"] + first["CPU s in the write phase"], 0.002);
        Assert.True(
            first.Single(m => m.Key.StartsWith("items/s (CPU before the first write", StringComparison.Ordinal)).Value
            >= first.Single(m => m.Key.StartsWith("items/s (CPU,", StringComparison.Ordinal)).Value);

        // A run that writes nothing has no write phase to split at.
        Assert.DoesNotContain("CPU s before the first write", results[1].Metrics.Keys);
    }

    [Fact]
    public async Task Labels_Quick_CostsTheListingPagesPlusOneEditPerChangingItem_AndASecondSyncNone()
    {
        using var folder = new TempFolder();

        var result = await BenchRunner.RunHereAsync(new Labels.LabelSyncScenario(), quick: true, folder.Path, TextWriter.Null, CancellationToken.None);

        Assert.Equal(ScenarioStatus.Ok, result.Status);
        Assert.All(result.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Equal(result.Metrics["items changing"], result.SimulatorRequests["PUT /library/sections/{id}/all"]);
        Assert.Equal(0, result.Metrics["second sync edits"]);
    }

    [Fact]
    public void Quick_Run_Groups_The_Synced_Scenarios_Into_One_Process_And_A_Full_Run_Does_Not()
    {
        static IEnumerable<string> Names(IReadOnlyList<IReadOnlyList<IBenchScenario>> groups) => groups.Select(g => string.Join("+", g.Select(s => s.Name)));

        var quick = Names(BenchRunner.Groups(BenchScenarios.All, quick: true)).ToList();
        var full = Names(BenchRunner.Groups(BenchScenarios.All, quick: false)).ToList();

        Assert.Contains("first-sync+no-change+one-percent", quick);
        Assert.Equal(BenchScenarios.All.Count - 2, quick.Count);
        Assert.Equal(BenchScenarios.All.Select(s => s.Name), full);
    }

    [Fact]
    public void Every_Scenario_Has_A_Unique_Name()
    {
        var names = BenchScenarios.All.Select(s => s.Name).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(names, n => Assert.Same(BenchScenarios.Find(n.ToUpperInvariant()), BenchScenarios.All.Single(s => s.Name == n)));
    }
}
