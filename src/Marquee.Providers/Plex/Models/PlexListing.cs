using System.Text.Json;
using System.Text.Json.Serialization;
using Marquee.Providers.Json;

namespace Marquee.Providers.Plex.Models;

// A library listing is most of what a full run reads (about 900,000 items on the reference library), so its items are
// read into a type of their own that names only what a run uses: every other field of an item (its thumbs, keys, file
// paths, media details) is skipped by the reader instead of becoming a string that is thrown away.

/// <summary>A page of a section listing or a metadata read (<c>/library/sections/{id}/all</c>, <c>/library/metadata/{ids}</c>).</summary>
public sealed record PlexListing
{
    [JsonPropertyName("MediaContainer")]
    public PlexListingContainer? MediaContainer { get; set; }
}

public sealed record PlexListingContainer
{
    public int Size { get; set; }

    public long? TotalSize { get; set; }

    public long? Offset { get; set; }

    [JsonPropertyName("Metadata")]
    public List<PlexListed>? Metadata { get; set; }
}

/// <summary>
/// One movie, show or episode of a listing, with only the fields a run and label sync read (PLEX-API.md 4.5), read by
/// <see cref="PlexListedConverter"/>: <c>guid</c> is <see cref="PrimaryGuid"/>, <c>Guid</c> gives <see cref="GuidIds"/>, <c>Media</c>
/// gives <see cref="PartKey"/>, the others go by their camel-case names.
/// </summary>
[JsonConverter(typeof(PlexListedConverter))]
public sealed record PlexListed
{
    // The optional numbers are kept as plain values with one bit each for "given", not as nullables: a nullable long
    // takes 16 bytes where its value takes 8, and a first sync reads every item of every account once. Not with the
    // store's sentinels (Packed: int.MinValue, long.MinValue, NaN for "none"): those are values a server may send, and
    // this reader must give what the full answer's reader gives for every one of them.
    private Number _given;
    private int _year;
    private int _index;
    private int _parentIndex;
    private int _viewCount;
    private long _duration;
    private long _viewOffset;
    private long _lastViewedAt;
    private long _lastRatedAt;
    private long _updatedAt;
    private double _userRating;

    [Flags]
    private enum Number : ushort
    {
        Year = 1,
        Index = 1 << 1,
        ParentIndex = 1 << 2,
        Duration = 1 << 3,
        ViewCount = 1 << 4,
        ViewOffset = 1 << 5,
        LastViewedAt = 1 << 6,
        UserRating = 1 << 7,
        LastRatedAt = 1 << 8,
        UpdatedAt = 1 << 9,
    }

    public string? RatingKey { get; set; }

    public string? PrimaryGuid { get; set; }

    public string? Type { get; set; }

    public string? Title { get; set; }

    public int? Year { get => Given(Number.Year, _year); set => Keep(Number.Year, ref _year, value); }

    public string? EditionTitle { get; set; }

    public int? Index { get => Given(Number.Index, _index); set => Keep(Number.Index, ref _index, value); }

    public int? ParentIndex { get => Given(Number.ParentIndex, _parentIndex); set => Keep(Number.ParentIndex, ref _parentIndex, value); }

    public string? GrandparentRatingKey { get; set; }

    public string? GrandparentTitle { get; set; }

    public string? GrandparentGuid { get; set; }

    public long? Duration { get => Given(Number.Duration, _duration); set => Keep(Number.Duration, ref _duration, value); }

    public int? ViewCount { get => Given(Number.ViewCount, _viewCount); set => Keep(Number.ViewCount, ref _viewCount, value); }

    public long? ViewOffset { get => Given(Number.ViewOffset, _viewOffset); set => Keep(Number.ViewOffset, ref _viewOffset, value); }

    public long? LastViewedAt { get => Given(Number.LastViewedAt, _lastViewedAt); set => Keep(Number.LastViewedAt, ref _lastViewedAt, value); }

    public double? UserRating { get => Given(Number.UserRating, _userRating); set => Keep(Number.UserRating, ref _userRating, value); }

    public long? LastRatedAt { get => Given(Number.LastRatedAt, _lastRatedAt); set => Keep(Number.LastRatedAt, ref _lastRatedAt, value); }

    public long? UpdatedAt { get => Given(Number.UpdatedAt, _updatedAt); set => Keep(Number.UpdatedAt, ref _updatedAt, value); }

    public string? LibrarySectionID { get; set; }

    public string? LibrarySectionTitle { get; set; }

    /// <summary>
    /// Gets or sets the ids the item's <c>Guid[]</c> entries name (<see cref="PlexGuidParser.External"/>: in order, each once,
    /// without plex:// ones), read in place by <see cref="PlexListedConverter"/>; null when the item has no <c>Guid</c>.
    /// </summary>
    public IReadOnlyList<Marquee.Core.Items.ExternalId>? GuidIds { get; set; }

    public List<PlexTag>? Label { get; set; }

    /// <summary>Gets or sets the first part of the item's first media that has one: its <c>id</c>, else its <c>key</c> (read from <c>Media[].Part[]</c>).</summary>
    public string? PartKey { get; set; }

    private T? Given<T>(Number number, T value)
        where T : struct => (_given & number) != 0 ? value : null;

    private void Keep<T>(Number number, ref T field, T? value)
        where T : struct
    {
        field = value.GetValueOrDefault();
        _given = value.HasValue ? _given | number : _given & ~number;
    }

    /// <summary>Names the show's key for <see cref="RepeatedStringConverter{TField}"/>.</summary>
    internal sealed class ShowKey;

    /// <summary>Names the show's title for <see cref="RepeatedStringConverter{TField}"/>.</summary>
    internal sealed class ShowTitle;

    /// <summary>Names the show's guid for <see cref="RepeatedStringConverter{TField}"/>.</summary>
    internal sealed class ShowGuid;

    /// <summary>Names the section's id for <see cref="RepeatedStringConverter{TField}"/>.</summary>
    internal sealed class SectionId;

    /// <summary>Names the section's title for <see cref="RepeatedStringConverter{TField}"/>.</summary>
    internal sealed class SectionTitle;
}

/// <summary>
/// A value that repeats from one item to the next (an episode's show: its key, title and guid; an item's section), given as the same string
/// as an item before when it is the same text. Each thread keeps the last few values it read for each field (one
/// <typeparamref name="TField"/> per field); a listing is parsed on one thread from start to end, so its episodes of one
/// show share one string where each had its own copy.
/// </summary>
/// <typeparam name="TField">Names the field whose values are kept.</typeparam>
internal sealed class RepeatedStringConverter<TField> : JsonConverter<string>
{
    private const int Kept = 4;
    private static readonly LenientStringConverter Lenient = new();

    [ThreadStatic]
    private static string?[]? _lastValues;

    [ThreadStatic]
    private static int _nextSlot;

    [ThreadStatic]
    private static (byte[] Bytes, string Text)? _lastNumber;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && !reader.HasValueSequence)
        {
            // A number given for a string (a section's id): the last one's text when it is the same number as written.
            if (_lastNumber is { } number && reader.ValueSpan.SequenceEqual(number.Bytes))
            {
                return number.Text;
            }

            var text = Lenient.Read(ref reader, typeToConvert, options)!;
            _lastNumber = (reader.ValueSpan.ToArray(), text);
            return text;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return Lenient.Read(ref reader, typeToConvert, options);
        }

        var last = _lastValues ??= new string?[Kept];
        foreach (var seen in last)
        {
            if (seen is not null && reader.ValueTextEquals(seen))
            {
                return seen;
            }
        }

        var value = reader.GetString()!;
        last[_nextSlot] = value;
        _nextSlot = (_nextSlot + 1) % Kept;
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>An item's <c>type</c>, with the four a listing carries given as one shared string each instead of a copy per item.</summary>
internal sealed class PlexTypeConverter : JsonConverter<string>
{
    private static readonly LenientStringConverter Lenient = new();

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("episode"u8))
            {
                return "episode";
            }

            if (reader.ValueTextEquals("movie"u8))
            {
                return "movie";
            }

            if (reader.ValueTextEquals("show"u8))
            {
                return "show";
            }

            if (reader.ValueTextEquals("season"u8))
            {
                return "season";
            }
        }

        return Lenient.Read(ref reader, typeToConvert, options);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>
/// Reads <c>Media[]</c> down to the one value a run keeps: the first part's <c>id</c> (a string or a number), else its
/// <c>key</c>, as <c>Media.SelectMany(m => m.Part).First()</c> would give it. Everything else of the media and parts is
/// skipped. The shapes are checked as the full reader checks them: <c>Media</c> and <c>Part</c> are lists (or null) of
/// objects, an id a string, number or boolean.
/// </summary>
internal sealed class PlexFirstPartConverter : JsonConverter<string>
{
    private static readonly LenientStringConverter Lenient = new();

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var first = new FirstPart();
        if (!StartList(ref reader, "Media"))
        {
            return null;
        }

        while (NextObject(ref reader, "Media"))
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isPart = reader.ValueTextEquals("Part"u8);
                reader.Read();
                if (isPart)
                {
                    ReadParts(ref reader, options, ref first);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return first.Value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => throw new NotSupportedException("A listing's parts are read, never written.");

    private static void ReadParts(ref Utf8JsonReader reader, JsonSerializerOptions options, ref FirstPart first)
    {
        if (!StartList(ref reader, "Part"))
        {
            return;
        }

        while (NextObject(ref reader, "Part"))
        {
            var wanted = !first.Seen;
            string? id = null;
            string? key = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var which = !wanted ? 0 : reader.ValueTextEquals("id"u8) ? 1 : reader.ValueTextEquals("key"u8) ? 2 : 0;
                reader.Read();
                switch (which)
                {
                    case 1:
                        id = Lenient.Read(ref reader, typeof(string), options);
                        break;
                    case 2:
                        key = Lenient.Read(ref reader, typeof(string), options);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (wanted)
            {
                first = new FirstPart { Seen = true, Value = id ?? key };
            }
        }
    }

    /// <summary>Whether the value is a list (false for null); anything else fails the answer, as the full reader does.</summary>
    internal static bool StartList(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.Null => false,
        JsonTokenType.StartArray => true,
        _ => throw new JsonException($"Expected {name} to be a list, got {reader.TokenType}."),
    };

    /// <summary>Moves to the list's next object (true) or its end (false).</summary>
    private static bool NextObject(ref Utf8JsonReader reader, string name)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            return false;
        }

        return reader.TokenType == JsonTokenType.StartObject ? true : throw new JsonException($"Expected the items of {name} to be objects, got {reader.TokenType}.");
    }

    private struct FirstPart
    {
        public bool Seen;
        public string? Value;
    }
}
