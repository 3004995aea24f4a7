using System.Text.Json.Serialization;
using Marquee.Providers.Json;

namespace Marquee.Providers.Arr.Models;

/// <summary><c>GET /api/v3/system/status</c>: what identifies the application.</summary>
public sealed record ArrSystemStatus(string? AppName, string? InstanceName, string? Version, string? UrlBase);

/// <summary>Source-generated serialisation of the Radarr/Sonarr wire types (camelCase); numbers and booleans are read leniently.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(LenientStringConverter), typeof(LenientLongConverter), typeof(LenientIntConverter), typeof(LenientDoubleConverter), typeof(LenientBoolConverter)])]
[JsonSerializable(typeof(ArrSystemStatus))]
internal sealed partial class ArrJson : JsonSerializerContext;
