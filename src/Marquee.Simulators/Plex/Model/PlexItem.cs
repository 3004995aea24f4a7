namespace Marquee.Simulators.Plex.Model;

public enum ItemType : byte
{
    Movie = 1,
    Show = 2,
    Season = 3,
    Episode = 4,
}

/// <summary>
/// One library item. Fields hold immutable values and are replaced whole under the library lock,
/// so readers outside the lock always see a consistent value per field. Every replacement moves
/// <see cref="Revision"/> on, which is what tells a cached section listing it may be out of date.
/// </summary>
public sealed class PlexItem
{
    private static long _revision;

    /// <summary>
    /// Gets a number that grows whenever a field of any item is set, wherever that happens (the state's writes,
    /// the control API, or a test editing an item it holds). Read it before reading items: a change made after
    /// the read moves it on.
    /// </summary>
    public static long Revision => Interlocked.Read(ref _revision);

    public required int RatingKey { get; init; }

    public required ItemType Type { get; init; }

    public required int SectionId { get; init; }

    public PlexItem? Parent { get; set => Set(ref field, value); }

    public List<PlexItem>? Children { get; set => Set(ref field, value); }

    public int Index { get; set => Set(ref field, value); }

    public required string Title { get; set => Set(ref field, value); }

    public string? TitleSort { get; set => Set(ref field, value); }

    public int Year { get; set => Set(ref field, value); }

    public long Duration { get; set => Set(ref field, value); }

    public long AddedAt { get; set => Set(ref field, value); }

    public long UpdatedAt { get; set => Set(ref field, value); }

    public required string PrimaryGuid { get; set => Set(ref field, value); }

    /// <summary>External ids (imdb://, tmdb://, tvdb://); empty for legacy agents and local items.</summary>
    public string[] ExternalGuids { get; set => Set(ref field, value); } = [];

    /// <summary>The ids the title really has (imdb://, tmdb://, tvdb://, anidb://, tvmaze://), whatever agent matched it; other simulators list these.</summary>
    public string[] SourceIds { get; set => Set(ref field, value); } = [];

    public int[] Labels { get; set => Set(ref field, value); } = [];

    public bool LabelLocked { get; set => Set(ref field, value); }

    public string? EditionTitle { get; set => Set(ref field, value); }

    public int MediaId { get; set => Set(ref field, value); }

    public int PartId { get; set => Set(ref field, value); }

    public string? File { get; set => Set(ref field, value); }

    /// <summary>A show's folder on disk (its <c>Location</c>); null for other types.</summary>
    public string? Folder { get; set => Set(ref field, value); }

    public int VideoHeight { get; set => Set(ref field, value); } = 1080;

    public string? OriginallyAvailableAt { get; set => Set(ref field, value); }

    public string? Studio { get; set => Set(ref field, value); }

    public string? ContentRating { get; set => Set(ref field, value); }

    public string? Summary { get; set => Set(ref field, value); }

    /// <summary>Media file gone; <c>emptyTrash</c> removes the item.</summary>
    public bool Unavailable { get; set => Set(ref field, value); }

    /// <summary>When the file went missing (<c>deletedAt</c>, Unix seconds); 0 while available.</summary>
    public long DeletedAt { get; set => Set(ref field, value); }

    public bool Deleted { get; set => Set(ref field, value); }

    public string Key => Type is ItemType.Show or ItemType.Season ? $"/library/metadata/{RatingKey}/children" : $"/library/metadata/{RatingKey}";

    public PlexItem? Show => Type == ItemType.Episode ? Parent?.Parent : Type == ItemType.Season ? Parent : null;

    public string TypeName => Type switch
    {
        ItemType.Movie => "movie",
        ItemType.Show => "show",
        ItemType.Season => "season",
        _ => "episode",
    };

    public bool IsLeaf => Type is ItemType.Movie or ItemType.Episode;

    public IEnumerable<PlexItem> Leaves()
    {
        if (IsLeaf)
        {
            yield return this;
            yield break;
        }

        foreach (var child in Children ?? [])
        {
            if (child.Deleted)
            {
                continue;
            }

            foreach (var leaf in child.Leaves())
            {
                yield return leaf;
            }
        }
    }

    public static string TypeNameOf(int type) => type switch
    {
        1 => "movie",
        2 => "show",
        3 => "season",
        4 => "episode",
        _ => "unknown",
    };

    /// <summary>Stores a field's new value, then moves <see cref="Revision"/> on: in this order, whoever reads the new revision sees the new value.</summary>
    private static void Set<T>(ref T slot, T value)
    {
        slot = value;
        Interlocked.Increment(ref _revision);
    }
}

/// <summary>Per-account state of one item (keyed by account and primary guid, as Plex does).</summary>
public readonly record struct UserState(int ViewCount, long LastViewedAt, long ViewOffset, double? UserRating, long LastRatedAt)
{
    public bool IsEmpty => ViewCount == 0 && LastViewedAt == 0 && ViewOffset == 0 && UserRating is null && LastRatedAt == 0;
}

public sealed record HistoryRow(long Id, long AccountId, long DeviceId, int RatingKey, long ViewedAt);

public sealed class PlaySession
{
    public required string SessionKey { get; init; }

    public required string SessionId { get; init; }

    public required SimAccount Account { get; init; }

    public required string ClientIdentifier { get; init; }

    public required PlexItem Item { get; set; }

    public string State { get; set; } = "playing";

    public long ViewOffset { get; set; }

    public long Duration { get; set; }

    public bool Scrobbled { get; set; }

    public string Product { get; set; } = "Plex Web";

    public string Platform { get; set; } = "Chrome";

    public string DeviceName { get; set; } = "Chrome";

    public int PlayQueueId { get; init; }

    /// <summary><c>directplay</c>, <c>copy</c> or <c>transcode</c> for the video stream.</summary>
    public string VideoDecision { get; set; } = "directplay";

    /// <summary><c>directplay</c>, <c>copy</c> or <c>transcode</c> for the audio stream.</summary>
    public string AudioDecision { get; set; } = "directplay";

    /// <summary>Height of the picture sent to the player when transcoding (0: the source's).</summary>
    public int OutputHeight { get; set; }

    /// <summary><c>lan</c> or <c>wan</c>.</summary>
    public string Location { get; set; } = "lan";

    /// <summary>Kbps.</summary>
    public int Bandwidth { get; set; } = 12000;

    public string Address { get; set; } = "127.0.0.1";

    /// <summary>When the session was paused, Unix seconds (null while playing).</summary>
    public long? PausedAt { get; set; }

    public bool Transcoding => VideoDecision == "transcode" || AudioDecision == "transcode";
}

/// <summary>What a player received when its session was terminated (PLEX-API.md 6.2).</summary>
public sealed record Termination(string SessionId, string SessionKey, string Account, string ClientIdentifier, int RatingKey, string Reason, long At, bool Delivered);
