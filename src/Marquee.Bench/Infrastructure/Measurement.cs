using System.Diagnostics;

namespace Marquee.Bench.Infrastructure;

/// <summary>Wall time, CPU time and peak memory of the measured part of a scenario (after its setup).</summary>
public sealed class Measurement
{
    private readonly long _started;
    private readonly TimeSpan _cpu;

    private Measurement()
    {
        ProcessStats.Settle();
        BaselineRss = ProcessStats.RssBytes();
        PeakResettable = ProcessStats.ResetPeak();
        _cpu = ProcessStats.CpuTime();
        _started = Stopwatch.GetTimestamp();
    }

    public long BaselineRss { get; }

    /// <summary>Gets a value indicating whether the kernel's peak could be reset; if not, the peak includes the setup.</summary>
    public bool PeakResettable { get; }

    public TimeSpan Wall { get; private set; }

    public TimeSpan Cpu { get; private set; }

    public long PeakRss { get; private set; }

    public static Measurement Start() => new();

    public Measurement Stop()
    {
        Wall = Stopwatch.GetElapsedTime(_started);
        Cpu = ProcessStats.CpuTime() - _cpu;
        PeakRss = ProcessStats.PeakRssBytes();
        return this;
    }
}
