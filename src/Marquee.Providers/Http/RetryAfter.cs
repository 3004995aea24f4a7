using System.Net.Http.Headers;

namespace Marquee.Providers.Http;

/// <summary>The wait a <c>Retry-After</c> header asks for, read the same way by provider reads and outbox deliveries.</summary>
public static class RetryAfter
{
    /// <summary>
    /// The header's delay (<c>Retry-After: 120</c>), or the time left until its date (<c>Retry-After: Wed, 21 Oct 2026
    /// 07:28:00 GMT</c>), never negative; null when there is no header.
    /// </summary>
    public static TimeSpan? Wait(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date - now is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
        _ => null,
    };
}
