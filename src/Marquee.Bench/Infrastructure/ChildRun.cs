using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Marquee.Bench.Infrastructure;

/// <summary>What a measured child process did: its exit code, the end of its output, and its wall time, CPU time and peak RSS.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">The last <see cref="KeptLines"/> lines it wrote, standard output and error together.</param>
/// <param name="Wall">From its start to its exit.</param>
/// <param name="Cpu">Its user and system CPU time.</param>
/// <param name="PeakRssBytes">Its peak resident memory.</param>
/// <param name="PeakExact">True when the peak is the kernel's own account of the child (its rusage once reaped); false when it is the highest value polled while it ran.</param>
public sealed record ChildRun(int ExitCode, IReadOnlyList<string> Output, TimeSpan Wall, TimeSpan Cpu, long PeakRssBytes, bool PeakExact)
{
    /// <summary>How many of the child's last output lines are kept (for a failure's reason).</summary>
    public const int KeptLines = 40;

    /// <summary>
    /// Runs <paramref name="command"/> with <paramref name="arguments"/> in <paramref name="workingFolder"/> until it exits,
    /// and measures it: the kernel's rusage of this process's reaped children, before and after (the peak exact when the child is
    /// larger than any this process reaped before; else its peak as polled from /proc every 10 ms). A variable of
    /// <paramref name="environment"/> given null is removed from the child's environment.
    /// </summary>
    public static async Task<ChildRun> RunAsync(string command, IEnumerable<string> arguments, string workingFolder, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingFolder };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var output = new Queue<string>();
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.Enqueue(line);
                if (output.Count > KeptLines)
                {
                    output.Dequeue();
                }
            }
        }

        var before = Children();
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var pid = process.Id.ToString(CultureInfo.InvariantCulture);
        long polledPeak = 0;
        var polledCpu = TimeSpan.Zero;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            var exited = process.WaitForExitAsync(timeoutSource.Token);
            while (!exited.IsCompleted)
            {
                polledPeak = Math.Max(polledPeak, (ProcessStats.StatusKb("VmHWM", pid) ?? 0) * 1024);
                if (before is null)
                {
                    polledCpu = CpuOf(process) ?? polledCpu;
                }

                await Task.WhenAny(exited, Task.Delay(10, CancellationToken.None));
            }

            await exited;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{command} did not finish within {timeout}");
        }

        var wall = Stopwatch.GetElapsedTime(started);
        var after = Children();
        List<string> lines;
        lock (output)
        {
            lines = [.. output];
        }

        if (before is not { } b || after is not { } a)
        {
            return new ChildRun(process.ExitCode, lines, wall, polledCpu, polledPeak, PeakExact: false);
        }

        // The children's CPU adds up, so the difference is this child's; their peak is the largest of any, so it is this
        // child's only when it rose (a child reaped earlier may have been larger).
        var exact = a.MaxRssBytes > b.MaxRssBytes;
        return new ChildRun(process.ExitCode, lines, wall, a.Cpu - b.Cpu, exact ? a.MaxRssBytes : polledPeak, exact);
    }

    /// <summary>The child's CPU time so far (user and system); null once it has exited.</summary>
    private static TimeSpan? CpuOf(Process process)
    {
        try
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The kernel's account of this process's reaped children (<c>getrusage(RUSAGE_CHILDREN)</c>): the largest peak RSS of any and their CPU time together; null off Linux.</summary>
    internal static (long MaxRssBytes, TimeSpan Cpu)? Children()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            if (GetRusage(RusageChildren, out var usage) != 0)
            {
                return null;
            }

            var cpu = TimeSpan.FromSeconds(usage.UserSeconds + usage.SystemSeconds) + TimeSpan.FromMicroseconds(usage.UserMicroseconds + usage.SystemMicroseconds);
            return (usage.MaxRssKb * 1024, cpu);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private const int RusageChildren = -1;

    [DllImport("libc.so.6", EntryPoint = "getrusage", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GetRusage(int who, out Rusage usage);

    /// <summary>Linux's <c>struct rusage</c> on 64-bit systems: two <c>timeval</c>s, then fourteen longs, the peak RSS (kB) first.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRssKb;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long NvCsw;
        public long NivCsw;
    }
}
