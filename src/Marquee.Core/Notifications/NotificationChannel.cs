namespace Marquee.Core.Notifications;

/// <summary>Where notifications go.</summary>
public static class ChannelKinds
{
    public const string Discord = "discord";
    public const string Ntfy = "ntfy";
    public const string Webhook = "webhook";

    /// <summary>An Apprise URL (Telegram, Pushover, e-mail, Gotify, Slack…), sent by the <c>apprise</c> command.</summary>
    public const string Apprise = "apprise";

    public static IReadOnlyList<string> All { get; } = [Discord, Ntfy, Webhook, Apprise];
}

/// <summary>The parts of a channel that are secret; stored encrypted, never listed or logged.</summary>
/// <param name="Url">The channel's URL (a Discord webhook URL holds its token; an ntfy topic is effectively a password).</param>
/// <param name="Secret">An ntfy access token (<c>tk_…</c>) or <c>user:password</c>; for a webhook, sent as a bearer token.</param>
/// <param name="Headers">A webhook's custom headers.</param>
public sealed record ChannelSecrets(string Url, string? Secret = null, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>A notification channel as stored.</summary>
/// <param name="Id">The row id.</param>
/// <param name="Name">Unique name, used by the CLI.</param>
/// <param name="Kind">One of <see cref="ChannelKinds"/>.</param>
/// <param name="Secrets">URL, secret and headers (plain text in memory, encrypted in the store).</param>
/// <param name="Triggers">The triggers turned on for this channel.</param>
/// <param name="Templates">Title and body templates per trigger (<c>play.title</c>, <c>play.body</c>, or <c>title</c>/<c>body</c> for every trigger; a webhook's JSON body is <c>payload</c>).</param>
/// <param name="Method">A webhook's HTTP method.</param>
/// <param name="Enabled">False once disabled by hand or because the target said the channel is gone.</param>
/// <param name="Status">Why the channel is disabled, or <c>ok</c>.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
public sealed record NotificationChannel(
    long Id,
    string Name,
    string Kind,
    ChannelSecrets Secrets,
    IReadOnlyList<string> Triggers,
    IReadOnlyDictionary<string, string> Templates,
    string Method,
    bool Enabled,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Gets the channel's further settings (stream details, conditions).</summary>
    public ChannelSettings Settings { get; init; } = new();

    /// <summary>Gets the URL with everything after the host hidden (a webhook token, an ntfy topic).</summary>
    public string MaskedUrl => Mask(Secrets.Url);

    public static string Mask(string url) =>
        !Uri.TryCreate(url, UriKind.Absolute, out var uri) ? (url.IndexOf("://", StringComparison.Ordinal) is > 0 and var at ? url[..(at + 3)] + "…" : "…")
        : uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps ? uri.GetLeftPart(UriPartial.Authority) + "/…"

        // Another scheme is an Apprise URL, whose host part is often a token (tgram://bottoken/…): only the scheme is shown.
        : uri.Scheme + "://…";
}

/// <summary>What a caller sends to create or change a channel (every field optional on update).</summary>
public sealed record ChannelRequest(
    string? Name,
    string? Kind,
    string? Url,
    string? Secret,
    IReadOnlyList<string>? Triggers,
    IReadOnlyDictionary<string, string>? Templates,
    string? Method,
    IReadOnlyDictionary<string, string>? Headers,
    bool? Enabled,
    bool? IncludeActivity = null,
    string? Condition = null,
    bool? Poster = null);

/// <summary>A channel's settings besides its target and triggers.</summary>
/// <param name="IncludeActivity">A play waits <see cref="NotificationOptions.ActivityDelaySeconds"/> and then carries the stream's details (decision, codecs, resolution, bandwidth…).</param>
/// <param name="Condition">Only events for which this condition holds are told (<c>user is anna and media_type is episode</c>); null tells every event.</param>
/// <param name="Poster">A Discord message about an item carries its poster as the embed's thumbnail (default on).</param>
public sealed record ChannelSettings(bool IncludeActivity = false, string? Condition = null, bool Poster = true);

/// <summary>Channels and the notifications already sent (the dedupe and cooldown state).</summary>
public interface INotificationStore
{
    Task<IReadOnlyList<NotificationChannel>> ListAsync(CancellationToken cancellationToken);

    Task<NotificationChannel?> GetAsync(long id, CancellationToken cancellationToken);

    Task<NotificationChannel?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>Stores a new channel; throws <see cref="Validation.ConflictException"/> when the name is taken.</summary>
    Task<NotificationChannel> CreateAsync(NotificationChannel channel, CancellationToken cancellationToken);

    Task<NotificationChannel> UpdateAsync(NotificationChannel channel, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken);

    /// <summary>Disables a channel and says why (the target answered that it is gone).</summary>
    Task DisableAsync(long id, string status, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="trigger"/> for <paramref name="subject"/> (account and item) is sent to a channel, unless one was
    /// recorded within <paramref name="window"/> before <paramref name="now"/>; false when it was (the notification is a duplicate).
    /// </summary>
    Task<bool> TryClaimAsync(long channelId, string trigger, string subject, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken);
}
