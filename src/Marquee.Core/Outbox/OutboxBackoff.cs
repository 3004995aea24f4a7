namespace Marquee.Core.Outbox;

/// <summary>How long to wait before the next attempt: exponential back-off with jitter, or what the target asked for.</summary>
public static class OutboxBackoff
{
    /// <summary>The wait after the <paramref name="failures"/>-th consecutive failure: base × 2^(n−1), capped, varied by ± jitter.</summary>
    public static TimeSpan Delay(int failures, OutboxOptions options, double random)
    {
        var baseSeconds = Math.Max(0.001, options.BaseDelaySeconds);
        var seconds = Math.Min(Math.Max(baseSeconds, options.MaxDelaySeconds), baseSeconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 30)));
        var jitter = Math.Clamp(options.Jitter, 0, 1);
        return TimeSpan.FromSeconds(seconds * (1 - jitter + (2 * jitter * random)));
    }

    /// <summary>The wait a Retry-After asks for: never less, up to a tenth more (jitter), capped by MaxRetryAfterSeconds.</summary>
    public static TimeSpan AfterRetryAfter(TimeSpan retryAfter, OutboxOptions options, double random)
    {
        var seconds = Math.Min(Math.Max(0, retryAfter.TotalSeconds), Math.Max(1, options.MaxRetryAfterSeconds));
        return TimeSpan.FromSeconds(seconds * (1 + (Math.Clamp(options.Jitter, 0, 1) * 0.5 * random)));
    }
}
