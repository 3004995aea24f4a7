namespace Marquee.Core.Webhooks;

/// <summary>The "Marquee:Webhooks" configuration section: the inbox, its processor and the live paths.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Marquee:Webhooks";

    /// <summary>Gets or sets the secret in the webhook URL; when empty one is generated and kept in the data folder.</summary>
    public string? Secret { get; set; }

    /// <summary>Gets or sets the largest webhook body accepted; larger ones get 413 without being read to the end.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets a value indicating whether the inbox processor waits (deliveries are still stored).</summary>
    public bool ProcessorPaused { get; set; }

    /// <summary>Gets or sets how often the processor looks for pending deliveries when nothing wakes it.</summary>
    public double ProcessorPollSeconds { get; set; } = 5;

    /// <summary>Gets or sets how many pending deliveries the processor reads at a time.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Gets or sets how many times a delivery is tried before it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Gets or sets how long handled deliveries are kept (their live events stay); 0 keeps them forever.</summary>
    public double RetentionDays { get; set; } = 7;

    /// <summary>Gets or sets how often handled deliveries past the retention are deleted.</summary>
    public double PruneIntervalMinutes { get; set; } = 60;

    /// <summary>Gets or sets how many recent deliveries are kept in memory for the UI.</summary>
    public int HistorySize { get; set; } = 100;

    public WebhookRateLimitOptions RateLimit { get; set; } = new();

    public LiveOptions Live { get; set; } = new();
}

/// <summary>The fixed-window rate limit on the webhook routes.</summary>
public sealed class WebhookRateLimitOptions
{
    /// <summary>Gets or sets the requests allowed per window.</summary>
    public int PermitLimit { get; set; } = 600;

    public double WindowSeconds { get; set; } = 10;

    /// <summary>Gets or sets how many requests over the limit wait for the next window instead of getting 429.</summary>
    public int QueueLimit { get; set; } = 100;
}

/// <summary>The event-stream listener and the session poller.</summary>
public sealed class LiveOptions
{
    /// <summary>Gets or sets a value indicating whether every Plex connection gets an event-stream listener.</summary>
    public bool EventStream { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether every Plex connection's sessions are polled.</summary>
    public bool SessionPoller { get; set; } = true;

    /// <summary>Gets or sets the session poll interval.</summary>
    public double SessionPollSeconds { get; set; } = 10;

    /// <summary>Gets or sets the share of a movie that counts as finished.</summary>
    public double MovieFinishedPercent { get; set; } = 90;

    /// <summary>Gets or sets the share of an episode that counts as finished.</summary>
    public double EpisodeFinishedPercent { get; set; } = 90;

    /// <summary>Gets or sets a value indicating whether new live events run the flows that have their connection as a source.</summary>
    public bool Propagate { get; set; } = true;

    /// <summary>Gets or sets how often the list of Plex connections is re-read, to start and stop listeners.</summary>
    public double ConnectionRefreshSeconds { get; set; } = 30;

    /// <summary>Gets or sets the longest wait between reconnect attempts of the event stream.</summary>
    public double MaxReconnectSeconds { get; set; } = 60;
}
