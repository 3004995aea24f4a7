using Marquee.Hosting;

namespace Marquee.Bench.Tests;

/// <summary>
/// The young generation is collected every few megabytes Marquee allocates, not every budget the CPU's cache gives the
/// runtime (16 MB on a 32 MB cache, far more on larger ones). It changes how this process collects, so it runs alone,
/// as the collector's other tests do.
/// </summary>
[Collection(nameof(CollectorAlone))]
public sealed class YoungGenerationPacerTests : IDisposable
{
    private const int Step = 1024 * 1024;

    /// <summary>The process's budget before the test, given back after it (xunit makes an instance per test).</summary>
    private readonly long _budget = YoungGenerationPacer.Budget;

    public void Dispose() => YoungGenerationPacer.Start(_budget / 1048576.0, _ => null);

    [Fact]
    public void Paced_TheYoungGenerationIsCollectedEveryBudget_NotEveryCacheSizedOne()
    {
        YoungGenerationPacer.Start(2, _ => null);
        var collections = YoungGenerationPacer.Collections;
        var young = GC.CollectionCount(0);

        // 240 MB of garbage at up to 200 MB a second, in 1 MB steps that each live until the next.
        byte[]? kept = null;
        for (var i = 0; i < 240; i++)
        {
            kept = Garbage(Step);
            if (i % 2 == 1)
            {
                Thread.Sleep(10);
            }
        }

        GC.KeepAlive(kept);
        var paced = YoungGenerationPacer.Collections - collections;
        var total = GC.CollectionCount(0) - young;

        // Every 2 MB plus what one 20 ms tick allocates (about 4 MB here) is 40 collections; the runtime alone, with a
        // cache-sized budget of 16 MB or more, would make 15 at most.
        Assert.True(paced >= 30, $"the pacer asked for {paced} young collections over 240 MB (all young collections: {total})");
        Assert.True(total >= 30, $"{total} young collections over 240 MB");
    }

    [Fact]
    public void Off_AsksForNoCollection()
    {
        YoungGenerationPacer.Start(0, _ => null);

        // A tick that read the budget before it was set to 0 may still be collecting.
        Thread.Sleep(YoungGenerationPacer.BusyTick * 3);
        var collections = YoungGenerationPacer.Collections;
        byte[]? kept = null;
        for (var i = 0; i < 60; i++)
        {
            kept = Garbage(Step);
            Thread.Sleep(5);
        }

        GC.KeepAlive(kept);
        Assert.Equal(0, YoungGenerationPacer.Budget);
        Assert.Equal(collections, YoungGenerationPacer.Collections);
    }

    [Fact]
    public void TheOwnersRuntimeSetting_Wins()
    {
        YoungGenerationPacer.Start(6, name => name == "DOTNET_GCgen0size" ? "0x600000" : null);
        Assert.Equal(0, YoungGenerationPacer.Budget);
        YoungGenerationPacer.Start(6, name => name == "COMPlus_GCgen0size" ? "0x600000" : null);
        Assert.Equal(0, YoungGenerationPacer.Budget);
        YoungGenerationPacer.Start(6, _ => null);
        Assert.Equal(6L * 1024 * 1024, YoungGenerationPacer.Budget);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0.5)]
    [InlineData(1025)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void OutOfRange_IsRefused_WithTheSettingsName(double megabytes)
    {
        Assert.Contains("Marquee:Memory:YoungGenerationMB", YoungGenerationPacer.Problem(megabytes), StringComparison.Ordinal);
        var budget = YoungGenerationPacer.Budget;
        Assert.Throws<ArgumentOutOfRangeException>(() => YoungGenerationPacer.Start(megabytes, _ => null));
        Assert.Equal(budget, YoungGenerationPacer.Budget);
    }

    [Theory]
    [InlineData(0, 6291456, false)]
    [InlineData(6291455, 6291456, false)]
    [InlineData(6291456, 6291456, true)]
    [InlineData(500_000_000, 0, false)]
    public void ShouldCollect_OnceTheBudgetIsAllocated(long allocated, long budget, bool expected) =>
        Assert.Equal(expected, YoungGenerationPacer.ShouldCollect(allocated, budget));

    [Theory]
    [InlineData(null, "6 MB")]
    [InlineData("0", "runtime")]
    [InlineData("2.5", "2.5 MB")]
    [InlineData("lots", "'lots' (not a number of megabytes)")]
    public void TheBenchRecords_WhoSizedTheYoungGeneration(string? setting, string expected)
    {
        Assert.Equal(expected, BenchRunner.YoungGeneration(name => name == "MARQUEE__Marquee__Memory__YoungGenerationMB" ? setting : null));
        Assert.Equal("runtime, GCgen0size=0x600000", BenchRunner.YoungGeneration(name => name == "DOTNET_GCgen0size" ? "0x600000" : null));
    }

    /// <summary>Allocates <paramref name="size"/> bytes in blocks below the large-object threshold (so in the young generation); returns the last.</summary>
    private static byte[] Garbage(int size)
    {
        var block = Array.Empty<byte>();
        for (var allocated = 0; allocated < size; allocated += 64 * 1024)
        {
            block = new byte[64 * 1024];
            block[^1] = 1;
        }

        return block;
    }
}
