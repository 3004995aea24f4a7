using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.TestKit;
using Microsoft.Data.Sqlite;

namespace Marquee.Cli.Tests;

/// <summary>Runs the built program as a separate process, as a user or a service manager would.</summary>
[Trait("Runs", "Process")]
public sealed class ProcessTests
{
    [Fact]
    public async Task Help_FromTheBuiltProgram_ExitsZero()
    {
        var result = await MarqueeProcess.RunAsync(["--help"]);

        Assert.Equal(0, result.Code);
        Assert.Contains("connection", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_AnswersHealthzWithin10Seconds()
    {
        using var folder = new TempFolder();
        var watch = Stopwatch.StartNew();
        using var server = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path]);

        var line = await server.WaitForLineAsync("listening on", TimeSpan.FromSeconds(10));
        using var http = new HttpClient { BaseAddress = new Uri(line[line.IndexOf("http://", StringComparison.Ordinal)..]) };
        var response = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"healthz answered after {watch.Elapsed}");
    }

    /// <summary>
    /// Neither the server nor a simulator watches folders for its settings files: the web host's default watched its
    /// content root and every folder under it, one inotify watch per folder (the program's folder for serve; the working
    /// folder for each simulated server, 691 folders each in Marquee's repository), and every write of a store under it
    /// was an event to handle. Linux only (inotify is how .NET watches there).
    /// </summary>
    [Fact]
    public async Task ServeAndSim_WatchNoFolder()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var folder = new TempFolder();
        var work = folder.Combine("work");
        for (var i = 0; i < 20; i++)
        {
            Directory.CreateDirectory(Path.Combine(work, $"folder{i}", "inner"));
        }

        using var server = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", Path.Combine(work, "data")], workingDirectory: work);
        await server.WaitForLineAsync("listening on", TimeSpan.FromSeconds(20));
        using var sim = MarqueeProcess.Start(["sim", "plex", "--port", "0", "--movies", "6", "--shows", "1"], workingDirectory: work);
        await sim.WaitForLineAsync("Press Ctrl+C", TimeSpan.FromSeconds(20));

        Assert.Equal(0, InotifyWatches(server.Id));
        Assert.Equal(0, InotifyWatches(sim.Id));
    }

    /// <summary>The inotify watches a process holds, from its open descriptors' information.</summary>
    private static int InotifyWatches(int pid)
    {
        var watches = 0;
        foreach (var info in Directory.EnumerateFiles($"/proc/{pid}/fdinfo"))
        {
            try
            {
                watches += File.ReadLines(info).Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A descriptor closed while it was read.
            }
        }

        return watches;
    }

    [Fact]
    public async Task UnwritableDataFolder_OneClearLineAndExitOne()
    {
        using var folder = new TempFolder();
        var file = folder.Combine("not-a-folder");
        await File.WriteAllTextAsync(file, "x");

        var result = await MarqueeProcess.RunAsync(["connection", "list", "--data", Path.Combine(file, "data")]);

        Assert.Equal(1, result.Code);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: The data folder", lines[0], StringComparison.Ordinal);
        Assert.Contains("not-a-folder", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LockedDatabase_OneClearLineAndExitOne()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, (await MarqueeProcess.RunAsync(["profile", "add", "anna", "--data", folder.Path])).Code);
        await using var holder = new SqliteConnection($"Data Source={folder.Combine("marquee.db")};Pooling=False");
        await holder.OpenAsync();
        await using (var command = holder.CreateCommand())
        {
            command.CommandText = "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; INSERT INTO profiles (name, created_at) VALUES ('lock', 0);";
            await command.ExecuteNonQueryAsync();
        }

        var result = await MarqueeProcess.RunAsync(
            ["profile", "add", "bob", "--data", folder.Path],
            new Dictionary<string, string> { ["MARQUEE__Marquee__Store__BusyTimeoutSeconds"] = "1" });

        Assert.Equal(1, result.Code);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("locked", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadYaml_FromTheBuiltProgram_FileLineReasonNoStackTrace()
    {
        using var folder = new TempFolder();
        var yaml = folder.Combine("marquee.yaml");
        await File.WriteAllTextAsync(yaml, "connections:\n  - name: home\n    kind: plex\n    url: [unclosed\n");

        var result = await MarqueeProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Combine("data"), "--config", yaml]);

        Assert.Equal(1, result.Code);
        Assert.Matches($"^error: {System.Text.RegularExpressions.Regex.Escape(yaml)}:\\d+: invalid YAML", result.Error.Trim());
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotificationSettingOutOfRange_ServeRefusesToStart_OneLineEachBeforeTheStoreIsTouched()
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");

        var result = await MarqueeProcess.RunAsync(
            ["serve", "--urls", "http://127.0.0.1:0", "--data", data],
            new Dictionary<string, string>
            {
                ["MARQUEE__Marquee__Notifications__MaxDeferSeconds"] = "-5",
                ["MARQUEE__Marquee__Notifications__DeferWindowSeconds"] = "0",
            });

        Assert.Equal(2, result.Code);
        Assert.Equal(
            ["error: Marquee:Notifications:DeferWindowSeconds is 0; it must be 1 to 60", "error: Marquee:Notifications:MaxDeferSeconds is -5; it must be 0 or more"],
            result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.DoesNotContain("   at ", result.Error + result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }

    [Theory]
    [InlineData("-1", "error: Marquee:Memory:YoungGenerationMB must be 0 (leave the young generation to the runtime) or a number of megabytes from 1 to 1024; got -1.")]
    [InlineData("0.5", "error: Marquee:Memory:YoungGenerationMB must be 0 (leave the young generation to the runtime) or a number of megabytes from 1 to 1024; got 0.5.")]
    [InlineData("2000", "error: Marquee:Memory:YoungGenerationMB must be 0 (leave the young generation to the runtime) or a number of megabytes from 1 to 1024; got 2000.")]
    [InlineData("lots", "error: Failed to convert configuration value 'lots' at 'Marquee:Memory:YoungGenerationMB' to type 'System.Double'.")]
    public async Task YoungGenerationSettingNotInRange_ServeRefusesToStart_BeforeTheStoreIsTouched(string value, string expected)
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");

        var result = await MarqueeProcess.RunAsync(
            ["serve", "--urls", "http://127.0.0.1:0", "--data", data],
            new Dictionary<string, string> { ["MARQUEE__Marquee__Memory__YoungGenerationMB"] = value });

        Assert.Equal(2, result.Code);
        Assert.Equal(expected, result.Error.Trim());
        Assert.DoesNotContain("   at ", result.Error + result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Configuration_FromEnvironmentAndAppSettings_IsUsed()
    {
        using var folder = new TempFolder();
        var fromEnv = folder.Combine("env-data");
        var fromFile = folder.Combine("file-data");
        await File.WriteAllTextAsync(folder.Combine("appsettings.json"), $$$"""{"Marquee":{"DataFolder":"{{{fromFile}}}"}}""");

        var viaFile = await MarqueeProcess.RunAsync(["profile", "add", "anna"], workingDirectory: folder.Path);
        var viaEnv = await MarqueeProcess.RunAsync(["profile", "add", "bob"], new Dictionary<string, string> { ["MARQUEE__Marquee__DataFolder"] = fromEnv }, folder.Path);
        var viaOption = await MarqueeProcess.RunAsync(["profile", "list", "--json", "--data", fromEnv], new Dictionary<string, string> { ["MARQUEE__Marquee__DataFolder"] = fromFile }, folder.Path);

        Assert.Equal(0, viaFile.Code);
        Assert.Equal(0, viaEnv.Code);
        Assert.True(File.Exists(Path.Combine(fromFile, "marquee.db")));
        Assert.True(File.Exists(Path.Combine(fromEnv, "marquee.db")));
        Assert.Contains("bob", viaOption.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("anna", viaOption.Output, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Scenario")]
    public async Task Sigkill_DuringWriteBurst_LeavesDatabaseThatOpensAndPassesIntegrityCheck()
    {
        for (var round = 0; round < 3; round++)
        {
            using var folder = new TempFolder();
            using var server = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path]);
            var line = await server.WaitForLineAsync("listening on", TimeSpan.FromSeconds(15));
            using var http = MarqueeProcess.ApiClient(line, folder.Path);
            await http.PostAsJsonAsync("/api/connections", new { name = "a", kind = "plex", settings = new { url = "http://127.0.0.1:9", token = "t" } });
            await http.PostAsJsonAsync("/api/connections", new { name = "b", kind = "plex", settings = new { url = "http://127.0.0.1:9", token = "t" } });

            var written = 0;
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var response = await http.PostAsJsonAsync("/api/profiles", new { name = $"p{w}-{i}", displayName = new string('x', 200) }, stop.Token);
                        await http.PostAsJsonAsync("/api/flows", new { name = $"f{w}-{i}", from = "a", to = "b" }, stop.Token);
                        if (response.IsSuccessStatusCode)
                        {
                            Interlocked.Increment(ref written);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                    {
                        return;
                    }
                }
            })).ToList();

            var watch = Stopwatch.StartNew();
            while (Volatile.Read(ref written) < 50 + (round * 50) && watch.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(10);
            }

            server.KillHard();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            Assert.True(written >= 50, $"only {written} writes before the kill");

            await using (var db = new SqliteConnection($"Data Source={folder.Combine("marquee.db")};Pooling=False"))
            {
                await db.OpenAsync();
                await using var check = db.CreateCommand();
                check.CommandText = "PRAGMA integrity_check";
                Assert.Equal("ok", (string?)await check.ExecuteScalarAsync());
                check.CommandText = "SELECT COUNT(*) FROM profiles";
                Assert.True((long)(await check.ExecuteScalarAsync())! >= written);
            }

            var reopened = await MarqueeProcess.RunAsync(["profile", "list", "--json", "--data", folder.Path]);
            Assert.Equal(0, reopened.Code);
        }
    }
}
