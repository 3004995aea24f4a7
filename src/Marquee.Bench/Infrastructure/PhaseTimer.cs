using System.Diagnostics;

namespace Marquee.Bench.Infrastructure;

/// <summary>
/// Wall time spent in the parts of a run that the engine reaches through interfaces: reading from a provider
/// (network and parsing), the store, and the write phase (first write sent to last write answered). The rest of a
/// run's wall time is matching, observing and planning in memory. A run reads both sides of a profile at once: the read
/// phase is the wall time during which at least one read was awaited, not the sum of both sides' reads.
/// </summary>
public sealed class PhaseTimer
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _readTicks;
    private long _storeTicks;
    private long _storeInWritesTicks;
    private long _firstWrite = long.MaxValue;
    private long _lastWrite;
    private long _cpuAtFirstWrite = -1;
    private int _writesInFlight;
    private int _readsInFlight;
    private long _readsSince;
    private long _items;

    public long Items => Interlocked.Read(ref _items);

    /// <summary>Gets or sets what is called when a bulk listing starts, with the account it lists (a probe of a test).</summary>
    public Action<Marquee.Core.Providers.ProviderAccount>? ListingStarted { get; set; }

    /// <summary>Gets or sets what is called with every item a bulk listing yields (a probe of a test).</summary>
    public Action<Marquee.Core.Providers.ProviderAccount, Marquee.Core.Providers.SourceItemState>? ItemListed { get; set; }

    /// <summary>Gets or sets what is called with each identity snapshot a run loads (a probe of a test).</summary>
    public Action<Marquee.Core.Sync.IdentitySnapshot>? SnapshotLoaded { get; set; }

    /// <summary>Gets or sets what is called with an account's every baseline as a full run loads them (a probe of a test).</summary>
    public Action<IReadOnlyDictionary<string, Marquee.Core.Sync.ObservedState>>? BaselinesLoaded { get; set; }

    /// <summary>Gets or sets what is called before each save of links and new items, with what is saved (a probe of a test).</summary>
    public Action<Marquee.Core.Sync.IdentityChanges>? IdentitySaving { get; set; }

    /// <summary>Gets or sets what is called before each ledger commit, with the commit (a probe of a test).</summary>
    public Action<Marquee.Core.Sync.LedgerCommit>? LedgerCommitting { get; set; }

    /// <summary>Gets or sets what is called as each write is sent (a probe of a test).</summary>
    public Action? WriteStarting { get; set; }

    public TimeSpan Read => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _readTicks));

    public TimeSpan Store => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _storeTicks));

    /// <summary>Gets the store time that fell inside the write phase (journal and baselines of each write).</summary>
    public TimeSpan StoreDuringWrites => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _storeInWritesTicks));

    public TimeSpan WritePhase => _lastWrite > _firstWrite ? Stopwatch.GetElapsedTime(_firstWrite, _lastWrite) : TimeSpan.Zero;

    /// <summary>
    /// Gets this process's CPU time when the first write of the measured run was sent (null before one is): what the run
    /// spent before it on reading, matching, observing, planning and storing is that minus the CPU time at the start.
    /// </summary>
    public TimeSpan? CpuAtFirstWrite => Interlocked.Read(ref _cpuAtFirstWrite) is >= 0 and var ticks ? TimeSpan.FromTicks(ticks) : null;

    public void Reset()
    {
        _readTicks = 0;
        _storeTicks = 0;
        _storeInWritesTicks = 0;
        _firstWrite = long.MaxValue;
        _lastWrite = 0;
        _cpuAtFirstWrite = -1;
        _items = 0;
    }

    /// <summary>Marks the start of one awaited read (a listing's next item); <see cref="EndRead"/> marks its end.</summary>
    public void StartRead()
    {
        lock (_clock)
        {
            if (_readsInFlight++ == 0)
            {
                _readsSince = Stopwatch.GetTimestamp();
            }
        }
    }

    public void EndRead(int items)
    {
        lock (_clock)
        {
            if (--_readsInFlight == 0)
            {
                _readTicks += Stopwatch.GetTimestamp() - _readsSince;
            }
        }

        Interlocked.Add(ref _items, items);
    }

    public void AddStore(long ticks)
    {
        Interlocked.Add(ref _storeTicks, ticks);
        if (Volatile.Read(ref _writesInFlight) > 0 || _firstWrite != long.MaxValue)
        {
            Interlocked.Add(ref _storeInWritesTicks, ticks);
        }
    }

    public async Task TimeWriteAsync(Func<Task> write)
    {
        WriteStarting?.Invoke();
        var start = Stopwatch.GetTimestamp();
        InterlockedMin(ref _firstWrite, start);
        if (Interlocked.Read(ref _cpuAtFirstWrite) < 0)
        {
            Interlocked.CompareExchange(ref _cpuAtFirstWrite, ProcessStats.CpuTime().Ticks, -1);
        }

        Interlocked.Increment(ref _writesInFlight);
        try
        {
            await write();
        }
        finally
        {
            Interlocked.Decrement(ref _writesInFlight);
            InterlockedMax(ref _lastWrite, Stopwatch.GetTimestamp());
        }
    }

    public async Task<T> TimeStoreAsync<T>(Func<Task<T>> call)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await call();
        }
        finally
        {
            AddStore(Stopwatch.GetTimestamp() - start);
        }
    }

    public async Task TimeStoreAsync(Func<Task> call)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await call();
        }
        finally
        {
            AddStore(Stopwatch.GetTimestamp() - start);
        }
    }

    /// <summary>Splits <paramref name="wall"/> into phases, in seconds.</summary>
    public IReadOnlyDictionary<string, double> Breakdown(TimeSpan wall)
    {
        var read = Read.TotalSeconds;
        var write = WritePhase.TotalSeconds;
        var store = Math.Max(0, Store.TotalSeconds - StoreDuringWrites.TotalSeconds);
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["read (requests + parse)"] = Math.Round(read, 3),
            ["store (outside writes)"] = Math.Round(store, 3),
            ["write phase (incl. journal)"] = Math.Round(write, 3),
            ["match + observe + plan"] = Math.Round(Math.Max(0, wall.TotalSeconds - read - write - store), 3),
        };
    }

    private static void InterlockedMin(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
