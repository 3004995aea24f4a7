using System.Text.Json;
using System.Text.Json.Serialization;
using Marquee.Core.Items;
using Marquee.Providers.Json;

namespace Marquee.Providers.Plex.Models;

/// <summary>
/// Reads a <see cref="PlexListed"/> field by field, as the generated reader would with the same lenient converters, but
/// naming each field by its length and bytes: a listed item carries about thirty fields of which a run reads a third,
/// and the generated reader looked every other one up in its table of names before skipping it (the largest share of the
/// reader's time in a full run's profile). Names are matched exactly (case and all), as the generated reader matches
/// them; a field that repeats takes its last value; an item that is not an object is a <see cref="JsonException"/>.
/// </summary>
internal sealed class PlexListedConverter : JsonConverter<PlexListed>
{
    private static readonly LenientStringConverter Text = new();
    private static readonly LenientIntConverter Int = new();
    private static readonly LenientLongConverter Long = new();
    private static readonly LenientDoubleConverter Double = new();
    private static readonly PlexTypeConverter TypeName = new();
    private static readonly RepeatedStringConverter<PlexListed.ShowKey> ShowKey = new();
    private static readonly RepeatedStringConverter<PlexListed.ShowTitle> ShowTitle = new();
    private static readonly RepeatedStringConverter<PlexListed.ShowGuid> ShowGuid = new();
    private static readonly RepeatedStringConverter<PlexListed.SectionId> SectionId = new();
    private static readonly RepeatedStringConverter<PlexListed.SectionTitle> SectionTitle = new();
    private static readonly PlexFirstPartConverter FirstPart = new();

    private enum Field
    {
        Other,
        RatingKey,
        PrimaryGuid,
        Type,
        Title,
        Year,
        EditionTitle,
        Index,
        ParentIndex,
        GrandparentRatingKey,
        GrandparentTitle,
        GrandparentGuid,
        Duration,
        ViewCount,
        ViewOffset,
        LastViewedAt,
        UserRating,
        LastRatedAt,
        UpdatedAt,
        LibrarySectionId,
        LibrarySectionTitle,
        Guids,
        Label,
        Media,
    }

    public override PlexListed? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a listed item to be an object, got {reader.TokenType}.");
        }

        // Every field is nullable: a null gives null, as the generated reader gives it (the string converters and the list
        // reader give null for it themselves).
        var item = new PlexListed();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = NameOf(ref reader);
            reader.Read();
            switch (field)
            {
                case Field.RatingKey:
                    item.RatingKey = Text.Read(ref reader, typeof(string), options);
                    break;
                case Field.PrimaryGuid:
                    item.PrimaryGuid = Text.Read(ref reader, typeof(string), options);
                    break;
                case Field.Type:
                    item.Type = TypeName.Read(ref reader, typeof(string), options);
                    break;
                case Field.Title:
                    item.Title = Text.Read(ref reader, typeof(string), options);
                    break;
                case Field.Year:
                    item.Year = OptInt(ref reader, options);
                    break;
                case Field.EditionTitle:
                    item.EditionTitle = Text.Read(ref reader, typeof(string), options);
                    break;
                case Field.Index:
                    item.Index = OptInt(ref reader, options);
                    break;
                case Field.ParentIndex:
                    item.ParentIndex = OptInt(ref reader, options);
                    break;
                case Field.GrandparentRatingKey:
                    item.GrandparentRatingKey = ShowKey.Read(ref reader, typeof(string), options);
                    break;
                case Field.GrandparentTitle:
                    item.GrandparentTitle = ShowTitle.Read(ref reader, typeof(string), options);
                    break;
                case Field.GrandparentGuid:
                    item.GrandparentGuid = ShowGuid.Read(ref reader, typeof(string), options);
                    break;
                case Field.Duration:
                    item.Duration = OptLong(ref reader, options);
                    break;
                case Field.ViewCount:
                    item.ViewCount = OptInt(ref reader, options);
                    break;
                case Field.ViewOffset:
                    item.ViewOffset = OptLong(ref reader, options);
                    break;
                case Field.LastViewedAt:
                    item.LastViewedAt = OptLong(ref reader, options);
                    break;
                case Field.UserRating:
                    item.UserRating = OptDouble(ref reader, options);
                    break;
                case Field.LastRatedAt:
                    item.LastRatedAt = OptLong(ref reader, options);
                    break;
                case Field.UpdatedAt:
                    item.UpdatedAt = OptLong(ref reader, options);
                    break;
                case Field.LibrarySectionId:
                    item.LibrarySectionID = SectionId.Read(ref reader, typeof(string), options);
                    break;
                case Field.LibrarySectionTitle:
                    item.LibrarySectionTitle = SectionTitle.Read(ref reader, typeof(string), options);
                    break;
                case Field.Guids:
                    item.GuidIds = GuidIds(ref reader, options);
                    break;
                case Field.Label:
                    item.Label = Tags(ref reader, "Label", options);
                    break;
                case Field.Media:
                    item.PartKey = FirstPart.Read(ref reader, typeof(string), options);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return item;
    }

    public override void Write(Utf8JsonWriter writer, PlexListed value, JsonSerializerOptions options) =>
        throw new NotSupportedException("A listed item is read, never written.");

    /// <summary>
    /// A list of tags (<c>Label</c>): each object's <c>id</c> and <c>tag</c>, as the generated reader of
    /// <see cref="PlexTag"/> gives them (a null entry stays null); read here, since a call into the generated reader for a
    /// nested value sets up a reading stack of its own each time (a third of a run's allocation when it was tried).
    /// </summary>
    private static List<PlexTag>? Tags(ref Utf8JsonReader reader, string name, JsonSerializerOptions options)
    {
        if (!PlexFirstPartConverter.StartList(ref reader, name))
        {
            return null;
        }

        var tags = new List<PlexTag>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                tags.Add(null!);
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"Expected the items of {name} to be objects, got {reader.TokenType}.");
            }

            var tag = new PlexTag();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var which = reader.ValueTextEquals("id"u8) ? 1 : reader.ValueTextEquals("tag"u8) ? 2 : 0;
                reader.Read();
                switch (which)
                {
                    case 1:
                        tag.Id = Text.Read(ref reader, typeof(string), options);
                        break;
                    case 2:
                        tag.Tag = Text.Read(ref reader, typeof(string), options);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            tags.Add(tag);
        }

        return tags;
    }

    /// <summary>
    /// The ids of a <c>Guid</c> list as <see cref="PlexGuidParser.External"/> gives them for the tags the generated reader
    /// reads (each entry's last <c>id</c>; an entry's <c>tag</c> checked as it checks it). An entry of a modern agent
    /// (imdb://, tmdb://…, nearly every entry of a listing) is read from its bytes: neither a tag nor a string of the whole
    /// guid is made for it, only one of the id it names.
    /// </summary>
    private static ExternalId[]? GuidIds(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (!PlexFirstPartConverter.StartList(ref reader, "Guid"))
        {
            return null;
        }

        // Gathered in this thread's list, then kept as an array of their number (the item keeps it until it is mapped).
        var ids = _guidIds ??= new List<ExternalId>(8);
        ids.Clear();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"Expected the items of Guid to be objects, got {reader.TokenType}.");
            }

            // The value's bytes stay where the reader found them while this item is read, so the last id is kept as
            // them when it is a plain string (no escapes, in one piece), else as the string the lenient reader gives.
            ReadOnlySpan<byte> bytes = default;
            string? text = null;
            var inBytes = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var which = reader.ValueTextEquals("id"u8) ? 1 : reader.ValueTextEquals("tag"u8) ? 2 : 0;
                reader.Read();
                switch (which)
                {
                    case 1 when reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence:
                        bytes = reader.ValueSpan;
                        inBytes = true;
                        break;
                    case 1:
                        text = Text.Read(ref reader, typeof(string), options);
                        inBytes = false;
                        break;
                    case 2 when LenientStringConverter.IsText(reader.TokenType):
                        break;
                    case 2:
                        throw LenientStringConverter.NotText(reader.TokenType);
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (!inBytes)
            {
                PlexGuidParser.AddExternal(text, ids);
            }
            else if (!PlexGuidParser.TryAddModern(bytes, ids))
            {
                PlexGuidParser.AddExternal(System.Text.Encoding.UTF8.GetString(bytes), ids);
            }
        }

        return ids.Count == 0 ? [] : [.. ids];
    }

    [ThreadStatic]
    private static List<ExternalId>? _guidIds;

    private static int? OptInt(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Int.Read(ref reader, typeof(int), options);

    private static long? OptLong(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Long.Read(ref reader, typeof(long), options);

    private static double? OptDouble(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Double.Read(ref reader, typeof(double), options);

    /// <summary>
    /// The field a property name names. An escaped name is unescaped first: no field's name is longer than 20 bytes, and
    /// an escape is at most six bytes per byte it stands for, so a name written in more than 120 bytes names no field.
    /// </summary>
    private static Field NameOf(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Name(reader.ValueSpan);
        }

        if (reader.ValueSpan.Length > MaxEscapedName)
        {
            return Field.Other;
        }

        Span<byte> unescaped = stackalloc byte[MaxEscapedName];
        return Name(unescaped[..reader.CopyString(unescaped)]);
    }

    private const int MaxEscapedName = 120;

    private static Field Name(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 => name.SequenceEqual("guid"u8) ? Field.PrimaryGuid
            : name.SequenceEqual("type"u8) ? Field.Type
            : name.SequenceEqual("year"u8) ? Field.Year
            : name.SequenceEqual("Guid"u8) ? Field.Guids
            : Field.Other,
        5 => name.SequenceEqual("title"u8) ? Field.Title
            : name.SequenceEqual("index"u8) ? Field.Index
            : name.SequenceEqual("Label"u8) ? Field.Label
            : name.SequenceEqual("Media"u8) ? Field.Media
            : Field.Other,
        8 => name.SequenceEqual("duration"u8) ? Field.Duration : Field.Other,
        9 => name.SequenceEqual("ratingKey"u8) ? Field.RatingKey
            : name.SequenceEqual("viewCount"u8) ? Field.ViewCount
            : name.SequenceEqual("updatedAt"u8) ? Field.UpdatedAt
            : Field.Other,
        10 => name.SequenceEqual("viewOffset"u8) ? Field.ViewOffset
            : name.SequenceEqual("userRating"u8) ? Field.UserRating
            : Field.Other,
        11 => name.SequenceEqual("parentIndex"u8) ? Field.ParentIndex
            : name.SequenceEqual("lastRatedAt"u8) ? Field.LastRatedAt
            : Field.Other,
        12 => name.SequenceEqual("editionTitle"u8) ? Field.EditionTitle
            : name.SequenceEqual("lastViewedAt"u8) ? Field.LastViewedAt
            : Field.Other,
        15 => name.SequenceEqual("grandparentGuid"u8) ? Field.GrandparentGuid : Field.Other,
        16 => name.SequenceEqual("grandparentTitle"u8) ? Field.GrandparentTitle
            : name.SequenceEqual("librarySectionID"u8) ? Field.LibrarySectionId
            : Field.Other,
        19 => name.SequenceEqual("librarySectionTitle"u8) ? Field.LibrarySectionTitle : Field.Other,
        20 => name.SequenceEqual("grandparentRatingKey"u8) ? Field.GrandparentRatingKey : Field.Other,
        _ => Field.Other,
    };
}
