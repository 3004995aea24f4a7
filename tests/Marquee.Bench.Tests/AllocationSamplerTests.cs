using Marquee.Bench.Infrastructure;
using Marquee.TestKit;

namespace Marquee.Bench.Tests;

/// <summary>The benchmark's allocation sampler names the types a measured part allocates.</summary>
public sealed class AllocationSamplerTests
{
    [Fact]
    public async Task ManyObjectsOfOneType_AreSampledAndReportedByName()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "allocations.txt");
        using var sampler = new AllocationSampler(file);
        var kept = new List<SampledMarker>();

        // About 40 MB of one type, in rounds, until the runtime's ticks (one per about 100 KB, delivered on their own thread) name it.
        for (var round = 0; round < 50 && sampler.BytesOf(nameof(SampledMarker)) < 10_000_000; round++)
        {
            kept.Clear();
            for (var i = 0; i < 20_000; i++)
            {
                kept.Add(new SampledMarker(i, i, i, i));
            }

            await Task.Delay(100);
        }

        sampler.Report();

        Assert.True(sampler.BytesOf(nameof(SampledMarker)) >= 10_000_000, $"sampled {sampler.BytesOf(nameof(SampledMarker))} bytes of markers");
        Assert.Contains(nameof(SampledMarker), await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        Assert.Equal(0, sampler.BytesOf("NoSuchTypeWasAllocated"));
    }

    /// <summary>
    /// The report is written while the runtime's ticks still arrive on their own thread, often naming types not seen
    /// before: it must read one consistent table (it failed with an ArgumentException when it sorted the growing table).
    /// </summary>
    [Fact]
    public async Task Report_WhileNewTypesArrive_ReadsOneConsistentTable()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "allocations.txt");
        using var sampler = new AllocationSampler(file);
        var adding = Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                sampler.Add($"Type{i}", 100_000);
            }
        });

        // Reports while the table grows, then one more.
        var reports = 0;
        while (!adding.IsCompleted)
        {
            sampler.Report(top: 3);
            reports++;
        }

        await adding;
        sampler.Report(top: 3);
        reports++;

        Assert.True(sampler.BytesOf("Type") > 0);
        Assert.Equal(reports, (await File.ReadAllLinesAsync(file)).Count(l => l.StartsWith("allocations sampled:", StringComparison.Ordinal)));
    }

    private sealed record SampledMarker(long A, long B, long C, long D);
}
