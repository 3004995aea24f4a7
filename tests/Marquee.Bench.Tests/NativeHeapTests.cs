using System.Runtime.InteropServices;
using Marquee.Bench.Infrastructure;
using Marquee.Core.Sync;

namespace Marquee.Bench.Tests;

/// <summary>
/// What native code frees in the middle of glibc's heap stays resident until the heap is asked to give it back; the
/// collection after a full run (<see cref="FlowRunner.GiveMemoryBack"/>) asks. It reads the process's resident memory,
/// so it runs alone, as the collector's tests do.
/// </summary>
[Collection(nameof(CollectorAlone))]
public sealed class NativeHeapTests
{
    private const int Blocks = 2048;
    private const int BlockSize = 32 * 1024;
    private const int KeeperSize = 4 * 1024;

    [Fact]
    public void GiveBack_ReturnsFreedNativeMemory_ThatFreeingAloneKeeps()
    {
        // On one thread, so in one arena: 64 MB in blocks small enough to come from the heap (not from mappings of their
        // own), each touched and each followed by a smaller block that stays allocated. Freeing the large ones leaves their
        // pages free between kept blocks, where glibc keeps them: nothing joins the heap's end, which free alone trims
        // (a process that has run other tests hands out warm memory, so a single block kept at the end is not enough).
        (bool Kept, long FreedRss, long GivenBackRss) result = default;
        var thread = new Thread(() =>
        {
            var blocks = new nint[Blocks];
            var keepers = new nint[Blocks];
            for (var i = 0; i < Blocks; i++)
            {
                blocks[i] = Touch(Marshal.AllocHGlobal(BlockSize), BlockSize);
                keepers[i] = Touch(Marshal.AllocHGlobal(KeeperSize), KeeperSize);
            }

            foreach (var block in blocks)
            {
                Marshal.FreeHGlobal(block);
            }

            var freed = ProcessStats.RssBytes();
            var kept = NativeHeap.GiveBack();
            result = (kept, freed, ProcessStats.RssBytes());
            foreach (var keeper in keepers)
            {
                Marshal.FreeHGlobal(keeper);
            }
        });
        thread.Start();
        thread.Join();
        var (kept, freedRss, givenBackRss) = result;

        Assert.True(kept, "malloc_trim released nothing");
        Assert.True(freedRss - givenBackRss > 32L * 1024 * 1024, $"resident {freedRss / 1048576} MB after freeing, {givenBackRss / 1048576} MB after giving back");
    }

    private static nint Touch(nint block, int size)
    {
        for (var offset = 0; offset < size; offset += 4096)
        {
            Marshal.WriteByte(block, offset, 1);
        }

        return block;
    }
}
