namespace Marquee.Providers.Http;

/// <summary>
/// The arrays answers are joined into (<see cref="BodyBuffer"/>): at most <c>kept</c> are kept between uses, whatever
/// their sizes, each a multiple of <see cref="Step"/> at least as large as the answer. A full run reads both servers'
/// listing pages at once, a megabyte or two each, so two arrays are in use at a time. A pool with a bucket per power of
/// two kept two of every size a page had come in (256 KB to 2 MB: 7.5 MB held at the no-change run's peak for two pages
/// in flight), and gave a page of 1.1 MB an array of 2 MB.
/// </summary>
internal sealed class JoinedArrays(int kept)
{
    /// <summary>What an array's length is a multiple of, so pages of about one size share arrays.</summary>
    internal const int Step = 128 * 1024;

    private readonly byte[]?[] _kept = new byte[kept][];
    private readonly Lock _lock = new();

    /// <summary>Gets how many bytes the kept arrays hold.</summary>
    public long KeptBytes
    {
        get
        {
            lock (_lock)
            {
                return _kept.Sum(a => (long)(a?.Length ?? 0));
            }
        }
    }

    /// <summary>The smallest kept array of at least <paramref name="length"/> bytes, else a new one (its bytes not cleared: the caller fills them).</summary>
    public byte[] Rent(int length)
    {
        lock (_lock)
        {
            var best = -1;
            for (var i = 0; i < _kept.Length; i++)
            {
                if (_kept[i] is { } array && array.Length >= length && (best < 0 || array.Length < _kept[best]!.Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                var array = _kept[best]!;
                _kept[best] = null;
                return array;
            }
        }

        return GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, ((long)length + Step - 1) / Step * Step));
    }

    /// <summary>Lets go of every kept array (the next answer makes its own); gives how many bytes they held.</summary>
    public long Clear()
    {
        lock (_lock)
        {
            var bytes = _kept.Sum(a => (long)(a?.Length ?? 0));
            Array.Clear(_kept);
            return bytes;
        }
    }

    /// <summary>Keeps the array in a free place, else instead of the smallest kept one when that is smaller; else lets it go.</summary>
    public void Return(byte[] array)
    {
        lock (_lock)
        {
            var slot = -1;
            for (var i = 0; i < _kept.Length; i++)
            {
                if (_kept[i] is null)
                {
                    _kept[i] = array;
                    return;
                }

                if (slot < 0 || _kept[i]!.Length < _kept[slot]!.Length)
                {
                    slot = i;
                }
            }

            if (slot >= 0 && _kept[slot]!.Length < array.Length)
            {
                _kept[slot] = array;
            }
        }
    }
}
