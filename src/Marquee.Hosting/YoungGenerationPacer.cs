namespace Marquee.Hosting;

/// <summary>
/// Keeps the collector's young generation to a size Marquee chooses instead of one the CPU chooses. The runtime lets
/// the young generation grow to a budget taken from the largest CPU cache before it collects: 16 MB on a CPU with a
/// 32 MB cache, about 80 MB on one whose cache reads as 300 MB, all of it short-lived garbage counted in the process's
/// resident memory. On that machine the 2,000-movie Plex ⇄ Jellyfin run peaked at 172 MB with the lean build, and at
/// 102 to 107 MB paced at 6 MB (bench/RESULTS.md, "A young generation Marquee sizes"). The runtime's own setting for the
/// budget (<c>DOTNET_GCgen0size</c>) is read from the environment only, not from the program's configuration. So, once
/// started, a background thread reads every <see cref="BusyTick"/> how much the process has allocated and, when
/// <see cref="Budget"/> bytes have been allocated since the last young collection, asks for one: a collection of the
/// young generation only, which costs what the runtime's own would (the survivors, not the garbage). A quiet process is
/// read less often, down to every <see cref="QuietTick"/>. An owner who sets <c>DOTNET_GCgen0size</c> keeps the runtime's
/// sizing.
/// </summary>
public static class YoungGenerationPacer
{
    /// <summary>The default budget, <c>Marquee:Memory:YoungGenerationMB</c>.</summary>
    public const double DefaultMegabytes = 6;

    /// <summary>The largest budget the setting takes.</summary>
    public const double MaxMegabytes = 1024;

    /// <summary>How often allocations are read while the process allocates.</summary>
    public static readonly TimeSpan BusyTick = TimeSpan.FromMilliseconds(20);

    /// <summary>How often, at most, they are read while it does not.</summary>
    public static readonly TimeSpan QuietTick = TimeSpan.FromSeconds(1);

    /// <summary>At most this much allocated in a tick, and the next tick comes twice as late (up to <see cref="QuietTick"/>).</summary>
    public const long QuietBytes = 64 * 1024;

    private static readonly Lock Gate = new();
    private static Thread? _thread;
    private static long _budget;
    private static long _collections;

    /// <summary>Gets the bytes allocated between young collections it asks for; 0 when it is off.</summary>
    public static long Budget => Volatile.Read(ref _budget);

    /// <summary>Gets how many collections it has asked for in this process.</summary>
    public static long Collections => Interlocked.Read(ref _collections);

    /// <summary>Whether the owner sized the young generation through the runtime's own setting, which then wins.</summary>
    public static bool SetByOwner(Func<string, string?> environment) =>
        !string.IsNullOrEmpty(environment("DOTNET_GCgen0size")) || !string.IsNullOrEmpty(environment("COMPlus_GCgen0size"));

    /// <summary>The smallest budget the setting takes besides 0: below it the process would collect at every tick while it allocates.</summary>
    public const double MinMegabytes = 1;

    /// <summary>The setting's problem, or null: 0 (off) or a number of megabytes from <see cref="MinMegabytes"/> to <see cref="MaxMegabytes"/>.</summary>
    public static string? Problem(double megabytes) =>
        megabytes == 0 || (double.IsFinite(megabytes) && megabytes is >= MinMegabytes and <= MaxMegabytes)
            ? null
            : $"Marquee:Memory:YoungGenerationMB must be 0 (leave the young generation to the runtime) or a number of megabytes from {MinMegabytes:0} to {MaxMegabytes:0}; got {megabytes.ToString(System.Globalization.CultureInfo.InvariantCulture)}.";

    /// <summary>Whether to collect now, from what was allocated since the last young collection.</summary>
    public static bool ShouldCollect(long allocatedSinceYoungCollection, long budget) =>
        budget > 0 && allocatedSinceYoungCollection >= budget;

    /// <summary>
    /// Paces this process's young collections at <paramref name="megabytes"/> (0: off), unless the owner set the
    /// runtime's own setting in this process's environment. Process-wide: a later call changes the budget of the one thread.
    /// </summary>
    public static void Start(double megabytes) => Start(megabytes, Environment.GetEnvironmentVariable);

    /// <summary><see cref="Start(double)"/> with the environment the runtime was started with given.</summary>
    public static void Start(double megabytes, Func<string, string?> environment)
    {
        if (Problem(megabytes) is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(megabytes), megabytes, problem);
        }

        var budget = SetByOwner(environment) ? 0 : (long)(megabytes * 1024 * 1024);
        Volatile.Write(ref _budget, budget);
        if (budget == 0)
        {
            return;
        }

        lock (Gate)
        {
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "Marquee young generation" };
                _thread.Start();
            }
        }
    }

    private static void Run()
    {
        var seen = GC.CollectionCount(0);
        var atCollection = GC.GetTotalAllocatedBytes();
        var atTick = atCollection;
        var tick = BusyTick;
        while (true)
        {
            Thread.Sleep(tick);
            var now = GC.GetTotalAllocatedBytes();
            var count = GC.CollectionCount(0);
            if (count != seen)
            {
                // The runtime (or anyone) collected since the last tick: count from now, which errs towards collecting later.
                seen = count;
                atCollection = now;
            }
            else if (ShouldCollect(now - atCollection, Volatile.Read(ref _budget)))
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                Interlocked.Increment(ref _collections);
                seen = GC.CollectionCount(0);
                atCollection = GC.GetTotalAllocatedBytes();
            }

            tick = now - atTick < QuietBytes
                ? TimeSpan.FromTicks(Math.Min(tick.Ticks * 2, QuietTick.Ticks))
                : BusyTick;
            atTick = now;
        }
    }
}
