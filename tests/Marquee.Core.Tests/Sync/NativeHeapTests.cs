using System.Runtime.InteropServices;
using Marquee.Core.Sync;

namespace Marquee.Core.Tests.Sync;

/// <summary>
/// What native code frees in the middle of glibc's heap stays resident until the heap is asked to give it back; the
/// collection after a full run (<see cref="FlowRunner.GiveMemoryBack"/>) asks.
/// </summary>
public sealed class NativeHeapTests
{
    private const int Blocks = 4096;
    private const int BlockSize = 16 * 1024;

    [Fact]
    public void GiveBack_ReturnsFreedNativeMemory_ThatFreeingAloneKeeps()
    {
        // Allocated and freed on one thread, so in one arena: 64 MB in blocks small enough to come from the heap (not from
        // their own mappings), each touched, then a block after them that keeps the heap's end in use, so freeing the
        // others leaves free pages in its middle, which glibc keeps.
        (bool Kept, long FreedRss, long GivenBackRss) result = default;
        var thread = new Thread(() =>
        {
            var blocks = new nint[Blocks];
            for (var i = 0; i < Blocks; i++)
            {
                blocks[i] = Touch(Marshal.AllocHGlobal(BlockSize));
            }

            var end = Marshal.AllocHGlobal(64);
            foreach (var block in blocks)
            {
                Marshal.FreeHGlobal(block);
            }

            var freed = Rss();
            var kept = NativeHeap.GiveBack();
            result = (kept, freed, Rss());
            Marshal.FreeHGlobal(end);
        });
        thread.Start();
        thread.Join();
        var (kept, freedRss, givenBackRss) = result;

        Assert.True(kept, "malloc_trim released nothing");
        Assert.True(freedRss - givenBackRss > 32L * 1024 * 1024, $"resident {freedRss / 1048576} MB after freeing, {givenBackRss / 1048576} MB after giving back");
    }

    private static nint Touch(nint block)
    {
        for (var offset = 0; offset < BlockSize; offset += 4096)
        {
            Marshal.WriteByte(block, offset, 1);
        }

        return block;
    }

    private static long Rss()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
