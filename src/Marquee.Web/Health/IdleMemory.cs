using Marquee.Core.Sync;
using Marquee.Providers.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Web.Health;

/// <summary>
/// Gives the collector's memory back to the system once the server has gone quiet: the young generation is collected
/// only once its budget is spent (6 MB with Marquee's pacing, <see cref="Marquee.Hosting.YoungGenerationPacer"/>; the
/// runtime's own is sized from the CPU's cache), and the older generations far less often, so what the start, a few API
/// calls or a page of the web UI left behind would otherwise stay committed for as long as the server idles. Every <see cref="Tick"/> it
/// reads how much the whole process has allocated; when that grew by less than <see cref="QuietBytes"/> since the last
/// tick, and by at least <see cref="WorthBytes"/> since the last collection it asked for, it asks for one compacting
/// collection that returns the freed memory (the one a full run's end asks for, <see cref="FlowRunner.GiveMemoryBack"/>),
/// after letting go of the buffers the providers keep between answers (<see cref="ProviderBuffers"/>: a listing page or
/// two, a few megabytes after a full run of a large library). Never while the process is busy (a run, a stream of
/// webhooks), and at most once per quiet spell in the process, however many servers it hosts.
/// </summary>
public sealed partial class IdleMemory(ILogger<IdleMemory> logger) : BackgroundService
{
    /// <summary>How often the allocations are read.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    /// <summary>At most this much allocated since the last tick, and the process counts as quiet.</summary>
    public const long QuietBytes = 256 * 1024;

    /// <summary>At least this much allocated since the last collection, and one is worth asking for.</summary>
    public const long WorthBytes = 1024 * 1024;

    /// <summary>What the process had allocated when this class last asked for a collection (shared by every server in it).</summary>
    private static long _allocatedAtLastCollection;

    /// <summary>Whether to collect now, from the process's allocated bytes now, at the last tick and at the last collection.</summary>
    public static bool ShouldCollect(long now, long atLastTick, long atLastCollection) =>
        now - atLastTick < QuietBytes && now - atLastCollection >= WorthBytes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick);
        var atLastTick = GC.GetTotalAllocatedBytes();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                var atLastCollection = Volatile.Read(ref _allocatedAtLastCollection);
                if (ShouldCollect(now, atLastTick, atLastCollection) && Interlocked.CompareExchange(ref _allocatedAtLastCollection, now, atLastCollection) == atLastCollection)
                {
                    var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
                    ProviderBuffers.LetGo();
                    FlowRunner.GiveMemoryBack();
                    LogGaveBack(logger, (before - GC.GetGCMemoryInfo().TotalCommittedBytes) / 1048576.0, (now - atLastCollection) / 1048576.0);
                }

                atLastTick = GC.GetTotalAllocatedBytes();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server stops.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Idle: collected and gave back {Mb:0.0} MB of the heap ({AllocatedMb:0.0} MB allocated since the last idle collection)")]
    private static partial void LogGaveBack(ILogger logger, double mb, double allocatedMb);
}
