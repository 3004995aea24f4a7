namespace Marquee.Core.Labels;

/// <summary>One request in a request manager: who asked for which title, and where the request stands.</summary>
/// <param name="MediaType"><c>movie</c> or <c>tv</c>.</param>
/// <param name="TmdbId">The title's TMDB id (TMDB numbers movies and shows separately).</param>
/// <param name="TvdbId">The show's TVDB id, when known.</param>
/// <param name="PlexId">The requester's plex.tv account id, when the requester is a Plex user.</param>
/// <param name="PlexUsername">The requester's Plex username, when the requester is a Plex user.</param>
/// <param name="Status">Request status: 1 pending, 2 approved, 3 declined, 4 failed, 5 completed.</param>
public sealed record MediaRequest(string MediaType, int TmdbId, int? TvdbId, long? PlexId, string? PlexUsername, int Status)
{
    /// <summary>Gets a value indicating whether the requester still wants the title: pending, approved, failed or completed; declined is not a want.</summary>
    public bool IsWanted => Status is 1 or 2 or 4 or 5;
}

/// <summary>A request manager (Overseerr, Jellyseerr, Seerr) that lists every request in bulk.</summary>
public interface IRequestSource
{
    /// <summary>Reads every request, page by page; a malformed answer is a <see cref="Providers.ProviderException"/>, never a shorter list.</summary>
    Task<IReadOnlyList<MediaRequest>> ReadRequestsAsync(CancellationToken cancellationToken);

    /// <summary>Reads one request by id (the webhook's trigger), or null when it does not exist.</summary>
    Task<MediaRequest?> ReadRequestAsync(int id, CancellationToken cancellationToken);
}

/// <summary>An application (Radarr, Sonarr) whose tags become labels: every tagged title with its tag names.</summary>
public interface ITagSource
{
    /// <summary>Reads the tags and the library in bulk; one claim per (tag, title).</summary>
    Task<IReadOnlyList<LabelClaim>> ReadTagClaimsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A media server whose friends' watchlists can be read with the owner's token (Plex: the community GraphQL API). A list
/// the friend keeps private, an unknown friend and a malformed answer are each a <see cref="Providers.ProviderException"/>
/// naming the reason, never an empty list.
/// </summary>
public interface IFriendWatchlists
{
    /// <summary>Reads every page of the friend's watchlist; entries carry the server's own ids (Plex: <c>plex://</c>), not tmdb/tvdb.</summary>
    Task<IReadOnlyList<Providers.WatchlistEntry>> ReadFriendWatchlistAsync(Providers.ProviderAccount friend, CancellationToken cancellationToken);
}
