using Marquee.Bench;
using Marquee.Bench.Sync;
using Marquee.Cli.Tests.Infrastructure;

namespace Marquee.Cli.Tests;

public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_UnknownScenario_ExitsTwo_AndListsTheScenarios()
    {
        using var cli = new Infrastructure.CliRunner();

        var result = await cli.RunAsync("bench", "--scenario", "nope");

        Assert.Equal(2, result.Code);
        Assert.Contains("unknown scenario 'nope'", result.Error, StringComparison.Ordinal);
        foreach (var name in new[] { "first-sync", "no-change", "one-percent", "writes", "live-latency", "webhook-ingest" })
        {
            Assert.Contains(name, result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bench_MeasureWithNoFileThere_ExitsTwo_AndSaysWhatToGive()
    {
        using var cli = new Infrastructure.CliRunner();

        var result = await cli.RunAsync("bench", "--scenario", "plex-jellyfin", "--quick", "--measure", "no/such/marquee");

        Assert.Equal(2, result.Code);
        Assert.Contains("--measure: no file at no/such/marquee; give the path of another build's marquee executable", result.Error, StringComparison.Ordinal);
    }
}

/// <summary>The simulators of a sync scenario in a process of their own (<c>bench --sim-host</c>), driven as the benchmark drives them.</summary>
[Trait("Runs", "Process")]
public sealed class SimWorldProcessTests
{
    private static readonly ChildCommand Self = MarqueeProcess.Published is { } published
        ? new(published, [])
        : new("dotnet", [MarqueeProcess.Program]);

    [Fact]
    public async Task SimulatorsApart_AnswerOverHttp_TakeChanges_AndReportTheirOwnProcess()
    {
        await using var sims = await RemoteSimWorld.StartAsync(Self, "plex-pair,60,2,0,0.1", CancellationToken.None);
        using var http = new HttpClient();

        // The servers live in the child: their address answers, with the token the description carries.
        var left = sims.Info.Connections.Single(c => c.Name == "left");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(left.Settings["url"]!), "/identity"));
        request.Headers.Add("X-Plex-Token", left.Settings["token"]);
        Assert.True((await http.SendAsync(request)).IsSuccessStatusCode);

        Assert.Equal(0, await sims.CountDisagreementsAsync(sims.Info.Accounts));
        var changed = await sims.DivergeAsync(0.2, seed: 3, perItem: false, accounts: null);
        Assert.True(changed > 0);
        Assert.Equal(changed, await sims.CountDisagreementsAsync(sims.Info.Accounts));
        var checks = await sims.CheckStatesAsync(sims.Info.Accounts);
        Assert.Contains(checks, c => !c.Passed && c.Name.StartsWith("both servers agree", StringComparison.Ordinal));

        var stats = await sims.StatsAsync(resetPeak: true);
        Assert.NotNull(stats);
        Assert.True(stats.RssBytes > 10 * 1024 * 1024 && stats.PeakRssBytes >= stats.RssBytes / 2, $"{stats}");
        Assert.True((await sims.CountsAsync()).Values.Sum() >= 1);
        Assert.True((await sims.LibrarySizeAsync())["movies"] >= 60);
    }

    [Fact]
    public async Task SimHost_BadSpec_OrBadRequest_IsAClearError()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RemoteSimWorld.StartAsync(Self, "plex-pair,many", CancellationToken.None));
        Assert.Contains("KIND,MOVIES,SHOWS,LATENCY_MS,DIFFERING[,system]", error.Message, StringComparison.Ordinal);

        await using var sims = await RemoteSimWorld.StartAsync(Self, "plex-pair,30,1,0,0.1", CancellationToken.None);
        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => sims.WatchOnLeftAsync("nobody", 1));
        Assert.Contains("watch-on-left", unknown.Message, StringComparison.Ordinal);

        // The world still answers after a refused request.
        Assert.Equal(1, await sims.WatchOnLeftAsync(sims.Info.Owner, 1));
    }
}

/// <summary><c>marquee bench</c> as a process of its own: its report names the build that ran it.</summary>
[Trait("Runs", "Process")]
public sealed class BenchProcessTests
{
    [Fact]
    public async Task Report_NamesTheBuildItMeasured()
    {
        using var folder = new Marquee.TestKit.TempFolder();
        var file = folder.Combine("bench.json");

        var result = await MarqueeProcess.RunAsync(["bench", "--scenario", "ui-pages", "--quick", "--data", folder.Combine("data"), "--out", file]);

        Assert.True(result.Code == 0, $"bench exited {result.Code}: {result.Error}{result.Output}");
        using var report = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(file));
        var build = report.RootElement.GetProperty("machine").GetProperty("build").GetString();

        // The built program is the standard build; the lean publish (which .ci/run points these tests at) says so.
        Assert.Equal(MarqueeProcess.Published is null ? "standard" : "lean", build);
        Assert.Contains($"Build: {build}, young generation 6 MB.", result.Output, StringComparison.Ordinal);
        Assert.Equal("6 MB", report.RootElement.GetProperty("machine").GetProperty("youngGeneration").GetString());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Measure_StartsTheGivenMarquee_ForTheRunsMeasuredApart_AndTheReportSaysSo()
    {
        using var folder = new Marquee.TestKit.TempFolder();
        var file = folder.Combine("bench.json");
        var started = folder.Combine("started.txt");
        var other = Directory.CreateDirectory(folder.Combine("other")).FullName;

        // Another build, as far as the benchmark knows: a script that notes each start and runs this marquee.
        var wrapper = Path.Combine(other, "marquee");
        var run = MarqueeProcess.Published is { } published ? $"\"{published}\"" : $"dotnet \"{MarqueeProcess.Program}\"";
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\necho \"$1 $2\" >> \"{started}\"\nexec {run} \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await MarqueeProcess.RunAsync(["bench", "--scenario", "plex-jellyfin", "--quick", "--data", folder.Combine("data"), "--out", file, "--measure", wrapper]);

        Assert.True(result.Code == 0, $"bench exited {result.Code}: {result.Error}{result.Output}");
        var starts = await File.ReadAllLinesAsync(started);

        // The first sync and the rerun, each 'marquee sync bench --data FOLDER'; nothing else started the other build.
        Assert.Equal(["sync bench", "sync bench"], starts);
        using var report = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(file));
        Assert.Equal("./marquee bench --quick --scenario plex-jellyfin --measure other/marquee", report.RootElement.GetProperty("command").GetString());
    }
}
