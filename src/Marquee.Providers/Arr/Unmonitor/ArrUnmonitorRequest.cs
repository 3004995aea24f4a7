using System.Text.Json.Serialization;

namespace Marquee.Providers.Arr.Unmonitor;

/// <summary>
/// The payload of an <c>arr-unmonitor</c> outbox delivery: a movie (by TMDB or IMDb id) or an episode (by the show's
/// TVDB id, season and episode) that a chosen profile watched, to unmonitor in one Radarr or Sonarr connection.
/// </summary>
/// <param name="ConnectionId">The Radarr or Sonarr connection.</param>
/// <param name="Profile">The profile that watched it.</param>
/// <param name="MediaType"><c>movie</c> or <c>episode</c>.</param>
/// <param name="Tmdb">The movie's TMDB id (or the show's, for an episode).</param>
/// <param name="Imdb">The movie's IMDb id.</param>
/// <param name="Tvdb">The show's TVDB id, for an episode.</param>
/// <param name="Season">The season number, for an episode.</param>
/// <param name="Episode">The episode number, for an episode.</param>
/// <param name="Title">What was watched, for listings and logs.</param>
/// <param name="Trigger"><c>live</c> (a watch event) or <c>catch-up</c> (the scheduled read of watch state).</param>
public sealed record ArrUnmonitorRequest(
    long ConnectionId,
    string Profile,
    string MediaType,
    int? Tmdb,
    string? Imdb,
    int? Tvdb,
    int? Season,
    int? Episode,
    string? Title,
    string Trigger)
{
    public const string Kind = "arr-unmonitor";

    /// <summary>Gets the journal feature of unmonitor writes.</summary>
    public const string Feature = "monitored";

    /// <summary>Gets the item's identity in this connection's terms: one unmonitor per item and mode, whichever path saw the watch.</summary>
    [JsonIgnore]
    public string ItemKey => MediaType == "movie"
        ? (Tmdb is { } tmdb ? $"movie/tmdb/{tmdb}" : $"movie/imdb/{Imdb}")
        : $"episode/tvdb/{Tvdb}/{Season}/{Episode}";

    /// <summary>Gets the idempotency key: an item is unmonitored once per mode (an undo is not fought by the next watch or catch-up).</summary>
    public string IdempotencyKey(bool dryRun) => $"{Kind}:{ConnectionId}:{ItemKey}:{(dryRun ? "dry-run" : "unmonitor")}";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ArrUnmonitorRequest))]
internal sealed partial class ArrUnmonitorJson : JsonSerializerContext;
