using System.Diagnostics;

namespace Marquee.Bench.Infrastructure;

/// <summary>Wall time, CPU time and peak memory of the measured part of a scenario (after its setup).</summary>
public sealed class Measurement
{
    private readonly long _started;
    private readonly TimeSpan _cpu;
    private readonly TimeSpan _gcPause;
    private readonly long _allocated;
    private readonly int[] _collections;
    private readonly Task _sampler;
    private readonly AllocationSampler? _allocations;
    private long _peakManaged;
    private long _peakCommitted;
    private long _peakAnon;
    private volatile bool _stopped;

    private Measurement()
    {
        ProcessStats.Settle();
        BaselineRss = ProcessStats.RssBytes();
        PeakResettable = ProcessStats.ResetPeak();
        _cpu = ProcessStats.CpuTime();
        BaselineManaged = GC.GetTotalMemory(forceFullCollection: false);
        _gcPause = GC.GetTotalPauseDuration();
        _allocated = GC.GetTotalAllocatedBytes(precise: false);
        _collections = Collections();
        _allocations = AllocationSampler.StartIfAsked();
        _sampler = Task.Run(SampleAsync);
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Gets the managed heap (objects alive or not yet collected) just before the measured part.</summary>
    public long BaselineManaged { get; }

    /// <summary>Gets the largest managed heap seen during the measured part (sampled every 20 ms): what of the peak RSS is objects.</summary>
    public long PeakManaged => Interlocked.Read(ref _peakManaged);

    /// <summary>Gets the most memory the garbage collector held committed (its heap with free space kept for reuse), sampled likewise.</summary>
    public long PeakCommitted => Interlocked.Read(ref _peakCommitted);

    /// <summary>Gets the most anonymous resident memory (heaps, code, stacks; not mapped files) sampled; the rest of the peak RSS is mapped files (the runtime's and the program's libraries).</summary>
    public long PeakAnonymous => Interlocked.Read(ref _peakAnon);

    public long BaselineRss { get; }

    /// <summary>Gets a value indicating whether the kernel's peak could be reset; if not, the peak includes the setup.</summary>
    public bool PeakResettable { get; }

    public TimeSpan Wall { get; private set; }

    public TimeSpan Cpu { get; private set; }

    public long PeakRss { get; private set; }

    /// <summary>Gets how long the garbage collector paused the process during the measured part (the collector's background work is not in it).</summary>
    public TimeSpan GcPause { get; private set; }

    /// <summary>Gets how many bytes the process allocated on the managed heap during the measured part (what the collector has to clear away).</summary>
    public long Allocated { get; private set; }

    /// <summary>Gets the number of collections of generations 0, 1 and 2 during the measured part.</summary>
    public IReadOnlyList<int> GcCollections { get; private set; } = [];

    public static Measurement Start() => new();

    /// <summary>Gets the CPU time this process spent from the start of the measured part to <paramref name="processCpu"/> (a reading of its CPU time taken since).</summary>
    public TimeSpan CpuUntil(TimeSpan processCpu) => processCpu - _cpu;

    public Measurement Stop()
    {
        Wall = Stopwatch.GetElapsedTime(_started);
        Cpu = ProcessStats.CpuTime() - _cpu;
        PeakRss = ProcessStats.PeakRssBytes();
        GcPause = GC.GetTotalPauseDuration() - _gcPause;
        Allocated = GC.GetTotalAllocatedBytes(precise: false) - _allocated;
        GcCollections = Collections().Zip(_collections, (now, before) => now - before).ToList();
        _stopped = true;
        _sampler.Wait();
        if (_allocations is not null)
        {
            _allocations.Report();
            _allocations.Dispose();
        }

        return this;
    }

    private static int[] Collections() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    private async Task SampleAsync()
    {
        while (!_stopped)
        {
            var now = GC.GetTotalMemory(forceFullCollection: false);
            if (now > Interlocked.Read(ref _peakManaged))
            {
                Interlocked.Exchange(ref _peakManaged, now);
            }

            if (ProcessStats.AnonymousRssBytes() is { } anon && anon > Interlocked.Read(ref _peakAnon))
            {
                Interlocked.Exchange(ref _peakAnon, anon);
            }

            var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
            if (committed > Interlocked.Read(ref _peakCommitted))
            {
                Interlocked.Exchange(ref _peakCommitted, committed);
            }

            await Task.Delay(20);
        }
    }
}
