namespace Marquee.Simulators.Trakt;

/// <summary>One play of the history: a movie or an episode, with its date kept to the minute.</summary>
public sealed record TraktPlay(long Id, TraktMedia Media, DateTimeOffset? WatchedAt, string Action);

public sealed record TraktRating(TraktMedia Media, int Rating, DateTimeOffset RatedAt);

public sealed record TraktWatchlistEntry(long Id, TraktMedia Media, DateTimeOffset ListedAt, string? Notes);

public sealed record TraktPlayback(long Id, TraktMedia Media, double Progress, DateTimeOffset PausedAt);

/// <summary>One Trakt account's whole state; guarded by the state's lock.</summary>
public sealed class TraktAccount
{
    public TraktAccount(string name, DateTimeOffset created)
    {
        Name = name;
        Uuid = Guid.NewGuid().ToString();
        foreach (var key in ActivityKeys)
        {
            Activities[key] = created;
        }
    }

    public static IReadOnlyList<string> ActivityKeys { get; } =
    [
        "movies.watched_at", "movies.collected_at", "movies.rated_at", "movies.watchlisted_at", "movies.favorited_at", "movies.commented_at", "movies.paused_at", "movies.hidden_at",
        "episodes.watched_at", "episodes.collected_at", "episodes.rated_at", "episodes.watchlisted_at", "episodes.commented_at", "episodes.paused_at",
        "shows.rated_at", "shows.watchlisted_at", "shows.favorited_at", "shows.commented_at", "shows.hidden_at", "shows.dropped_at",
        "seasons.rated_at", "seasons.watchlisted_at", "seasons.commented_at", "seasons.hidden_at",
        "watchlist.updated_at", "lists.updated_at", "account.settings_at",
    ];

    public string Name { get; }

    public string Uuid { get; }

    public List<TraktPlay> Plays { get; } = [];

    public Dictionary<TraktMedia, TraktRating> Ratings { get; } = [];

    public List<TraktWatchlistEntry> Watchlist { get; } = [];

    public Dictionary<TraktMedia, TraktPlayback> Playback { get; } = [];

    public Dictionary<string, DateTimeOffset> Activities { get; } = new(StringComparer.Ordinal);

    public bool Locked { get; set; }

    public bool Deactivated { get; set; }

    public bool Vip { get; set; }

    public void Touch(string key, DateTimeOffset now) => Activities[key] = now;

    public void Touch(TraktMedia media, string field, DateTimeOffset now) => Touch(TraktJson.Plural(media.Kind) + "." + field, now);
}
