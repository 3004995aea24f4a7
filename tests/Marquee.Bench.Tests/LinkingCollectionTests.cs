using Marquee.Bench.Sync;
using Marquee.Core.Sync;

namespace Marquee.Bench.Tests;

/// <summary>Tests that watch the collector itself: run after the others, alone, so no other test's run collects meanwhile.</summary>
[CollectionDefinition(nameof(CollectorAlone), DisableParallelization = true)]
public sealed class CollectorAlone;

/// <summary>
/// A run's first profile creates an item for nearly everything it lists, and what linking them needed (each entry's guid,
/// file and library, the resolver's new ids) is collected once the links are stored, before observing and the ledger
/// commit allocate on top of it; a profile that creates nothing asks for no collection. Watched through the index of the
/// collector's last blocking full collection (its own full collections run in the background).
/// </summary>
[Collection(nameof(CollectorAlone))]
[Trait("Category", "Scenario")]
public sealed class LinkingCollectionTests
{
    [Fact]
    public async Task AFirstRunsFirstProfile_IsCollectedOnceLinked_LaterProfilesAndARerunAreNot()
    {
        await using var set = await TwoWayWorld.StartAsync(new WorldSize(Movies: 1_200, Shows: 4, LatencyMs: 0, Differing: 0.1));
        var (world, flow) = (set.World, set.Flow);
        var collected = new List<bool>();
        var before = 0L;
        world.Timer.IdentitySaving = changes => before = LastBlockingFull();
        world.Timer.LedgerCommitting = commit =>
        {
            // The writes' commits may come from several threads at once.
            lock (collected)
            {
                collected.Add(LastBlockingFull() > before);
            }
        };

        var first = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, first.Run.Status);
        Assert.True(first.Run.Written > 0, "the first run wrote nothing");
        Assert.True(first.Run.Written < SyncService.ManyWrites, $"{first.Run.Written} writes: the run hands its memory back before them");
        // One commit per profile, then those of the writes.
        Assert.True(collected.Count > world.Accounts.Count, $"{collected.Count} ledger commits");
        Assert.True(collected[0], "the first profile's linking was not collected before its ledger commit");
        Assert.All(collected.Skip(1), Assert.False);

        collected.Clear();
        await world.AdvanceClockAsync(TimeSpan.FromHours(1));
        var rerun = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, rerun.Run.Status);
        Assert.Equal(world.Accounts.Count, collected.Count);
        Assert.All(collected, Assert.False);
    }

    /// <summary>
    /// A run that plans many writes hands back what its reading needed before the first of them (one blocking full
    /// collection after its last profile's ledger commit); a run with fewer writes goes on to them without one.
    /// </summary>
    [Theory]
    [InlineData(0.9, true)]
    [InlineData(0.0, false)]
    public async Task ARunWithManyWrites_HandsItsMemoryBackBeforeTheFirst(double diverged, bool many)
    {
        await using var set = await TwoWayWorld.StartAsync(new WorldSize(Movies: 1_200, Shows: 4, LatencyMs: 0, Differing: 0.1), diverged > 0 ? (diverged, 1) : null);
        var (world, flow) = (set.World, set.Flow);
        var commits = new List<long>();
        var atFirstWrite = -1L;
        world.Timer.LedgerCommitting = commit =>
        {
            lock (commits)
            {
                commits.Add(LastBlockingFull());
            }
        };
        world.Timer.WriteStarting = () =>
        {
            lock (commits)
            {
                if (atFirstWrite < 0)
                {
                    atFirstWrite = LastBlockingFull();
                }
            }
        };

        var run = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, run.Run.Status);
        Assert.True(many == run.Run.Written >= SyncService.ManyWrites, $"{run.Run.Written} writes");
        Assert.True(atFirstWrite >= 0, "no write was sent");
        // The profiles' commits come before the first write; the writes' own commits after it.
        var lastProfileCommit = commits[world.Accounts.Count - 1];
        Assert.Equal(many, atFirstWrite > lastProfileCommit);
    }

    /// <summary>
    /// A full run that finds the store filled collects what indexing the stored snapshot left (its lists, the lowest-key
    /// table, the tables the trim copied out of) before it reads its first listing, the snapshot itself among it (watched
    /// through a weak reference, never collected by the test); a first run, whose store holds nothing, asks for no
    /// collection there. Fails without the collection.
    /// </summary>
    [Fact]
    public async Task AFullRunOfAFilledStore_IsCollectedOnceIndexed_BeforeItsFirstListing_AFirstRunIsNot()
    {
        await using var set = await TwoWayWorld.StartAsync(new WorldSize(Movies: 1_200, Shows: 4, LatencyMs: 0, Differing: 0.1));
        var (world, flow) = (set.World, set.Flow);
        var gate = new object();
        var (loaded, stored, atFirstListing) = (-1L, -1, -1L);
        var snapshotAlive = true;
        WeakReference<object>? keys = null;
        world.Timer.SnapshotLoaded = snapshot =>
        {
            lock (gate)
            {
                (loaded, stored, atFirstListing) = (LastBlockingFull(), snapshot.SourceItems.Count, -1L);
                keys = new WeakReference<object>(snapshot.SourceItems);
            }
        };
        world.Timer.ListingStarted = account =>
        {
            // Both sides' listings start at once.
            lock (gate)
            {
                if (atFirstListing < 0)
                {
                    atFirstListing = LastBlockingFull();
                    snapshotAlive = keys!.TryGetTarget(out _);
                }
            }
        };

        var first = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, first.Run.Status);
        Assert.Equal(0, stored);
        Assert.True(atFirstListing >= 0, "the first run read no listing");
        Assert.True(atFirstListing == loaded, "the first run collected between its (empty) snapshot and its first listing");

        await world.AdvanceClockAsync(TimeSpan.FromHours(1));
        var rerun = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, rerun.Run.Status);
        Assert.True(stored >= SyncService.ManyIndexed, $"{stored} stored local keys");
        Assert.True(atFirstListing > loaded, "the rerun read its first listing with what indexing the snapshot left uncollected");
        Assert.False(snapshotAlive, "the stored snapshot's list of local keys was still in memory when the first listing started");
    }

    private static long LastBlockingFull() => GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
}
