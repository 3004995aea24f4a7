namespace Marquee.Core.Outbox;

/// <summary>The "Marquee:Outbox" configuration section: attempts, back-off and the dispatcher.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Marquee:Outbox";

    /// <summary>Gets or sets a value indicating whether the dispatcher waits (deliveries are still stored).</summary>
    public bool Paused { get; set; }

    /// <summary>Gets or sets how many attempts a delivery gets before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Gets or sets the wait after the first failure; it doubles with each failure, up to <see cref="MaxDelaySeconds"/>.</summary>
    public double BaseDelaySeconds { get; set; } = 5;

    /// <summary>Gets or sets the longest wait between two attempts (without a Retry-After asking for more).</summary>
    public double MaxDelaySeconds { get; set; } = 1800;

    /// <summary>Gets or sets the share by which each wait is varied at random, so that deliveries do not retry in step.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>Gets or sets the longest Retry-After honoured; a target asking for more is tried again after this.</summary>
    public double MaxRetryAfterSeconds { get; set; } = 6 * 3600;

    /// <summary>Gets or sets how often the dispatcher looks for due deliveries when nothing wakes it.</summary>
    public double PollSeconds { get; set; } = 5;

    /// <summary>Gets or sets how many targets are delivered to at the same time.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// Gets or sets how many lanes of one target are delivered to at the same time: deliveries with the same order key
    /// go in order, one at a time; 1 sends each target's deliveries strictly one after another.
    /// </summary>
    public int LanesPerTarget { get; set; } = 8;

    /// <summary>Gets or sets how many due deliveries of one target are read at a time.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Gets or sets how long one attempt may wait for an answer.</summary>
    public double RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Gets or sets how long delivered deliveries are kept; dead-lettered ones stay until retried. 0 keeps them forever.</summary>
    public double RetentionDays { get; set; } = 7;
}
