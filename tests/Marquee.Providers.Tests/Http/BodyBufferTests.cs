using System.Buffers;
using Marquee.Providers.Http;

namespace Marquee.Providers.Tests.Http;

public sealed class BodyBufferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16 * 1024)]
    [InlineData((16 * 1024) + 1)]
    [InlineData(1_500_000)]
    [InlineData(BodyBuffer.JoinLimit)]
    public async Task ABodyUpToTheJoinLimit_IsOneSpan_WithEveryByte(int size)
    {
        var bytes = Bytes(size);

        using var body = await BodyBuffer.ReadAsync(new TrickleStream(bytes), CancellationToken.None);

        Assert.True(body.Sequence.IsSingleSegment);
        Assert.Equal(bytes, body.Sequence.ToArray());
    }

    [Fact]
    public async Task ABodyAboveTheJoinLimit_StaysAChainOfChunks_WithEveryByte()
    {
        var bytes = Bytes(BodyBuffer.JoinLimit + 100);

        using var body = await BodyBuffer.ReadAsync(new TrickleStream(bytes), CancellationToken.None);

        Assert.False(body.Sequence.IsSingleSegment);
        Assert.Equal(bytes, body.Sequence.ToArray());
    }

    private static byte[] Bytes(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Gives at most 7,000 bytes a read, as a network stream gives what has arrived.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 7_000)], cancellationToken);
    }
}
