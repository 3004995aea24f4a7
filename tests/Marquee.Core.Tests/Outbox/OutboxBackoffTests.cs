using Marquee.Core.Outbox;

namespace Marquee.Core.Tests.Outbox;

public sealed class OutboxBackoffTests
{
    private static readonly OutboxOptions Options = new() { BaseDelaySeconds = 5, MaxDelaySeconds = 60, Jitter = 0.2 };

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 40)]
    [InlineData(5, 60)]
    [InlineData(50, 60)]
    public void Delay_DoublesFromTheBase_UpToTheMaximum(int failures, double seconds)
    {
        Assert.Equal(seconds, OutboxBackoff.Delay(failures, Options, 0.5).TotalSeconds, 3);
    }

    [Theory]
    [InlineData(0.0, 16)]
    [InlineData(1.0, 24)]
    public void Delay_IsVariedByTheJitter_BothWays(double random, double seconds)
    {
        Assert.Equal(seconds, OutboxBackoff.Delay(3, Options, random).TotalSeconds, 3);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void RetryAfter_IsNeverShortened_AndAtMostATenthLonger(double random)
    {
        var wait = OutboxBackoff.AfterRetryAfter(TimeSpan.FromSeconds(2), Options, random);

        Assert.InRange(wait.TotalSeconds, 2, 2.2);
    }

    [Fact]
    public void RetryAfter_BeyondTheCap_IsCapped()
    {
        var wait = OutboxBackoff.AfterRetryAfter(TimeSpan.FromDays(30), new OutboxOptions { MaxRetryAfterSeconds = 3600, Jitter = 0 }, 0.5);

        Assert.Equal(TimeSpan.FromHours(1), wait);
    }
}
