using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Marquee.Core.Sync;

/// <summary>
/// A 64-bit fingerprint of what a stored link (a connection's local key to an item) holds: the item, its kind, library,
/// guid and part key. The store keeps it beside the link, and a full run loads it with the link: a listed entry whose
/// fingerprint matches is stored as it is, so the run neither stores it again nor holds its guid, library and file
/// until it would have. The values are hashed with their lengths (a null apart from an empty string), so two different
/// sets of values share a fingerprint only by a 64-bit collision. Never <see cref="None"/> nor <see cref="long.MinValue"/>
/// (which a run's table of known keys keeps for a link it stored itself).
/// </summary>
public static class LinkFingerprint
{
    /// <summary>The fingerprint of a link stored before fingerprints were kept: it matches none.</summary>
    public const long None = 0;

    public static long Of(long itemId, string kind, string? library, string? rawId, string? partKey)
    {
        var chars = kind.Length + (library?.Length ?? 0) + (rawId?.Length ?? 0) + (partKey?.Length ?? 0);
        var size = sizeof(long) + (4 * sizeof(int)) + (chars * sizeof(char));
        byte[]? rented = null;
        var buffer = size <= 1024 ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size)).AsSpan(0, size);
        try
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer, itemId);
            var at = sizeof(long);
            foreach (var value in (ReadOnlySpan<string?>)[kind, library, rawId, partKey])
            {
                BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], value?.Length ?? -1);
                at += sizeof(int);
                if (value is not null)
                {
                    MemoryMarshal.AsBytes(value.AsSpan()).CopyTo(buffer[at..]);
                    at += value.Length * sizeof(char);
                }
            }

            var hash = (long)XxHash3.HashToUInt64(buffer);
            return hash is None or long.MinValue ? 1 : hash;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
