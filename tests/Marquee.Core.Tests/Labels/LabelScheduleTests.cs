using System.Globalization;
using Marquee.Core.Labels;

namespace Marquee.Core.Tests.Labels;

/// <summary>The label sync's schedule: a cron expression, or a time of day (UTC) on days of the week, and when it next runs.</summary>
public sealed class LabelScheduleTests
{
    // 2026-12-03 is a Thursday.
    [Theory]
    [InlineData("03:00", "", "2026-12-03T02:00:00Z", "2026-12-03T03:00:00Z")]
    [InlineData("03:00", "", "2026-12-03T03:00:00Z", "2026-12-04T03:00:00Z")]
    [InlineData("03:00", "mon", "2026-12-03T12:00:00Z", "2026-12-07T03:00:00Z")]
    [InlineData("23:30", "thu", "2026-12-03T23:31:00Z", "2026-12-10T23:30:00Z")]
    [InlineData("23:30", "thursday", "2026-12-03T23:29:00Z", "2026-12-03T23:30:00Z")]
    [InlineData("00:00", "sat,sun", "2026-12-05T00:00:00Z", "2026-12-06T00:00:00Z")]
    [InlineData("00:00", "sat,sun", "2026-12-06T00:00:00Z", "2026-12-12T00:00:00Z")]
    [InlineData("04:15", "Monday,FRIDAY", "2026-12-04T04:16:00Z", "2026-12-07T04:15:00Z")]
    [InlineData("04:15", "fri,mon", "2026-12-01T10:00:00Z", "2026-12-04T04:15:00Z")]
    [InlineData("23:59", "wed", "2026-12-31T23:59:00Z", "2027-01-06T23:59:00Z")]
    public void NextRun_TimeOfDayOnDays_IsTheNextSuchMinute(string at, string days, string after, string expected)
    {
        var settings = new LabelSettings { At = at, Days = days.Split(',', StringSplitOptions.RemoveEmptyEntries) };

        Assert.Empty(LabelSettings.Validate(settings));
        Assert.Equal(Time(expected), settings.NextRun(Time(after)));
    }

    [Fact]
    public void NextRun_CronOrNone()
    {
        Assert.Equal(Time("2026-12-04T05:00:00Z"), new LabelSettings { Schedule = "0 5 * * *" }.NextRun(Time("2026-12-03T06:00:00Z")));
        Assert.Null(new LabelSettings().NextRun(Time("2026-12-03T06:00:00Z")));
    }

    [Theory]
    [InlineData(null, "25:00", "", "at")]
    [InlineData(null, "3pm", "", "at")]
    [InlineData(null, "", "", "at")]
    [InlineData(null, "03:00", "mon,funday", "days")]
    [InlineData(null, null, "mon", "days")]
    [InlineData("0 3 * * *", "03:00", "", "schedule")]
    public void Validate_BadTimeUnknownDayOrBoth_NamesTheField(string? schedule, string? at, string days, string field)
    {
        var settings = new LabelSettings { Schedule = schedule, At = at, Days = days.Split(',', StringSplitOptions.RemoveEmptyEntries) };

        var problem = Assert.Single(LabelSettings.Validate(settings));

        Assert.Equal(field, problem.Field);
        Assert.Contains($"'{field}'", problem.Message, StringComparison.Ordinal);
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
