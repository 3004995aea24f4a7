using System.Text.Json.Serialization;
using Marquee.Providers.Json;

namespace Marquee.Providers.Arr.Models;

/// <summary><c>GET /api/v3/system/status</c>: what identifies the application.</summary>
public sealed record ArrSystemStatus(string? AppName, string? InstanceName, string? Version, string? UrlBase);

/// <summary>A tag: the application stores labels lower-case.</summary>
public sealed record ArrTag(int Id, string? Label);

/// <summary>A Radarr movie, as much of it as Marquee reads.</summary>
public sealed record ArrMovie(int Id, string? Title, int Year, int TmdbId, string? ImdbId, bool Monitored, bool HasFile, string? Path, IReadOnlyList<int>? Tags);

/// <summary>A Sonarr season of a series, with its monitored flag.</summary>
public sealed record ArrSeason(int SeasonNumber, bool Monitored);

/// <summary>A Sonarr series, as much of it as Marquee reads.</summary>
public sealed record ArrSeries(int Id, string? Title, int Year, int TvdbId, int? TmdbId, string? ImdbId, bool Monitored, string? Path, IReadOnlyList<int>? Tags, IReadOnlyList<ArrSeason>? Seasons);

/// <summary>A Sonarr episode.</summary>
public sealed record ArrEpisode(int Id, int SeriesId, int SeasonNumber, int EpisodeNumber, string? Title, bool Monitored, bool HasFile, int? TvdbId);

/// <summary>A notification connection, as listed: only what finding Marquee's own entry needs.</summary>
public sealed record ArrNotificationSummary(int Id, string? Name, string? Implementation);

/// <summary><c>POST /api/v3/tag</c>.</summary>
public sealed record ArrTagRequest(string Label);

/// <summary><c>PUT /api/v3/movie/editor</c>: a monitored flag and/or tags applied to several movies at once.</summary>
public sealed record ArrMovieEditor(IReadOnlyList<int> MovieIds, bool? Monitored = null, IReadOnlyList<int>? Tags = null, string? ApplyTags = null);

/// <summary><c>PUT /api/v3/series/editor</c>.</summary>
public sealed record ArrSeriesEditor(IReadOnlyList<int> SeriesIds, bool? Monitored = null, IReadOnlyList<int>? Tags = null, string? ApplyTags = null);

/// <summary><c>PUT /api/v3/episode/monitor</c>.</summary>
public sealed record ArrEpisodeMonitor(IReadOnlyList<int> EpisodeIds, bool Monitored);

/// <summary><c>POST /api/v3/seasonpass</c>.</summary>
public sealed record ArrSeasonPass(IReadOnlyList<ArrSeasonPassSeries> Series);

public sealed record ArrSeasonPassSeries(int Id, IReadOnlyList<ArrSeason> Seasons);

/// <summary>Source-generated serialisation of the Radarr/Sonarr wire types (camelCase); numbers and booleans are read leniently.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(LenientStringConverter), typeof(LenientLongConverter), typeof(LenientIntConverter), typeof(LenientDoubleConverter), typeof(LenientBoolConverter)])]
[JsonSerializable(typeof(ArrSystemStatus))]
[JsonSerializable(typeof(IReadOnlyList<ArrTag>))]
[JsonSerializable(typeof(ArrTag))]
[JsonSerializable(typeof(IReadOnlyList<ArrMovie>))]
[JsonSerializable(typeof(IReadOnlyList<ArrSeries>))]
[JsonSerializable(typeof(IReadOnlyList<ArrEpisode>))]
[JsonSerializable(typeof(ArrMovie))]
[JsonSerializable(typeof(ArrSeries))]
[JsonSerializable(typeof(ArrEpisode))]
[JsonSerializable(typeof(IReadOnlyList<ArrNotificationSummary>))]
[JsonSerializable(typeof(ArrTagRequest))]
[JsonSerializable(typeof(ArrMovieEditor))]
[JsonSerializable(typeof(ArrSeriesEditor))]
[JsonSerializable(typeof(ArrEpisodeMonitor))]
[JsonSerializable(typeof(ArrSeasonPass))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class ArrJson : JsonSerializerContext;
