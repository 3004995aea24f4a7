using System.Text.Json.Serialization;
using Marquee.Providers.Json;

namespace Marquee.Providers.Shoko.Models;

/// <summary>Source-generated serialisation of the Shoko wire types (PascalCase, read without case); numbers and booleans are read leniently.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(LenientStringConverter), typeof(LenientLongConverter), typeof(LenientIntConverter), typeof(LenientDoubleConverter), typeof(LenientBoolConverter)])]
[JsonSerializable(typeof(ShokoLogin))]
[JsonSerializable(typeof(ShokoKey))]
[JsonSerializable(typeof(ShokoInitStatus))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(ShokoUserInfo))]
[JsonSerializable(typeof(List<ShokoUserInfo>))]
[JsonSerializable(typeof(ShokoPage<ShokoSeries>))]
[JsonSerializable(typeof(ShokoPage<ShokoEpisode>))]
[JsonSerializable(typeof(ShokoSeries))]
[JsonSerializable(typeof(ShokoEpisode))]
[JsonSerializable(typeof(ShokoFileStats))]
[JsonSerializable(typeof(ShokoEpisodeUserData))]
[JsonSerializable(typeof(string))]
internal sealed partial class ShokoJson : JsonSerializerContext;
