using System.Net.Http.Headers;
using Marquee.Providers.Http;

namespace Marquee.Providers.Tests.Http;

/// <summary>Retry-After as seconds or as a date, read one way for provider reads and outbox deliveries.</summary>
public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 10, 21, 7, 28, 0, TimeSpan.Zero);

    [Fact]
    public void Seconds_AreTheWait() =>
        Assert.Equal(TimeSpan.FromSeconds(120), RetryAfter.Wait(RetryConditionHeaderValue.Parse("120"), Now));

    [Fact]
    public void ADateAhead_IsTheTimeLeftUntilIt() =>
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfter.Wait(new RetryConditionHeaderValue(Now.AddSeconds(90)), Now));

    [Fact]
    public void ADatePassed_IsNoWait() =>
        Assert.Equal(TimeSpan.Zero, RetryAfter.Wait(new RetryConditionHeaderValue(Now.AddSeconds(-30)), Now));

    [Fact]
    public void NoHeader_IsNull() => Assert.Null(RetryAfter.Wait(null, Now));
}
