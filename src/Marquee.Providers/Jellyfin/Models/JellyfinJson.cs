using System.Text.Json.Serialization;
using Marquee.Providers.Json;

namespace Marquee.Providers.Jellyfin.Models;

/// <summary>Source-generated serialisation of the Jellyfin/Emby wire types; numbers and booleans are read leniently.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(LenientStringConverter), typeof(LenientLongConverter), typeof(LenientIntConverter), typeof(LenientDoubleConverter), typeof(LenientBoolConverter)])]
[JsonSerializable(typeof(JellyfinItemsResponse))]
[JsonSerializable(typeof(JellyfinUserData))]
[JsonSerializable(typeof(List<JellyfinUser>))]
[JsonSerializable(typeof(JellyfinUser))]
[JsonSerializable(typeof(JellyfinAuthResult))]
[JsonSerializable(typeof(JellyfinLogin))]
[JsonSerializable(typeof(JellyfinSystemInfo))]
[JsonSerializable(typeof(JellyfinUserDataUpdate))]
internal sealed partial class JellyfinJson : JsonSerializerContext;
