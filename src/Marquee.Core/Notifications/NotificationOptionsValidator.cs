using System.Globalization;
using Microsoft.Extensions.Options;

namespace Marquee.Core.Notifications;

/// <summary>
/// Refuses notification settings out of their range with the setting's full name and the value given, instead of
/// reading a negative wait or count as none: a server with one starts with a clear error.
/// </summary>
public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Every setting out of its range, each as one sentence naming it.</summary>
    public static IEnumerable<string> Problems(NotificationOptions o)
    {
        var checks = new (string Key, double Value, double Min, double Max)[]
        {
            (nameof(o.CooldownSeconds), o.CooldownSeconds, 0, double.MaxValue),
            (nameof(o.PlaybackWindowMinutes), o.PlaybackWindowMinutes, 0, double.MaxValue),
            (nameof(o.FinishedMoviePercent), o.FinishedMoviePercent, 0, 100),
            (nameof(o.FinishedEpisodePercent), o.FinishedEpisodePercent, 0, 100),
            (nameof(o.HealthCooldownMinutes), o.HealthCooldownMinutes, 0, double.MaxValue),
            (nameof(o.SessionsDigestMinutes), o.SessionsDigestMinutes, 0, double.MaxValue),
            (nameof(o.MaxAgeMinutes), o.MaxAgeMinutes, 0, double.MaxValue),
            (nameof(o.NewItemGroupSeconds), o.NewItemGroupSeconds, 0, double.MaxValue),
            (nameof(o.ActivityDelaySeconds), o.ActivityDelaySeconds, 0, double.MaxValue),
            (nameof(o.DeferWhileInboxBehind), o.DeferWhileInboxBehind, 0, double.MaxValue),
            (nameof(o.DeferAboveWebhooksPerSecond), o.DeferAboveWebhooksPerSecond, 0, double.MaxValue),
            (nameof(o.DeferWindowSeconds), o.DeferWindowSeconds, 1, 60),
            (nameof(o.MaxDeferSeconds), o.MaxDeferSeconds, 0, double.MaxValue),
        };
        foreach (var (key, value, min, max) in checks)
        {
            if (!double.IsFinite(value) || value < min || value > max)
            {
                var range = max == double.MaxValue ? $"{min.ToString(CultureInfo.InvariantCulture)} or more" : $"{min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
                yield return $"{NotificationOptions.Section}:{key} is {value.ToString(CultureInfo.InvariantCulture)}; it must be {range}";
            }
        }

        if (!double.IsFinite(o.FeedPollSeconds) || o.FeedPollSeconds <= 0)
        {
            yield return $"{NotificationOptions.Section}:{nameof(o.FeedPollSeconds)} is {o.FeedPollSeconds.ToString(CultureInfo.InvariantCulture)}; it must be more than 0";
        }
    }
}
