using System.Diagnostics;
using System.Text;

namespace Marquee.Cli.Tests.Infrastructure;

/// <summary>Runs the real marquee program as a child process (the same build the tests reference).</summary>
public sealed class MarqueeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _lock = new();

    private MarqueeProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string Program { get; } = Path.Combine(AppContext.BaseDirectory, "marquee.dll");

    /// <summary>
    /// Gets the published program the process tests run instead of the built one, from <c>MARQUEE_TEST_PROGRAM</c> (the
    /// lean build's <c>marquee</c>, which .ci/run points them at); null to run <see cref="Program"/> with <c>dotnet</c>.
    /// </summary>
    public static string? Published { get; } = System.Environment.GetEnvironmentVariable("MARQUEE_TEST_PROGRAM") is { Length: > 0 } published
        ? (File.Exists(published) ? Path.GetFullPath(published) : throw new FileNotFoundException($"MARQUEE_TEST_PROGRAM names no file: {published}"))
        : null;

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_lock)
            {
                return _error.ToString();
            }
        }
    }

    public int Id => _process.Id;

    public static MarqueeProcess Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(Published ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        if (Published is null)
        {
            info.ArgumentList.Add(Program);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MARQUEE", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new MarqueeProcess(System.Diagnostics.Process.Start(info)!);
    }

    /// <summary>Runs to completion (at most 60 s) and returns the exit code with both outputs.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        using var process = Start(args, environment, workingDirectory);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process._process.WaitForExitAsync(timeout.Token);
        process._process.WaitForExit();
        return new CliResult(process._process.ExitCode, process.Output, process.Error);
    }

    /// <summary>
    /// Returns a client for the server whose address is the first URL in <paramref name="line"/> (as printed by serve or
    /// demo), sending the API key that server keeps in <paramref name="dataFolder"/>.
    /// </summary>
    public static HttpClient ApiClient(string line, string dataFolder)
    {
        var address = line[line.IndexOf("http://", StringComparison.Ordinal)..].Split(' ')[0];
        var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Add("X-Api-Key", File.ReadAllText(Path.Combine(dataFolder, "api-key")).Trim());
        return http;
    }

    /// <summary>Waits until standard output has a line containing <paramref name="text"/>, and returns that line.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var line = Output.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null)
            {
                return line.Trim();
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"marquee exited with {_process.ExitCode} before printing '{text}': {Error}{Output}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"marquee did not print '{text}' within {timeout}: {Error}{Output}");
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code; both outputs are complete then.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as Ctrl+C in a service manager would, and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(timeout);
    }

    /// <summary>Sends SIGKILL: no chance to clean up, as in a power cut or an OOM kill.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            target.AppendLine(line);
        }
    }
}
