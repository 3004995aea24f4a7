namespace Marquee.Providers.Jellyfin;

/// <summary>Process-wide Jellyfin and Emby settings, bound from the <c>Marquee:Jellyfin</c> configuration section.</summary>
public sealed class JellyfinOptions
{
    public const string Section = "Marquee:Jellyfin";

    /// <summary>Gets or sets how long one request may take before it counts as timed out.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often an idempotent read is repeated after a transient failure.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Gets or sets the first back-off delay; it doubles per attempt (with jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest <c>Retry-After</c> honoured before giving up.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the page size of bulk listings (<c>Limit</c>).</summary>
    public int PageSize { get; set; } = 500;
}
