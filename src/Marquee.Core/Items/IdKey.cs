using System.Globalization;

namespace Marquee.Core.Items;

/// <summary>
/// A normalized external id of one of the common canonical forms packed into two numbers, for an index that holds every
/// id of a library (a full run's identity index holds hundreds of thousands): an IMDb <c>tt</c> id, a decimal TMDB, TVDB,
/// AniDB or TVmaze number, or a Plex online id (<c>movie/</c>, <c>show/</c>, <c>season/</c> or <c>episode/</c> and 24
/// lower-case hex digits). Two ids packed this way are equal exactly when their texts are: packing keeps every digit
/// (an IMDb id's leading zeros by its digit count) and refuses any text it could not give back exactly (a number with a
/// leading zero, upper-case hex, an unknown scheme or Plex type). What does not pack is kept by its text.
/// </summary>
public readonly record struct IdKey(long High, long Low)
{
    private const int SchemeShift = 56;
    private const int PlexTypeShift = 48;
    private const int MaxDigits = 18;
    private const string PlexGuidPrefix = "plex://";
    private static readonly string[] PlexTypes = ["movie", "show", "season", "episode"];

    /// <summary>Packs a normalized id (lower-case scheme, trimmed value); false when its form is not one of the packed ones.</summary>
    public static bool TryPack(ExternalId id, out IdKey key)
    {
        key = default;
        var value = id.Value.AsSpan();
        switch (id.Scheme)
        {
            case ExternalId.Imdb:
                if (value.Length > 2 && value.StartsWith("tt", StringComparison.Ordinal) && TryDigits(value[2..], leadingZeros: true, out var imdb))
                {
                    key = new IdKey(Code(1) | (long)(value.Length - 2), imdb);
                    return true;
                }

                return false;
            case ExternalId.Tmdb:
                return TryNumber(2, value, out key);
            case ExternalId.Tvdb:
                return TryNumber(3, value, out key);
            case ExternalId.AniDb:
                return TryNumber(4, value, out key);
            case ExternalId.TvMaze:
                return TryNumber(5, value, out key);
            case ExternalId.Plex:
                return TryPlex(value, out key);
            default:
                return false;
        }
    }

    /// <summary>Packs a Plex guid of the common form (<c>plex://{type}/{24 lower-case hex}</c>); false for any other text.</summary>
    public static bool TryPackPlexGuid(string rawId, out IdKey key)
    {
        key = default;
        return rawId.StartsWith(PlexGuidPrefix, StringComparison.Ordinal) && TryPlex(rawId.AsSpan(PlexGuidPrefix.Length), out key);
    }

    /// <summary>The Plex guid a key of <see cref="TryPackPlexGuid"/> was packed from, as it was.</summary>
    public string ToPlexGuid() => (int)(High >> SchemeShift) == 6
        ? PlexGuidPrefix + ToExternalId().Value
        : throw new InvalidOperationException($"Not a packed Plex guid: {High:x16} {Low:x16}.");

    /// <summary>The id this key was packed from, its text as it was: packing keeps every digit, so the text is given back exactly.</summary>
    public ExternalId ToExternalId()
    {
        var scheme = (int)(High >> SchemeShift);
        return scheme switch
        {
            1 => new ExternalId(ExternalId.Imdb, string.Create(CultureInfo.InvariantCulture, $"tt{Low.ToString(CultureInfo.InvariantCulture).PadLeft((int)(High & 0xFF), '0')}")),
            2 => new ExternalId(ExternalId.Tmdb, Low.ToString(CultureInfo.InvariantCulture)),
            3 => new ExternalId(ExternalId.Tvdb, Low.ToString(CultureInfo.InvariantCulture)),
            4 => new ExternalId(ExternalId.AniDb, Low.ToString(CultureInfo.InvariantCulture)),
            5 => new ExternalId(ExternalId.TvMaze, Low.ToString(CultureInfo.InvariantCulture)),
            6 => new ExternalId(ExternalId.Plex, string.Create(CultureInfo.InvariantCulture, $"{PlexTypes[(int)((High >> PlexTypeShift) & 0xFF)]}/{High & 0xFFFFFFFF:x8}{Low:x16}")),
            _ => throw new InvalidOperationException($"Not a packed id: {High:x16} {Low:x16}."),
        };
    }

    private static long Code(int scheme) => (long)scheme << SchemeShift;

    private static bool TryNumber(int scheme, ReadOnlySpan<char> value, out IdKey key)
    {
        if (TryDigits(value, leadingZeros: false, out var number))
        {
            key = new IdKey(Code(scheme), number);
            return true;
        }

        key = default;
        return false;
    }

    /// <summary>ASCII digits only, at most 18 (so any of them fits a long); without leading zeros unless asked, "0" itself allowed.</summary>
    private static bool TryDigits(ReadOnlySpan<char> digits, bool leadingZeros, out long number)
    {
        number = 0;
        if (digits.Length is 0 or > MaxDigits || (!leadingZeros && digits.Length > 1 && digits[0] == '0'))
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            number = (number * 10) + (c - '0');
        }

        return true;
    }

    /// <summary><c>{type}/{24 lower-case hex}</c>: the type's index and the hex's first 8 digits in the high number, its last 16 in the low.</summary>
    private static bool TryPlex(ReadOnlySpan<char> value, out IdKey key)
    {
        key = default;
        var slash = value.IndexOf('/');
        if (slash <= 0 || value.Length - slash - 1 != 24)
        {
            return false;
        }

        var name = value[..slash];
        var type = -1;
        for (var i = 0; i < PlexTypes.Length && type < 0; i++)
        {
            type = name.SequenceEqual(PlexTypes[i]) ? i : -1;
        }

        if (type < 0)
        {
            return false;
        }

        var hex = value[(slash + 1)..];
        if (!TryHex(hex[..8], out var high) || !TryHex(hex[8..], out var low))
        {
            return false;
        }

        key = new IdKey(Code(6) | ((long)type << PlexTypeShift) | high, low);
        return true;
    }

    private static bool TryHex(ReadOnlySpan<char> hex, out long number)
    {
        ulong result = 0;
        foreach (var c in hex)
        {
            int digit;
            if (char.IsAsciiDigit(c))
            {
                digit = c - '0';
            }
            else if (c is >= 'a' and <= 'f')
            {
                digit = c - 'a' + 10;
            }
            else
            {
                number = 0;
                return false;
            }

            result = (result << 4) | (uint)digit;
        }

        number = unchecked((long)result);
        return true;
    }
}
