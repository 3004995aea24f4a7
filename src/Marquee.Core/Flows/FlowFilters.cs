namespace Marquee.Core.Flows;

/// <summary>What a flow looks at. Empty lists mean "all".</summary>
public sealed record FlowFilters
{
    public IReadOnlyList<string> Libraries { get; init; } = [];

    public IReadOnlyList<string> Profiles { get; init; } = [];

    public IReadOnlyList<string> IgnoreGuidPrefixes { get; init; } = ["local://"];

    public bool RequireExternalIds { get; init; } = true;

    /// <summary>Gets how editions of a movie (a Director's Cut beside its base version) are synced: one of <see cref="EditionPolicy"/>.</summary>
    public string Editions { get; init; } = EditionPolicy.Edition;

    /// <summary>
    /// Gets a value indicating whether a movie the profile has watched leaves the watchlist: it is not added to the other
    /// side, and in mirror mode (after the first run) it is removed from the lists the flow writes. Trakt drops a watched
    /// title by itself; this does the same for Plex.
    /// </summary>
    public bool WatchedLeavesWatchlist { get; init; }
}

/// <summary>How a flow syncs the editions of a movie, which share the movie's ids.</summary>
public static class EditionPolicy
{
    /// <summary>Each edition is its own item: matched edition to edition, and to the base version where the other side lacks it.</summary>
    public const string Edition = "edition";

    /// <summary>Every edition counts as the base version: a watch of any edition is written to the base version.</summary>
    public const string Base = "base";

    /// <summary>Editions are left out (as Plex's own sync does); base versions and copies are synced.</summary>
    public const string Skip = "skip";

    public static IReadOnlyList<string> All { get; } = [Edition, Base, Skip];
}
