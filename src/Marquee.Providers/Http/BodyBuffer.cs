using System.Buffers;

namespace Marquee.Providers.Http;

/// <summary>
/// Reads a whole answer into a chain of chunks before it is parsed. A streaming parser grows one buffer by doubling
/// while a single token (an endless JSON string) does not end, which takes about three times the size cap; chunks take
/// the body's own size, so an answer costs at most the cap (Marquee:Providers:MaxResponseBytes) whatever the server sends.
/// The chunks are rented from the shared array pool and go back to it when the body is disposed (after it is parsed, or
/// when reading fails): a full run reads hundreds of listing pages of a megabyte or more, and fresh chunks for each were
/// a fifth of everything it allocated. A body of several chunks up to <see cref="JoinLimit"/> is then copied into one
/// array: the JSON reader reads one span several times faster than a chain of segments, and a listing page is a megabyte
/// or two, so the copy costs far less than it saves and at most that much again for a moment. Those arrays come from a
/// small pool of their own that keeps at most two (<see cref="JoinedArrays"/>), not from the shared pool, which keeps
/// one for each thread that parsed a page until it trims them a minute or more later: a server keeps a few megabytes
/// for them while it runs, not tens, and none once it has gone idle (<see cref="ProviderBuffers"/>).
/// </summary>
internal sealed class BodyBuffer : IDisposable
{
    private const int FirstChunk = 16 * 1024;
    private const int LargestChunk = 64 * 1024; // below the large object heap's 85,000 bytes

    /// <summary>The largest body copied into one array; a larger one (up to the size cap) is parsed as its chain of chunks.</summary>
    internal const int JoinLimit = 4 * 1024 * 1024;

    /// <summary>Gets the arrays bodies are joined into.</summary>
    internal static JoinedArrays Joined { get; } = new(kept: 2);

    private byte[]? _joined;

    private readonly List<byte[]> _rented = [];

    private BodyBuffer()
    {
    }

    /// <summary>Gets the body's bytes; valid until the buffer is disposed.</summary>
    public ReadOnlySequence<byte> Sequence { get; private set; }

    public static async Task<BodyBuffer> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var body = new BodyBuffer();
        try
        {
            await body.FillAsync(stream, cancellationToken);
            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Sequence = ReadOnlySequence<byte>.Empty;
        ReturnChunks();
        if (_joined is not null)
        {
            Joined.Return(_joined);
            _joined = null;
        }
    }

    private async Task FillAsync(Stream stream, CancellationToken cancellationToken)
    {
        Chunk? first = null;
        Chunk? last = null;
        var size = FirstChunk;
        while (true)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            _rented.Add(buffer);
            var filled = 0;
            int read;
            do
            {
                read = await stream.ReadAsync(buffer.AsMemory(filled, size - filled), cancellationToken);
                filled += read;
            }
            while (read > 0 && filled < size);

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
                var length = last is null ? 0 : last.RunningIndex + last.Memory.Length;
                if (first is not null && !ReferenceEquals(first, last) && length <= JoinLimit)
                {
                    Join(first, (int)length);
                    return;
                }

                Sequence = first is null ? ReadOnlySequence<byte>.Empty
                    : ReferenceEquals(first, last) ? new ReadOnlySequence<byte>(first.Memory)
                    : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
                return;
            }

            size = Math.Min(size * 2, LargestChunk);
        }
    }

    /// <summary>Copies the chunks into one rented array and gives them back.</summary>
    private void Join(Chunk first, int length)
    {
        var joined = Joined.Rent(length);
        var at = 0;
        for (var chunk = first; chunk is not null; chunk = chunk.Next)
        {
            chunk.Memory.Span.CopyTo(joined.AsSpan(at));
            at += chunk.Memory.Length;
        }

        ReturnChunks();
        _joined = joined;
        Sequence = new ReadOnlySequence<byte>(joined, 0, length);
    }

    private void ReturnChunks()
    {
        foreach (var chunk in _rented)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        _rented.Clear();
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
