using System.Text.Json.Serialization;
using Marquee.Providers.Json;

namespace Marquee.Providers.Seerr;

/// <summary><c>pageInfo</c> of a list answer (SEERR-API.md section 2): <c>results</c> is the total count.</summary>
public sealed record SeerrPageInfo(int Pages, int PageSize, int Results, int Page);

/// <summary>A user as embedded in a request (section 5.2).</summary>
public sealed record SeerrUserWire(int Id, long? PlexId, string? PlexUsername, string? Username, string? DisplayName);

/// <summary>The media of a request (section 6.2).</summary>
public sealed record SeerrMediaWire(int Id, string? MediaType, int? TmdbId, int? TvdbId, int Status);

/// <summary>A request (section 4.2).</summary>
public sealed record SeerrRequestWire(int Id, int Status, string? Type, SeerrMediaWire? Media, SeerrUserWire? RequestedBy);

/// <summary><c>GET /api/v1/request</c>.</summary>
public sealed record SeerrRequestPage(SeerrPageInfo? PageInfo, IReadOnlyList<SeerrRequestWire>? Results);

/// <summary>Source-generated serialisation of the Seerr wire types (camelCase), numbers read leniently.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(LenientStringConverter), typeof(LenientLongConverter), typeof(LenientIntConverter)])]
[JsonSerializable(typeof(SeerrRequestPage))]
[JsonSerializable(typeof(SeerrRequestWire))]
[JsonSerializable(typeof(SeerrUserWire))]
internal sealed partial class SeerrJson : JsonSerializerContext;
