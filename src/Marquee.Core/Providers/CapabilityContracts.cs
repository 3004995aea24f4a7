namespace Marquee.Core.Providers;

/// <summary>A library (section) of a connection as one account sees it.</summary>
public sealed record ProviderLibrary(string Key, string Title, string Type, string? Agent = null);

/// <summary>One play in a server's history.</summary>
public sealed record HistoryEntry(string? HistoryId, string? LocalKey, string Title, string? Type, DateTimeOffset ViewedAt, string? AccountLocalId, string? Library, string? ShowTitle, int? Season, int? Episode);

/// <summary>A playback in progress.</summary>
public sealed record PlaybackSession(string SessionId, string SessionKey, string LocalKey, string Title, string? UserId, string? UserName, string? Player, string? State, long? PositionMs, long? DurationMs)
{
    /// <summary>Gets the player's identifier (Plex: <c>Player.machineIdentifier</c>).</summary>
    public string? DeviceId { get; init; }

    /// <summary>Gets the player's platform (Android, iOS, Chrome…).</summary>
    public string? Platform { get; init; }

    /// <summary>Gets the player application (Plex for Android (TV), Plex Web…).</summary>
    public string? Product { get; init; }

    /// <summary>Gets a value indicating whether the player is outside the server's network.</summary>
    public bool Remote { get; init; }

    /// <summary>Gets the session's bandwidth in kbps.</summary>
    public long? BandwidthKbps { get; init; }

    /// <summary>Gets the video decision: directplay, copy or transcode.</summary>
    public string VideoDecision { get; init; } = "directplay";

    /// <summary>Gets the audio decision: directplay, copy or transcode.</summary>
    public string AudioDecision { get; init; } = "directplay";

    /// <summary>Gets the height of the source picture in lines (2160 for 4K), when known.</summary>
    public int? SourceHeight { get; init; }

    /// <summary>Gets the library (section) key.</summary>
    public string? LibraryKey { get; init; }

    /// <summary>Gets the library (section) title.</summary>
    public string? LibraryTitle { get; init; }
}

/// <summary>An entry of an account's online watchlist; <see cref="Key"/> is the id to remove it with.</summary>
public sealed record WatchlistEntry(string Key, string Title, string? Type, int? Year, IReadOnlyList<Items.ExternalId> Ids, DateTimeOffset? AddedAt);

/// <summary>Lists the libraries an account can see.</summary>
public interface ILibraryDirectory
{
    Task<IReadOnlyList<ProviderLibrary>> ListLibrariesAsync(ProviderAccount account, CancellationToken cancellationToken);
}

/// <summary>Reads plays recorded by the server.</summary>
public interface IHistorySource
{
    /// <summary>Streams the account's plays since <paramref name="since"/> (all when null), newest first.</summary>
    IAsyncEnumerable<HistoryEntry> ReadHistoryAsync(ProviderAccount account, DateTimeOffset? since, CancellationToken cancellationToken);
}

/// <summary>Lists and ends playbacks (owner only).</summary>
public interface ISessionManager
{
    Task<IReadOnlyList<PlaybackSession>> ListSessionsAsync(CancellationToken cancellationToken);

    /// <summary>Ends a playback; <paramref name="message"/> is shown to the viewer.</summary>
    Task TerminateSessionAsync(string sessionId, string message, CancellationToken cancellationToken);
}

/// <summary>Reads and edits item labels without losing labels it was not asked to change.</summary>
public interface ILabelManager
{
    Task<IReadOnlyList<string>> GetLabelsAsync(string localKey, CancellationToken cancellationToken);

    /// <summary>Adds labels and keeps the existing ones; <paramref name="lockField"/> locks the field against agent refreshes.</summary>
    Task AddLabelsAsync(string localKey, IReadOnlyCollection<string> labels, bool lockField, CancellationToken cancellationToken);

    Task RemoveLabelsAsync(string localKey, IReadOnlyCollection<string> labels, CancellationToken cancellationToken);
}

/// <summary>Library maintenance: removes items whose files are gone.</summary>
public interface ILibraryMaintenance
{
    /// <summary>Counts the items of a library whose files are gone (what emptying the trash would delete).</summary>
    Task<int> CountTrashAsync(string libraryKey, CancellationToken cancellationToken);

    Task EmptyTrashAsync(string libraryKey, CancellationToken cancellationToken);
}

/// <summary>An account's online watchlist.</summary>
public interface IWatchlist
{
    Task<IReadOnlyList<WatchlistEntry>> ReadWatchlistAsync(ProviderAccount account, CancellationToken cancellationToken);

    Task AddToWatchlistAsync(ProviderAccount account, string key, CancellationToken cancellationToken);

    Task RemoveFromWatchlistAsync(ProviderAccount account, string key, CancellationToken cancellationToken);
}

/// <summary>
/// A watchlist that can name an item another side listed: the key it gives the item, found from the entry's ids (Plex
/// asks Discover which online item carries them; Trakt derives the key from the ids). Null when nothing here carries them.
/// </summary>
public interface IWatchlistLookup
{
    Task<string?> FindWatchlistKeyAsync(ProviderAccount account, WatchlistEntry entry, CancellationToken cancellationToken);
}

/// <summary>One add to or removal from a watchlist, by the key the watchlist gives the item.</summary>
public sealed record WatchlistChange(string Key, bool Add);

/// <summary>A watchlist that takes many changes per request (Trakt: 100 items per POST at its write window).</summary>
public interface IWatchlistBatch
{
    /// <summary>Sends the changes; returns, in their order, null for each the server took, or why it failed.</summary>
    Task<IReadOnlyList<ProviderException?>> ChangeWatchlistAsync(ProviderAccount account, IReadOnlyList<WatchlistChange> changes, CancellationToken cancellationToken);
}
