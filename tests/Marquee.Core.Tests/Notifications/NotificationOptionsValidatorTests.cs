using Marquee.Core.Notifications;

namespace Marquee.Core.Tests.Notifications;

/// <summary>Notification settings out of their range are refused with their full name, never read as 0.</summary>
public sealed class NotificationOptionsValidatorTests
{
    [Fact]
    public void TheDefaults_AndEveryBoundary_AreAccepted()
    {
        Assert.True(new NotificationOptionsValidator().Validate(null, new NotificationOptions()).Succeeded);
        var edges = new NotificationOptions
        {
            CooldownSeconds = 0,
            PlaybackWindowMinutes = 0,
            FinishedMoviePercent = 100,
            FinishedEpisodePercent = 0,
            HealthCooldownMinutes = 0,
            SessionsDigestMinutes = 0,
            MaxAgeMinutes = 0,
            NewItemGroupSeconds = 0,
            ActivityDelaySeconds = 0,
            FeedPollSeconds = 0.05,
            DeferWhileInboxBehind = 0,
            DeferAboveWebhooksPerSecond = 0,
            DeferWindowSeconds = 60,
            MaxDeferSeconds = 0,
        };
        Assert.Empty(NotificationOptionsValidator.Problems(edges));
        Assert.Empty(NotificationOptionsValidator.Problems(new NotificationOptions { DeferWindowSeconds = 1 }));
    }

    public static TheoryData<string, Action<NotificationOptions>> OutOfRange => new()
    {
        { "CooldownSeconds is -1; it must be 0 or more", o => o.CooldownSeconds = -1 },
        { "PlaybackWindowMinutes is -0.5; it must be 0 or more", o => o.PlaybackWindowMinutes = -0.5 },
        { "FinishedMoviePercent is 101; it must be 0 to 100", o => o.FinishedMoviePercent = 101 },
        { "FinishedEpisodePercent is -1; it must be 0 to 100", o => o.FinishedEpisodePercent = -1 },
        { "HealthCooldownMinutes is -60; it must be 0 or more", o => o.HealthCooldownMinutes = -60 },
        { "SessionsDigestMinutes is NaN; it must be 0 or more", o => o.SessionsDigestMinutes = double.NaN },
        { "MaxAgeMinutes is -1; it must be 0 or more", o => o.MaxAgeMinutes = -1 },
        { "NewItemGroupSeconds is -300; it must be 0 or more", o => o.NewItemGroupSeconds = -300 },
        { "ActivityDelaySeconds is Infinity; it must be 0 or more", o => o.ActivityDelaySeconds = double.PositiveInfinity },
        { "FeedPollSeconds is 0; it must be more than 0", o => o.FeedPollSeconds = 0 },
        { "DeferWhileInboxBehind is -1; it must be 0 or more", o => o.DeferWhileInboxBehind = -1 },
        { "DeferAboveWebhooksPerSecond is -300; it must be 0 or more", o => o.DeferAboveWebhooksPerSecond = -300 },
        { "DeferWindowSeconds is 0; it must be 1 to 60", o => o.DeferWindowSeconds = 0 },
        { "DeferWindowSeconds is 61; it must be 1 to 60", o => o.DeferWindowSeconds = 61 },
        { "MaxDeferSeconds is -5; it must be 0 or more", o => o.MaxDeferSeconds = -5 },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void ASettingOutOfRange_IsOneProblemNamingIt(string expected, Action<NotificationOptions> set)
    {
        var options = new NotificationOptions();
        set(options);

        var result = new NotificationOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal("Marquee:Notifications:" + expected, Assert.Single(result.Failures!));
    }
}
