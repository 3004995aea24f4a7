using System.Diagnostics;
using System.Globalization;

namespace Marquee.Bench.Infrastructure;

/// <summary>Resident memory and CPU time of this process, from /proc on Linux (the managed API elsewhere).</summary>
public static class ProcessStats
{
    public static long RssBytes() => StatusKb("VmRSS") is { } kb ? kb * 1024 : CurrentProcess(p => p.WorkingSet64);

    /// <summary>Resident memory that is not a mapped file (RssAnon): heaps, generated code, stacks; null where /proc is missing.</summary>
    public static long? AnonymousRssBytes() => StatusKb("RssAnon") is { } kb ? kb * 1024 : null;

    public static long PeakRssBytes() => StatusKb("VmHWM") is { } kb ? kb * 1024 : CurrentProcess(p => p.PeakWorkingSet64);

    public static TimeSpan CpuTime() => CurrentProcess(p => p.TotalProcessorTime);

    /// <summary>Resets the kernel's peak RSS to the current RSS ("5" to clear_refs, Linux 4.0 and later); false when that is not possible.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Collects garbage fully, so a later peak measures work rather than leftovers of the setup.</summary>
    public static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private static T CurrentProcess<T>(Func<Process, T> read)
    {
        using var process = Process.GetCurrentProcess();
        return read(process);
    }

    /// <summary>A field of <c>/proc/PID/status</c> in kB (<c>self</c> for this process); null where it cannot be read.</summary>
    public static long? StatusKb(string field, string process = "self")
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var value = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(value, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return null;
    }
}
