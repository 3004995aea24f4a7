namespace Marquee.Core.Flows;

/// <summary>The kinds of state a flow can carry.</summary>
public static class FlowFeature
{
    public const string Watched = "watched";
    public const string Ratings = "ratings";
    public const string Progress = "progress";
    public const string Watchlist = "watchlist";

    public static IReadOnlyList<string> All { get; } = [Watched, Ratings, Progress, Watchlist];

    /// <summary>Maps accepted spellings ("history" is the same as "watched") to the canonical feature.</summary>
    public static string? Normalize(string value) => value.Trim().ToLowerInvariant() switch
    {
        "watched" or "history" => Watched,
        "ratings" or "rating" => Ratings,
        "progress" => Progress,
        "watchlist" => Watchlist,
        _ => null,
    };
}
