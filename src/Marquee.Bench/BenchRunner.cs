using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Marquee.Hosting;

namespace Marquee.Bench;

/// <summary>How to start this program again: the executable and the arguments that come before the command (the dll under <c>dotnet</c>).</summary>
public sealed record ChildCommand(string FileName, IReadOnlyList<string> Prefix);

/// <summary>
/// Runs scenarios, each in a child process of the same program (<c>bench --run-one NAME</c>), and collects their
/// results. A quick run puts consecutive scenarios of one set-up group (<see cref="ISharedSetUpScenario"/>) into one
/// child, so the later ones continue from the set-up the earlier ones left instead of making it again.
/// </summary>
public sealed class BenchRunner(ChildCommand child, TextWriter log, string? measured = null)
{
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(IReadOnlyList<IBenchScenario> scenarios, bool quick, string scratch, CancellationToken cancellationToken)
    {
        var results = new List<ScenarioResult>();
        foreach (var group in Groups(scenarios, quick))
        {
            var name = string.Join("+", group.Select(s => s.Name));
            var folder = Path.Combine(scratch, name);
            Directory.CreateDirectory(folder);
            var resultFile = Path.Combine(scratch, name + ".json");
            foreach (var result in await RunChildAsync(group, quick, folder, resultFile, cancellationToken))
            {
                results.Add(result);
                await log.WriteLineAsync($"{result.Name}: {result.Status}{(result.Reason is null ? string.Empty : " (" + result.Reason + ")")}, {result.WallSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
            }
        }

        return results;
    }

    /// <summary>The scenarios in the processes they run in: one each, or in a quick run, consecutive ones of one set-up group together.</summary>
    public static IReadOnlyList<IReadOnlyList<IBenchScenario>> Groups(IReadOnlyList<IBenchScenario> scenarios, bool quick)
    {
        var groups = new List<List<IBenchScenario>>();
        string? previous = null;
        foreach (var scenario in scenarios)
        {
            var group = quick ? (scenario as ISharedSetUpScenario)?.SetUpGroup : null;
            if (group is null || group != previous)
            {
                groups.Add([]);
            }

            groups[^1].Add(scenario);
            previous = group;
        }

        return groups;
    }

    /// <summary>Runs one scenario in this process (the child's side); a scenario that throws is a failed result.</summary>
    public static Task<ScenarioResult> RunHereAsync(IBenchScenario scenario, bool quick, string folder, TextWriter log, CancellationToken cancellationToken) =>
        RunHereAsync(scenario, quick, folder, log, null, null, cancellationToken);

    /// <summary>Runs one scenario in this process, with the set-up the scenario before handed on (if any).</summary>
    public static async Task<ScenarioResult> RunHereAsync(IBenchScenario scenario, bool quick, string folder, TextWriter log, SharedSetUp? shared, ChildCommand? simHost, CancellationToken cancellationToken, ChildCommand? measured = null)
    {
        try
        {
            return await scenario.RunAsync(new ScenarioContext(quick, folder, log, shared, simHost, measured), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ScenarioResult { Name = scenario.Name, Title = scenario.Title, Status = ScenarioStatus.Failed, Reason = ex.GetType().Name + ": " + ex.Message, Quick = quick };
        }
    }

    /// <summary>
    /// Runs scenarios one after another in this process, each handing its set-up on to the next; with
    /// <paramref name="simHost"/>, scenarios that can run their simulators in a child process of that command; with
    /// <paramref name="measured"/>, the <c>marquee</c> they measure in a process of its own.
    /// </summary>
    public static async Task<IReadOnlyList<ScenarioResult>> RunHereAsync(IReadOnlyList<IBenchScenario> scenarios, bool quick, string folder, TextWriter log, CancellationToken cancellationToken, ChildCommand? simHost = null, ChildCommand? measured = null)
    {
        await using var shared = new SharedSetUp();
        var results = new List<ScenarioResult>();
        foreach (var scenario in scenarios)
        {
            results.Add(await RunHereAsync(scenario, quick, folder, log, scenarios.Count > 1 ? shared : null, simHost, cancellationToken, measured));
        }

        return results;
    }

    public static BenchMachine Machine() => new(
        Environment.ProcessorCount,
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        AppContext.GetData("Marquee.Build") as string ?? BenchMachine.StandardBuild,
        YoungGeneration(Environment.GetEnvironmentVariable));

    /// <summary>Who sizes the collector's young generation in the measured processes (<see cref="YoungGenerationPacer"/>): "6 MB", "runtime", or the owner's runtime setting.</summary>
    public static string YoungGeneration(Func<string, string?> environment)
    {
        if (YoungGenerationPacer.SetByOwner(environment))
        {
            return $"runtime, GCgen0size={environment("DOTNET_GCgen0size") ?? environment("COMPlus_GCgen0size")}";
        }

        var setting = environment($"{MarqueeConfiguration.EnvironmentPrefix}Marquee__Memory__YoungGenerationMB");
        var megabytes = YoungGenerationPacer.DefaultMegabytes;
        if (setting is not null && !double.TryParse(setting, CultureInfo.InvariantCulture, out megabytes))
        {
            return $"'{setting}' (not a number of megabytes)";
        }

        return megabytes == 0 ? "runtime" : $"{megabytes.ToString(CultureInfo.InvariantCulture)} MB";
    }

    private async Task<IReadOnlyList<ScenarioResult>> RunChildAsync(IReadOnlyList<IBenchScenario> scenarios, bool quick, string folder, string resultFile, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(child.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in child.Prefix.Concat(["bench", "--run-one", string.Join(",", scenarios.Select(s => s.Name)), "--data", folder, "--out", resultFile]).Concat(quick ? ["--quick"] : []).Concat(measured is null ? [] : ["--measure", measured]))
        {
            start.ArgumentList.Add(arg);
        }

        var limit = (quick ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(40)) * scenarios.Count;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the scenario process");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.WriteLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return Failed(scenarios, quick, cancellationToken.IsCancellationRequested ? "cancelled" : $"did not finish within {limit.TotalMinutes} minutes");
        }

        process.WaitForExit();
        if (File.Exists(resultFile))
        {
            await using var stream = File.OpenRead(resultFile);
            var results = await JsonSerializer.DeserializeAsync<List<ScenarioResult>>(stream, BenchJson.Options, cancellationToken);
            if (results is not null && results.Count == scenarios.Count)
            {
                return results;
            }
        }

        string tail;
        lock (stderr)
        {
            tail = string.Join(" | ", stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));
        }

        return Failed(scenarios, quick, $"the scenario process exited with {process.ExitCode} and no result{(tail.Length > 0 ? ": " + tail : string.Empty)}");
    }

    private static List<ScenarioResult> Failed(IReadOnlyList<IBenchScenario> scenarios, bool quick, string reason) =>
        scenarios.Select(s => new ScenarioResult { Name = s.Name, Title = s.Title, Status = ScenarioStatus.Failed, Reason = reason, Quick = quick }).ToList();
}
