using System.Diagnostics;
using Marquee.Providers.Http;
using Marquee.Web.Health;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Health;

/// <summary>Tests that watch the process's collector: run after the others, alone, so the process is quiet when they wait.</summary>
[CollectionDefinition(nameof(IdleMemoryAlone), DisableParallelization = true)]
public sealed class IdleMemoryAlone;

public sealed class IdleMemoryTests
{
    [Theory]
    [InlineData(10_000_000, 9_900_000, 5_000_000, true)] // quiet since the last tick, 5 MB since the last collection
    [InlineData(10_000_000, 9_000_000, 5_000_000, false)] // 1 MB in the last tick: busy
    [InlineData(10_000_000, 9_900_000, 9_500_000, false)] // quiet, but only 0.5 MB since the last collection: not worth one
    [InlineData(10_000_000, 10_000_000, 10_000_000, false)] // nothing at all since the last collection
    public void ShouldCollect_OnlyWhenQuietAndWorthIt(long now, long atLastTick, long atLastCollection, bool expected)
    {
        Assert.Equal(expected, IdleMemory.ShouldCollect(now, atLastTick, atLastCollection));
    }
}

/// <summary>
/// A real server collects what its start and its requests left behind once the process goes quiet, and never while it
/// is busy: the young generation's garbage does not stay committed while the server idles.
/// </summary>
[Collection(nameof(IdleMemoryAlone))]
[Trait("Category", "Scenario")]
public sealed class IdleMemoryServerTests
{
    private static readonly TimeSpan Busy = IdleMemory.Tick * 2.5;

    [Fact]
    public async Task Server_CollectsOnceQuiet_NeverWhileBusy()
    {
        await using var app = await MarqueeApp.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            (await app.Client.GetAsync("/api/connections")).EnsureSuccessStatusCode();
        }

        // Busy: the process allocates about 10 MB a second, far over what a quiet tick allows.
        var busy = Stopwatch.StartNew();
        var kept = new byte[16][];
        while (busy.Elapsed < Busy)
        {
            for (var i = 0; i < 100; i++)
            {
                kept[i % kept.Length] = new byte[10_000];
            }

            await Task.Delay(100);
        }

        GC.KeepAlive(kept);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.StartsWith("Idle: collected", StringComparison.Ordinal));

        // A listing page's joined array kept from the last answer, as after a run.
        BodyBuffer.Joined.Return(new byte[JoinedArrays.Step]);
        Assert.True(BodyBuffer.Joined.KeptBytes >= JoinedArrays.Step);

        // Quiet: within two ticks the server asks for one collection, having let go of the kept buffers.
        var blockingBefore = LastBlockingFull();
        var quiet = Stopwatch.StartNew();
        while (!Collected(app) && quiet.Elapsed < IdleMemory.Tick * 4)
        {
            await Task.Delay(200);
        }

        Assert.True(Collected(app), $"no idle collection {quiet.Elapsed.TotalSeconds:0.0} s after the process went quiet:\n{app.Logs.AllText()}");
        Assert.True(LastBlockingFull() > blockingBefore, "the log says collected, but no blocking full collection ran");
        Assert.Equal(0, BodyBuffer.Joined.KeptBytes);
    }

    private static bool Collected(MarqueeApp app) =>
        app.Logs.Entries.Any(e => e.Category == typeof(IdleMemory).FullName && e.Message.StartsWith("Idle: collected", StringComparison.Ordinal));

    private static long LastBlockingFull() => GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
}
