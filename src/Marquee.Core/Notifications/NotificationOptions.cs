namespace Marquee.Core.Notifications;

/// <summary>The "Marquee:Notifications" configuration section (<c>notifications:</c> in marquee.yaml).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Marquee:Notifications";

    /// <summary>Gets or sets the quiet time per (user, item, trigger, channel) for pause, resume, stop, rating and server events.</summary>
    public double CooldownSeconds { get; set; } = 60;

    /// <summary>Gets or sets how long one playback lasts for play and finished: the same user and item within it is the same playback.</summary>
    public double PlaybackWindowMinutes { get; set; } = 360;

    /// <summary>Gets or sets the percentage at which a movie counts as finished; 0 turns the finished trigger off for movies.</summary>
    public int FinishedMoviePercent { get; set; } = 90;

    /// <summary>Gets or sets the percentage at which an episode counts as finished; 0 turns the finished trigger off for episodes.</summary>
    public int FinishedEpisodePercent { get; set; } = 90;

    /// <summary>Gets or sets how long the same own event (a flow's failed run, a connection unreachable, the same unresolved items) stays quiet after it was told.</summary>
    public double HealthCooldownMinutes { get; set; } = 60;

    /// <summary>Gets or sets how often the sessions digest is sent while anything plays or is paused; 0 turns it off.</summary>
    public double SessionsDigestMinutes { get; set; } = 30;

    /// <summary>Gets or sets the age after which a notification still waiting in the outbox (its channel was down) is dropped instead of sent; 0 sends it however old.</summary>
    public double MaxAgeMinutes { get; set; } = 24 * 60;

    /// <summary>Gets or sets how long a new episode waits for the rest of its season: the episodes of one season added within it are one <c>new-item</c> message; 0 tells each at once.</summary>
    public double NewItemGroupSeconds { get; set; } = 300;

    /// <summary>Gets or sets how long after a start Marquee reads the session to add the stream's details to the play message of a channel that includes them.</summary>
    public double ActivityDelaySeconds { get; set; } = 10;

    /// <summary>Gets or sets how often the notification feed looks for stored events when nothing wakes it.</summary>
    public double FeedPollSeconds { get; set; } = 1;

    /// <summary>Gets or sets the display name of an account, by its name or id as the server reports it (case does not matter), used in every message.</summary>
    public Dictionary<string, string> DisplayNames { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the command apprise channels run (default <c>apprise</c>, found on the PATH).</summary>
    public string? AppriseCommand { get; set; }

    /// <summary>Gets or sets a value indicating whether the feed makes no notifications for now (stored events wait for it, and are told once it is off).</summary>
    public bool FeedPaused { get; set; }

    /// <summary>
    /// Gets or sets how many accepted webhook deliveries may wait for the inbox processor before notifications wait for
    /// it (webhooks first); they are made, in order, once the backlog is down to half of it. 0: the backlog never
    /// makes notifications wait.
    /// </summary>
    public int DeferWhileInboxBehind { get; set; } = 1000;

    /// <summary>
    /// Gets or sets the rate of webhooks (deliveries per second, averaged over <see cref="DeferWindowSeconds"/>) above
    /// which notifications wait for the flood to pass; they are made once it is down to half of it. 0: the rate never
    /// makes notifications wait.
    /// </summary>
    public double DeferAboveWebhooksPerSecond { get; set; } = 300;

    /// <summary>Gets or sets the window, in seconds (1 to 60), over which the rate of webhooks is averaged.</summary>
    public int DeferWindowSeconds { get; set; } = 5;

    /// <summary>Gets or sets the longest time notifications wait in a row for the inbox; past it they are made although the inbox is still behind.</summary>
    public double MaxDeferSeconds { get; set; } = 300;

    /// <summary>Gets or sets the channels declared in configuration; they are created or updated by name at start.</summary>
    public List<DeclaredChannel> Channels { get; set; } = [];
}

/// <summary>A channel as marquee.yaml declares it.</summary>
public sealed class DeclaredChannel
{
    public string? Name { get; set; }

    public string? Kind { get; set; }

    public string? Url { get; set; }

    public string? Secret { get; set; }

    public List<string>? Triggers { get; set; }

    public Dictionary<string, string>? Templates { get; set; }

    public string? Method { get; set; }

    public Dictionary<string, string>? Headers { get; set; }

    public bool? Enabled { get; set; }

    public bool? IncludeActivity { get; set; }

    public string? Condition { get; set; }

    public bool? Poster { get; set; }

    public ChannelRequest ToRequest() => new(Name, Kind, Url, Secret, Triggers, Templates, Method, Headers, Enabled, IncludeActivity, Condition ?? string.Empty, Poster);
}

/// <summary>The payload of a <c>notify</c> outbox delivery: one rendered message for one channel.</summary>
/// <param name="ChannelId">The channel; its URL and secrets are read from the store when the message is sent.</param>
/// <param name="Trigger">The trigger.</param>
/// <param name="Title">Rendered title.</param>
/// <param name="Body">Rendered body.</param>
/// <param name="Url">Where the title links (Plex web).</param>
/// <param name="User">Who did it (Discord author).</param>
/// <param name="Fields">Short name/value pairs (Discord fields).</param>
/// <param name="At">When it happened.</param>
/// <param name="Raw">A webhook channel's rendered JSON body, when it has a payload template.</param>
/// <param name="Poster">The item's poster, fetched from its server when the message is sent (Discord's thumbnail).</param>
public sealed record NotificationPayload(
    long ChannelId,
    string Trigger,
    string Title,
    string Body,
    string? Url,
    string? User,
    IReadOnlyList<NotificationField> Fields,
    DateTimeOffset At,
    string? Raw = null,
    NotificationPoster? Poster = null);

/// <summary>
/// Where an item's poster is: a path on a media server, never a URL with a credential. The server's token stays in
/// its connection and is added only when the poster is read from that server, as the message is sent.
/// </summary>
/// <param name="Source">The provider kind (<c>plex</c>).</param>
/// <param name="ServerId">The server's machine identifier; the connection pointing at it reads the poster.</param>
/// <param name="Path">The artwork path as the server gives it, for example <c>/library/metadata/123/thumb/1700000000</c>.</param>
public sealed record NotificationPoster(string Source, string ServerId, string Path)
{
    /// <summary>The poster of an event's item; null when the event names no poster or no server.</summary>
    public static NotificationPoster? Of(Webhooks.LiveEvent e) =>
        e.Poster is { Length: > 0 } path && e.ServerId is { Length: > 0 } server ? new NotificationPoster(e.Source, server, path) : null;
}

public sealed record NotificationField(string Name, string Value, bool Inline = true);
