using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Marquee.Bench;
using Marquee.Bench.Sync;
using Marquee.Cli.Output;

namespace Marquee.Cli.Commands;

internal static class BenchCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var scenario = new Option<string?>("--scenario") { Description = $"Run one scenario: {string.Join(", ", BenchScenarios.All.Select(s => s.Name))}.", HelpName = "NAME" };
        var quick = new Option<bool>("--quick") { Description = "About a tenth of the size, within a minute: for CI (timings are not compared)." };
        var output = new Option<string?>("--out") { Description = "Where to write the results. Default bench/results/latest.json in the repository.", HelpName = "FILE" };
        var runOne = new Option<string?>("--run-one") { Hidden = true };
        var simHost = new Option<string?>("--sim-host") { Hidden = true };
        var measure = new Option<string?>("--measure")
        {
            Description = "Start this marquee for the runs measured in a process of their own (plex-jellyfin's syncs, serve-memory's server): another build of it, as the native one. Default: this one.",
            HelpName = "FILE",
        };
        var command = new Command("bench", "Run the benchmark scenarios on simulated servers over loopback; print a table and write the results as JSON.")
        {
            scenario, quick, output, runOne, simHost, measure, GlobalOptions.Json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var isQuick = parse.GetValue(quick);
            var measured = parse.GetValue(measure) is { } given ? Measured(given) : null;
            if (parse.GetValue(simHost) is { } spec)
            {
                // The simulators' process of a scenario (RemoteSimWorld): the protocol runs on standard input and output.
                return await SimWorldHost.ServeAsync(spec, Console.In, Console.Out, ct);
            }

            if (parse.GetValue(runOne) is { } one)
            {
                return await RunOneAsync(ctx, one.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Find).ToList(), isQuick, parse.GetValue(output), measured, ct);
            }

            var selected = parse.GetValue(scenario) is { } name ? [Find(name)] : BenchScenarios.All;
            var json = parse.GetValue(GlobalOptions.Json);
            var log = json ? ctx.Error : ctx.Output;
            var scratch = Path.Combine(parse.GetValue(GlobalOptions.Data) is { Length: > 0 } data ? Path.GetFullPath(data) : Path.GetTempPath(), $"marquee-bench-{Guid.NewGuid():N}");
            var started = TimeProvider.System.GetUtcNow();
            IReadOnlyList<ScenarioResult> results;
            try
            {
                results = await new BenchRunner(Self(), log, measured).RunAsync(selected, isQuick, scratch, ct);
            }
            finally
            {
                TryDelete(scratch);
            }

            var commandLine = "./marquee bench" + (isQuick ? " --quick" : string.Empty) + (parse.GetValue(scenario) is { } s ? $" --scenario {s}" : string.Empty)
                + (measured is null ? string.Empty : $" --measure {Path.GetFileName(Path.GetDirectoryName(measured))}/{Path.GetFileName(measured)}");
            var report = new BenchReport(started, isQuick, commandLine, BenchRunner.Machine(), results);
            var file = parse.GetValue(output) ?? DefaultResultsFile();
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(report, BenchJson.Options) + Environment.NewLine, ct);
            if (json)
            {
                await ctx.Output.WriteLineAsync(JsonSerializer.Serialize(report, BenchJson.Options));
            }
            else
            {
                await ctx.Output.WriteLineAsync();
                Print(ctx.Output, results);
                await ctx.Output.WriteLineAsync();
                await ctx.Output.WriteLineAsync($"Build: {report.Machine.Build}, young generation {report.Machine.YoungGeneration}. Results written to {file}.");
            }

            return results.All(r => r.Passed) ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>The child's side: runs the scenarios (one, or a set-up group of a quick run) in this process and writes their results as a JSON array.</summary>
    private static async Task<int> RunOneAsync(CliContext ctx, IReadOnlyList<IBenchScenario> scenarios, bool quick, string? resultFile, string? measured, CancellationToken ct)
    {
        var folder = ctx.Parse.GetValue(GlobalOptions.Data) is { Length: > 0 } data ? Path.GetFullPath(data) : Path.Combine(Path.GetTempPath(), $"marquee-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var results = await BenchRunner.RunHereAsync(scenarios, quick, folder, ctx.Output, ct, Self(), measured is null ? null : new ChildCommand(measured, []));
        var text = JsonSerializer.Serialize(results, BenchJson.Options);
        if (resultFile is not null)
        {
            await File.WriteAllTextAsync(resultFile, text, ct);
        }
        else
        {
            await ctx.Output.WriteLineAsync(text);
        }

        return results.All(r => r.Passed) ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>The full path of the marquee given with <c>--measure</c>; a file that is not there is a usage error.</summary>
    private static string Measured(string file)
    {
        var path = Path.GetFullPath(file);
        return File.Exists(path) ? path : throw new CliException($"--measure: no file at {file}; give the path of another build's marquee executable", ExitCodes.Usage);
    }

    private static IBenchScenario Find(string name) =>
        BenchScenarios.Find(name) ?? throw new CliException($"unknown scenario '{name}'; the scenarios are: {string.Join(", ", BenchScenarios.All.Select(s => s.Name))}", ExitCodes.Usage);

    /// <summary>The command that starts this program again: the apphost, or <c>dotnet marquee.dll</c>.</summary>
    private static ChildCommand Self()
    {
        var path = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? new ChildCommand(path, [Environment.GetCommandLineArgs()[0]])
            : new ChildCommand(path, []);
    }

    private static string DefaultResultsFile()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Marquee.sln")))
            {
                return Path.Combine(dir.FullName, "bench", "results", "latest.json");
            }
        }

        return Path.Combine("bench", "results", "latest.json");
    }

    private static void Print(TextWriter output, IReadOnlyList<ScenarioResult> results)
    {
        static string N(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);
        TextTable.Write(
            output,
            ["Scenario", "Status", "Wall s", "CPU s", "Peak MB", "Requests", "Floor", "Ratio", "Writes", "Checks", "Key figure"],
            results.Select(r => (IReadOnlyList<string?>)
            [
                r.Name,
                r.Status,
                r.Status == ScenarioStatus.NotAvailable ? "-" : N(r.WallSeconds),
                r.Status == ScenarioStatus.NotAvailable ? "-" : N(r.CpuSeconds),
                r.PeakRssBytes > 0 ? N(r.PeakRssBytes / 1048576.0, "0") : "-",
                r.TotalRequests > 0 ? r.TotalRequests.ToString(CultureInfo.InvariantCulture) : "-",
                r.FloorRequests > 0 ? r.FloorRequests.ToString(CultureInfo.InvariantCulture) : "-",
                r.RatioToFloor is { } ratio ? N(ratio) : "-",
                r.Writes.ToString(CultureInfo.InvariantCulture),
                r.Checks.Count > 0 ? $"{r.Checks.Count(c => c.Passed)}/{r.Checks.Count}" : "-",
                KeyFigure(r),
            ]),
            "No scenarios ran.");
        foreach (var r in results)
        {
            if (r.Reason is not null)
            {
                output.WriteLine($"{r.Name}: {r.Reason}");
            }

            foreach (var check in r.Checks.Where(c => !c.Passed))
            {
                output.WriteLine($"{r.Name}: check failed: {check.Name}: {check.Detail}");
            }
        }
    }

    private static string KeyFigure(ScenarioResult r)
    {
        string? Metric(string name, string label, string format = "0.##") =>
            r.Metrics.TryGetValue(name, out var v) ? $"{label} {v.ToString(format, CultureInfo.InvariantCulture)}" : null;
        return r.Name switch
        {
            "no-change" => Metric("incremental wall s", "incremental s") + ", " + Metric("full wall s", "full s"),
            "writes" => Metric("writes/s", "writes/s", "0") ?? "-",
            "first-sync" or "one-percent" => string.Join(
                ", ",
                new[]
                {
                    Metric("items/s (CPU, Marquee alone)", "items/CPU s (Marquee)", "0") ?? Metric("items/s (CPU, simulators included)", "items/CPU s", "0") ?? "-",
                    Metric("items/s (CPU before the first write, Marquee alone)", "before the first write", "0") ?? Metric("items/s (CPU before the first write, simulators included)", "before the first write", "0"),
                }.OfType<string>()),
            _ => string.Join(", ", r.Metrics.Take(3).Select(m => $"{m.Key} {m.Value.ToString("0.##", CultureInfo.InvariantCulture)}")) is { Length: > 0 } s ? s : "-",
        };
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
