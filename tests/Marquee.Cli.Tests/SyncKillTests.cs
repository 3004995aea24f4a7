using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Plex;
using Marquee.TestKit;
using Microsoft.Data.Sqlite;

namespace Marquee.Cli.Tests;

/// <summary>A <c>marquee sync</c> process killed (SIGKILL) between writes, then run again.</summary>
public sealed partial class SyncCliTests
{
    [Fact]
    [Trait("Category", "Scenario")]
    public async Task Sync_KilledBetweenWrites_AsAProcess_CompletesOnRerun_WithZeroDuplicateWrites()
    {
        await using var pair = await ServerPair.StartAsync(seed: 13, movies: 80, watched: 60);
        var (right, env, movies, folder) = (pair.Right, pair.Environment, pair.Movies, pair.Folder);

        await pair.AddFlowAsync();

        // Slow writes, so the kill lands in the middle of the write phase: some writes sent, some not.
        right.Control.SetLatency(150);
        using (var sync = MarqueeProcess.Start(["sync", "main"], env))
        {
            var watch = Stopwatch.StartNew();
            while (Scrobbles(right) < 10 && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(5);
            }

            sync.KillHard();
        }

        // Requests in flight at the kill reached the server; those still waiting out the latency are never applied (the
        // connection dropped), those past it finish on the server: wait until the count of applied writes settles.
        var appliedBeforeKill = -1;
        for (var applied = movies.Count(m => Views(right, m.Title) == 1); applied != appliedBeforeKill; applied = movies.Count(m => Views(right, m.Title) == 1))
        {
            appliedBeforeKill = applied;
            await Task.Delay(500);
        }

        var sentBeforeKill = Scrobbles(right);
        Assert.InRange(appliedBeforeKill, 1, movies.Count - 1);
        Assert.True(await JournalCountAsync(folder, "status = 'planned'") > 0, "the kill left writes journaled as planned, not yet answered");

        right.Control.SetLatency(0);
        var rerun = await MarqueeProcess.RunAsync(["sync", "main", "--json"], env);

        Assert.True(rerun.Code == 0, rerun.Error + rerun.Output);
        Assert.Equal("done", Single(rerun.Output).GetProperty("status").GetString());
        Assert.All(movies, m => Assert.Equal(1, Views(right, m.Title)));
        Assert.Equal(movies.Count - appliedBeforeKill, Scrobbles(right) - sentBeforeKill);
        Assert.Equal(movies.Count, await JournalCountAsync(folder, "status = 'written' AND action = 'mark-watched'"));
        var third = Single((await MarqueeProcess.RunAsync(["sync", "main", "--json"], env)).Output);
        Assert.Equal(0, third.GetProperty("planned").GetInt32());
        Assert.Equal(JsonValueKind.Object, third.GetProperty("requests").ValueKind);
    }

    [Fact]
    [Trait("Category", "Scenario")]
    public async Task Sync_FromTheCli_WhileTheServerRunsTheSameFlow_IsRefused_AndEveryMovieIsWatchedOnce()
    {
        await using var pair = await ServerPair.StartAsync(seed: 13, movies: 80, watched: 60);
        var (right, env, movies, folder) = (pair.Right, pair.Environment, pair.Movies, pair.Folder);
        await pair.AddFlowAsync();
        var serving = new Dictionary<string, string>(env) { ["MARQUEE__Marquee__Scheduler__Enabled"] = "false" };

        // The server runs the flow through the API, its writes slowed so the run is still writing when the CLI asks.
        using var server = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0"], serving);
        using var api = MarqueeProcess.ApiClient(await server.WaitForLineAsync("listening on", TimeSpan.FromSeconds(15)), folder.Path);
        api.Timeout = TimeSpan.FromMinutes(3);
        right.Control.SetLatency(300);
        var serverRun = api.PostAsJsonAsync("/api/sync", new { flows = new[] { "main" } });
        var watch = Stopwatch.StartNew();
        while (Scrobbles(right) < 1 && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(5);
        }

        right.Control.SetLatency(1500);

        // Act: the same flow from the CLI, beside the server's run.
        var cli = await MarqueeProcess.RunAsync(["sync", "main"], env);

        // Assert: refused, naming who holds the flow; the server's run finishes alone and each movie is scrobbled once.
        Assert.True(cli.Code != 0, "the CLI ran the flow beside the server: " + cli.Output);
        Assert.Contains("Flow 'main' is already running (an api run in another process)", cli.Error, StringComparison.Ordinal);
        using var response = await serverRun;
        var report = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, report);
        right.Control.SetLatency(0);
        Assert.True(movies.All(m => Views(right, m.Title) == 1), report);
        Assert.Equal(movies.Count, Scrobbles(right));
        Assert.Equal(0, await JournalCountAsync(folder, "status = 'planned'"));
    }

    private static long Scrobbles(PlexSimulator sim) =>
        sim.Control.RequestCounts.Where(c => c.Key.Contains("scrobble", StringComparison.Ordinal)).Sum(c => c.Value);

    private static async Task<long> JournalCountAsync(TempFolder folder, string where)
    {
        await using var db = new SqliteConnection($"Data Source={folder.Combine("marquee.db")};Pooling=False;Mode=ReadOnly");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM run_writes WHERE " + where;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
