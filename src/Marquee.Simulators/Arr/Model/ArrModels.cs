namespace Marquee.Simulators.Arr.Model;

/// <summary>A tag: labels are stored lower-case; items carry tag ids.</summary>
public sealed record ArrTag(int Id, string Label);

/// <summary>A Radarr movie. Mutable fields change only under the state's lock.</summary>
public sealed class ArrMovie
{
    public required int Id { get; init; }

    public required string Title { get; set; }

    public int Year { get; init; }

    public int TmdbId { get; init; }

    public string? ImdbId { get; init; }

    public required string Path { get; init; }

    public required string RootFolderPath { get; init; }

    public bool Monitored { get; set; } = true;

    public int MovieFileId { get; set; }

    public bool HasFile => MovieFileId != 0;

    public long SizeOnDisk { get; set; }

    public int Runtime { get; init; }

    public DateTimeOffset Added { get; init; }

    public SortedSet<int> Tags { get; } = [];
}

/// <summary>A Sonarr series with its seasons' monitored flags.</summary>
public sealed class ArrSeries
{
    public required int Id { get; init; }

    public required string Title { get; set; }

    public int Year { get; init; }

    public int TvdbId { get; init; }

    public int TmdbId { get; init; }

    public string? ImdbId { get; init; }

    public required string Path { get; init; }

    public required string RootFolderPath { get; init; }

    /// <summary><c>standard</c>, <c>daily</c> or <c>anime</c>.</summary>
    public string SeriesType { get; init; } = "standard";

    public bool Monitored { get; set; } = true;

    public DateTimeOffset Added { get; init; }

    public SortedSet<int> Tags { get; } = [];

    /// <summary>Season number → monitored.</summary>
    public SortedDictionary<int, bool> Seasons { get; } = [];
}

/// <summary>A Sonarr episode.</summary>
public sealed class ArrEpisode
{
    public required int Id { get; init; }

    public required int SeriesId { get; init; }

    public int TvdbId { get; init; }

    public int SeasonNumber { get; init; }

    public int EpisodeNumber { get; init; }

    public required string Title { get; init; }

    public DateOnly? AirDate { get; init; }

    public int EpisodeFileId { get; set; }

    public bool HasFile => EpisodeFileId != 0;

    public bool Monitored { get; set; } = true;

    public int Runtime { get; init; }
}

/// <summary>A webhook connection registered through <c>/api/v3/notification</c>, as the application stores it.</summary>
public sealed record ArrNotification(int Id, string Name, Uri Url, string Method, string? Username, string? Password, IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyDictionary<string, bool> Triggers, System.Text.Json.Nodes.JsonObject Resource)
{
    /// <summary>Whether the connection asked for <paramref name="eventType"/> (Test is always sent).</summary>
    public bool Wants(string eventType) => eventType == "Test" || eventType switch
    {
        "Grab" => On("onGrab"),
        "Download" => On("onDownload"),
        "Upgrade" => On("onUpgrade"),
        "Rename" => On("onRename"),
        "MovieAdded" => On("onMovieAdded"),
        "SeriesAdd" => On("onSeriesAdd"),
        "MovieDelete" => On("onMovieDelete"),
        "SeriesDelete" => On("onSeriesDelete"),
        "MovieFileDelete" => On("onMovieFileDelete"),
        "EpisodeFileDelete" => On("onEpisodeFileDelete"),
        _ => false,
    };

    private bool On(string name) => Triggers.TryGetValue(name, out var on) && on;
}

/// <summary>One webhook the simulator posted, and what the receiver answered (0: no answer).</summary>
public sealed record ArrWebhookDelivery(int NotificationId, string EventType, string Method, Uri Url, string Body, int Status, DateTimeOffset At);
