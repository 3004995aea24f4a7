namespace Marquee.Providers.Http;

/// <summary>The request settings every provider's options share: per-request timeout, retries, back-off, Retry-After.</summary>
public abstract class ProviderClientOptions
{
    /// <summary>Gets or sets how long one request may take before it counts as timed out.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often an idempotent read is repeated after a transient failure.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Gets or sets the first back-off delay; it doubles per attempt (with jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest <c>Retry-After</c> honoured before giving up.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The policy of <see cref="ProviderHttpClient"/> these settings give, with the process-wide answer size cap.</summary>
    public ProviderHttpPolicy Policy(long maxResponseBytes) => new(RequestTimeout, MaxRetries, RetryDelay, MaxRetryAfter, maxResponseBytes);
}
