using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Marquee.Bench.Infrastructure;

/// <summary>
/// What the measured part allocates, by type: the runtime's allocation ticks (one event per about 100 KB allocated,
/// naming the type of the object that crossed the mark), summed per type. On when <c>MARQUEE_BENCH_ALLOCATIONS</c> names
/// a file; the table is appended to it at the end of each measurement. A sample, not an exact count: types that are
/// allocated often and large are the ones it sees.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private readonly string _file;

    public AllocationSampler(string file)
    {
        _file = file;
    }

    public static AllocationSampler? StartIfAsked() =>
        Environment.GetEnvironmentVariable("MARQUEE_BENCH_ALLOCATIONS") is { Length: > 0 } file ? new AllocationSampler(file) : null;

    /// <summary>Returns the bytes sampled so far for the types whose name contains <paramref name="type"/>.</summary>
    public long BytesOf(string type) => _bytes.Where(p => p.Key.Contains(type, StringComparison.Ordinal)).Sum(p => p.Value);

    public void Report(int top = 40)
    {
        // One snapshot, taken under the table's locks: the runtime's ticks keep adding types on their own thread, and
        // sorting the live table copied it while it grew (an ArgumentException at the end of a measurement).
        var rows = _bytes.ToArray();
        using var writer = File.AppendText(_file);
        var total = rows.Sum(p => p.Value);
        writer.WriteLine($"allocations sampled: {total / 1048576.0:N0} MB");
        foreach (var (type, bytes) in rows.OrderByDescending(p => p.Value).Take(top))
        {
            writer.WriteLine($"{bytes / 1048576.0,10:N1} MB {100.0 * bytes / Math.Max(total, 1),5:N1} %  {type}");
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is not { } names)
        {
            return;
        }

        var type = names.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload![t] as string ?? "?" : "?";
        var amount = names.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload![a], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        Add(type, amount);
    }

    /// <summary>Counts <paramref name="amount"/> bytes sampled for <paramref name="type"/> (what each tick does).</summary>
    internal void Add(string type, long amount) => _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
}
