using System.Diagnostics;
using System.Runtime.CompilerServices;
using Marquee.Bench.Sync;
using Marquee.Core.Flows;
using Marquee.Core.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Bench.Tests;

/// <summary>
/// What a full run's caller holds when the run ends (the report and the planned writes in it) outlives the collection at
/// the run's end, and is collected a few seconds later by the runner itself, with nothing else asking for a collection:
/// a server idle after a run goes back to its idle size.
/// </summary>
[Collection(nameof(CollectorAlone))]
[Trait("Category", "Scenario")]
public sealed class IdleCollectionTests
{
    [Fact]
    public async Task WhatAFullRunsCallerHeld_IsCollectedOnceTheRunnerIsIdle()
    {
        await using var set = await TwoWayWorld.StartAsync(new WorldSize(Movies: 400, Shows: 2, LatencyMs: 0, Differing: 0.1), features: [FlowFeature.Watched]);
        var (world, flow) = (set.World, set.Flow);

        var (report, ended) = await RunAndLetGoAsync(world, flow);

        Assert.True(report.IsAlive, "the report was collected at the run's end: nothing is left for the idle collection to show");
        // Until the runner's own (blocking) collection has run too, so that none is left to come while the other tests
        // that watch the collector run.
        var waited = Stopwatch.StartNew();
        while ((report.IsAlive || LastBlockingFull() <= ended) && waited.Elapsed < FlowRunner.IdleGiveBack * 4)
        {
            await Task.Delay(100);
        }

        Assert.False(report.IsAlive, $"the run's report was still held {waited.Elapsed.TotalSeconds:0.0} s after the run");
        Assert.True(LastBlockingFull() > ended, "no blocking full collection after the run");
    }

    /// <summary>Runs the flow in full through the runner, as the server does, and keeps only a weak reference to its report.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<(WeakReference Report, long Ended)> RunAndLetGoAsync(ReferenceWorld world, Flow flow)
    {
        await using var scope = world.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<FlowRunner>().RunAsync(flow, new SyncOptions { Trigger = "test" }, null, CancellationToken.None);
        Assert.Equal(RunStatus.Done, report.Run.Status);
        Assert.True(report.Run.Written > 0, "the run wrote nothing");
        return (new WeakReference(report), LastBlockingFull());
    }

    private static long LastBlockingFull() => GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
}
