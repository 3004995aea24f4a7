using System.Text.Json;
using System.Text.Json.Serialization;
using Marquee.Providers.Json;

namespace Marquee.Providers.Plex.Models;

/// <summary>Source-generated serialisation of every Plex wire type, with the lenient converters of PLEX-API.md 1.3.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(LenientStringConverter), typeof(LenientLongConverter), typeof(LenientIntConverter), typeof(LenientDoubleConverter), typeof(LenientBoolConverter)])]
[JsonSerializable(typeof(PlexResponse))]
[JsonSerializable(typeof(PlexListing))]
[JsonSerializable(typeof(PlexTvUser))]
[JsonSerializable(typeof(PlexPin))]
[JsonSerializable(typeof(List<PlexResource>))]
[JsonSerializable(typeof(PlexHome))]
[JsonSerializable(typeof(PlexTvErrors))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class PlexJson : JsonSerializerContext;
