using System.Buffers;

namespace Marquee.Providers.Http;

/// <summary>
/// Reads a whole answer into a chain of chunks before it is parsed. A streaming parser grows one buffer by doubling
/// while a single token (an endless JSON string) does not end, which takes about three times the size cap; chunks take
/// the body's own size, so an answer costs at most the cap (Marquee:Providers:MaxResponseBytes) whatever the server sends.
/// </summary>
internal static class BodyBuffer
{
    private const int FirstChunk = 16 * 1024;
    private const int LargestChunk = 64 * 1024; // below the large object heap's 85,000 bytes, so an abandoned answer is collected with the young objects

    public static async Task<ReadOnlySequence<byte>> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        Chunk? first = null;
        Chunk? last = null;
        var size = FirstChunk;
        while (true)
        {
            var buffer = new byte[size];
            var filled = 0;
            int read;
            do
            {
                read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                filled += read;
            }
            while (read > 0 && filled < buffer.Length);

            if (filled > 0)
            {
                var chunk = new Chunk(buffer.AsMemory(0, filled), last is null ? 0 : last.RunningIndex + last.Memory.Length);
                if (last is null)
                {
                    first = chunk;
                }
                else
                {
                    last.Next = chunk;
                }

                last = chunk;
            }

            if (read == 0)
            {
                return first is null ? ReadOnlySequence<byte>.Empty
                    : ReferenceEquals(first, last) ? new ReadOnlySequence<byte>(first.Memory)
                    : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
            }

            size = Math.Min(size * 2, LargestChunk);
        }
    }

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public new Chunk? Next
        {
            get => (Chunk?)base.Next;
            set => base.Next = value;
        }
    }
}
