using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Marquee.Bench;

/// <summary>How to start this program again: the executable and the arguments that come before the command (the dll under <c>dotnet</c>).</summary>
public sealed record ChildCommand(string FileName, IReadOnlyList<string> Prefix);

/// <summary>Runs scenarios, each in a child process of the same program (<c>bench --run-one NAME</c>), and collects their results.</summary>
public sealed class BenchRunner(ChildCommand child, TextWriter log)
{
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(IReadOnlyList<IBenchScenario> scenarios, bool quick, string scratch, CancellationToken cancellationToken)
    {
        var results = new List<ScenarioResult>();
        foreach (var scenario in scenarios)
        {
            var folder = Path.Combine(scratch, scenario.Name);
            Directory.CreateDirectory(folder);
            var resultFile = Path.Combine(scratch, scenario.Name + ".json");
            var result = await RunChildAsync(scenario, quick, folder, resultFile, cancellationToken);
            results.Add(result);
            await log.WriteLineAsync($"{scenario.Name}: {result.Status}{(result.Reason is null ? string.Empty : " (" + result.Reason + ")")}, {result.WallSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
        }

        return results;
    }

    /// <summary>Runs one scenario in this process (the child's side); a scenario that throws is a failed result.</summary>
    public static async Task<ScenarioResult> RunHereAsync(IBenchScenario scenario, bool quick, string folder, TextWriter log, CancellationToken cancellationToken)
    {
        try
        {
            return await scenario.RunAsync(new ScenarioContext(quick, folder, log), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ScenarioResult { Name = scenario.Name, Title = scenario.Title, Status = ScenarioStatus.Failed, Reason = ex.GetType().Name + ": " + ex.Message, Quick = quick };
        }
    }

    public static BenchMachine Machine() => new(
        Environment.ProcessorCount,
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription);

    private async Task<ScenarioResult> RunChildAsync(IBenchScenario scenario, bool quick, string folder, string resultFile, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(child.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in child.Prefix.Concat(["bench", "--run-one", scenario.Name, "--data", folder, "--out", resultFile]).Concat(quick ? ["--quick"] : []))
        {
            start.ArgumentList.Add(arg);
        }

        var limit = quick ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(40);
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
            return Failed(scenario, quick, cancellationToken.IsCancellationRequested ? "cancelled" : $"did not finish within {limit.TotalMinutes} minutes");
        }

        process.WaitForExit();
        if (File.Exists(resultFile))
        {
            await using var stream = File.OpenRead(resultFile);
            var result = await JsonSerializer.DeserializeAsync<ScenarioResult>(stream, BenchJson.Options, cancellationToken);
            if (result is not null)
            {
                return result;
            }
        }

        string tail;
        lock (stderr)
        {
            tail = string.Join(" | ", stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));
        }

        return Failed(scenario, quick, $"the scenario process exited with {process.ExitCode} and no result{(tail.Length > 0 ? ": " + tail : string.Empty)}");
    }

    private static ScenarioResult Failed(IBenchScenario scenario, bool quick, string reason) =>
        new() { Name = scenario.Name, Title = scenario.Title, Status = ScenarioStatus.Failed, Reason = reason, Quick = quick };
}
