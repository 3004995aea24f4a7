namespace Marquee.Simulators.Jellyfin.Model;

/// <summary>One library item: a movie, series, season or episode. Replaced field by field under the state lock.</summary>
public sealed class JfItem
{
    public required string Id { get; init; }

    /// <summary>Gets the BaseItemKind: Movie, Series, Season or Episode.</summary>
    public required string Type { get; init; }

    public required string Name { get; set; }

    public required string Library { get; init; }

    public string? SortName { get; set; }

    public int? Year { get; set; }

    public long? RunTimeTicks { get; set; }

    public string? Path { get; set; }

    public Dictionary<string, string> ProviderIds { get; set; } = new(StringComparer.Ordinal);

    public string? ParentId { get; set; }

    public string? SeriesId { get; set; }

    public string? SeriesName { get; set; }

    public string? SeasonId { get; set; }

    public int? ParentIndexNumber { get; set; }

    public int? IndexNumber { get; set; }

    public int? IndexNumberEnd { get; set; }

    public DateTimeOffset DateCreated { get; set; }

    public DateTimeOffset DateLastSaved { get; set; }

    /// <summary>Gets or sets the Plex simulator ratingKey of the same title (the first episode for a multi-episode file), for cross-simulator tests.</summary>
    public int PlexRatingKey { get; set; }

    public bool IsFolder => Type is "Series" or "Season";
}
