using Marquee.Core.Items;

namespace Marquee.Core.Providers;

/// <summary>
/// One item as a connection lists it. <see cref="Ids"/> are the item's own canonical ids; for an episode
/// without usable ids of its own, <see cref="ShowIds"/> with <see cref="Season"/> and <see cref="Episode"/> identify it.
/// A multi-episode file is listed once per episode it contains, each with the same <see cref="PartKey"/>, or
/// once with <see cref="EpisodeEnd"/> set when the provider lists it as one item. Optional numbers and times are kept
/// packed (<see cref="Packed"/>): a full run holds one listed item per item and side.
/// </summary>
public sealed record SourceItem
{
    private readonly int _year = Packed.NoNumber;
    private readonly int _season = Packed.NoNumber;
    private readonly int _episode = Packed.NoNumber;
    private readonly int _episodeEnd = Packed.NoNumber;
    private readonly long _durationMs = Packed.None;
    private readonly long _updatedAt = Packed.None;

    public required string LocalKey { get; init; }

    public required MediaKind Kind { get; init; }

    public string? Title { get; init; }

    public int? Year { get => Packed.Int(_year); init => _year = Packed.Pack(value); }

    /// <summary>Gets the primary id exactly as the source gave it (a Plex guid such as local://4003), for diagnostics and ignore filters.</summary>
    public string? RawId { get; init; }

    public IReadOnlyList<ExternalId> Ids { get; init; } = [];

    public string? ShowLocalKey { get; init; }

    public string? ShowTitle { get; init; }

    public IReadOnlyList<ExternalId> ShowIds { get; init; } = [];

    public int? Season { get => Packed.Int(_season); init => _season = Packed.Pack(value); }

    public int? Episode { get => Packed.Int(_episode); init => _episode = Packed.Pack(value); }

    public int? EpisodeEnd { get => Packed.Int(_episodeEnd); init => _episodeEnd = Packed.Pack(value); }

    public string? Edition { get; init; }

    /// <summary>
    /// Gets a key that items of one connection share when the server keeps one state for all of them (Plex keeps user
    /// state per account and guid, so an edition with its base's guid is watched when the base is); null when every
    /// item has a state of its own.
    /// </summary>
    public string? SharedStateKey { get; init; }

    public string? Library { get; init; }

    public string? PartKey { get; init; }

    /// <summary>
    /// Gets a value indicating whether the server keeps one watched state for every item with this <see cref="PartKey"/>
    /// (one item holding several episodes, listed once per episode): marking one watched marks them all.
    /// </summary>
    public bool WatchedWithPart { get; init; }

    public long? DurationMs { get => Packed.Long(_durationMs); init => _durationMs = Packed.Pack(value); }

    public DateTimeOffset? UpdatedAt { get => Packed.Time(_updatedAt); init => _updatedAt = Packed.Pack(value); }

    /// <summary>Gets the item's labels (tags) as the source lists them; empty when it has none or does not list them.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
}
