using System.Text.Json;
using Marquee.Core.Webhooks;

namespace Marquee.Data.Stores;

/// <summary>What a live event carries besides its identity (title, player, position…), kept as JSON with the event for notifications.</summary>
internal sealed record LiveEventDetail(
    string? EventType,
    string? SourceEvent,
    string? Title,
    string? ShowTitle,
    int? Season,
    int? Episode,
    int? Year,
    string? Player,
    string? Platform,
    string? SessionKey,
    long? PositionMs,
    long? DurationMs,
    double? Rating,
    string? Poster = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string Write(LiveEvent e) => JsonSerializer.Serialize(
        new LiveEventDetail(e.EventType, e.SourceEvent, e.Title, e.ShowTitle, e.Season, e.Episode, e.Year, e.Player, e.Platform, e.SessionKey, e.PositionMs, e.DurationMs, e.Rating, e.Poster),
        Json);

    public static LiveEvent Apply(LiveEvent e, string? json)
    {
        if (string.IsNullOrEmpty(json) || JsonSerializer.Deserialize<LiveEventDetail>(json, Json) is not { } d)
        {
            return e;
        }

        return e with
        {
            EventType = d.EventType,
            SourceEvent = d.SourceEvent,
            Title = d.Title,
            ShowTitle = d.ShowTitle,
            Season = d.Season,
            Episode = d.Episode,
            Year = d.Year,
            Player = d.Player,
            Platform = d.Platform,
            SessionKey = d.SessionKey,
            PositionMs = d.PositionMs,
            DurationMs = d.DurationMs,
            Rating = d.Rating,
            Poster = d.Poster,
        };
    }
}
