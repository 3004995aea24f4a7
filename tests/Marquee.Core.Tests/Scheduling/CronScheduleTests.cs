using System.Globalization;
using Marquee.Core.Scheduling;

namespace Marquee.Core.Tests.Scheduling;

public sealed class CronScheduleTests
{
    [Theory]
    [InlineData("* * * * *", "2026-11-21T10:07:00Z", "2026-11-21T10:08:00Z")]
    [InlineData("*/15 * * * *", "2026-11-21T10:07:00Z", "2026-11-21T10:15:00Z")]
    [InlineData("0,15,30,45 * * * *", "2026-11-21T10:45:00Z", "2026-11-21T11:00:00Z")]
    [InlineData("10-50/20 * * * *", "2026-11-21T10:10:00Z", "2026-11-21T10:30:00Z")]
    [InlineData("10-50/20 * * * *", "2026-11-21T10:50:00Z", "2026-11-21T11:10:00Z")]
    [InlineData("5/20 * * * *", "2026-11-21T10:26:00Z", "2026-11-21T10:45:00Z")]
    [InlineData("0 9-17 * * 1-5", "2026-11-20T17:30:00Z", "2026-11-23T09:00:00Z")]
    [InlineData("30 6 * * MON", "2026-11-21T00:00:00Z", "2026-11-23T06:30:00Z")]
    [InlineData("0 0 * * mon-wed", "2026-11-24T12:00:00Z", "2026-11-25T00:00:00Z")]
    [InlineData("0 0 1 JAN *", "2026-03-05T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 1 jan,jul *", "2026-03-05T00:00:00Z", "2026-07-01T00:00:00Z")]
    [InlineData("0 0 1 feb-apr *", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z")]
    [InlineData("@hourly", "2026-11-21T12:00:00Z", "2026-11-21T13:00:00Z")]
    [InlineData("@daily", "2026-11-21T12:00:00Z", "2026-11-22T00:00:00Z")]
    [InlineData("@midnight", "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z")]
    [InlineData("@weekly", "2026-11-21T12:00:00Z", "2026-11-22T00:00:00Z")]
    [InlineData("@monthly", "2026-01-31T10:00:00Z", "2026-02-01T00:00:00Z")]
    [InlineData("  0   0  *  *  *  ", "2026-11-21T12:00:00Z", "2026-11-22T00:00:00Z")]
    public void Next_ValidExpression_ReturnsFirstOccurrenceAfter(string expression, string after, string expected)
    {
        var schedule = CronSchedule.Parse(expression);

        Assert.Equal(At(expected), schedule.Next(At(after)));
    }

    [Theory]
    [InlineData("0 0 * * 0")]
    [InlineData("0 0 * * 7")]
    [InlineData("0 0 * * SUN")]
    [InlineData("0 0 * * sun")]
    public void Next_SundayAsZeroSevenOrName_MatchesSunday(string expression)
    {
        // 2026-11-21 is a Saturday.
        var next = CronSchedule.Parse(expression).Next(At("2026-11-21T12:00:00Z"));

        Assert.Equal(At("2026-11-22T00:00:00Z"), next);
        Assert.Equal(DayOfWeek.Sunday, next!.Value.DayOfWeek);
    }

    [Fact]
    public void Next_RangeEndingAtSeven_IncludesSunday()
    {
        var schedule = CronSchedule.Parse("0 0 * * 5-7");

        var friday = schedule.Next(At("2026-11-19T12:00:00Z"));
        var saturday = schedule.Next(friday!.Value);
        var sunday = schedule.Next(saturday!.Value);
        var nextFriday = schedule.Next(sunday!.Value);

        Assert.Equal(At("2026-11-20T00:00:00Z"), friday);
        Assert.Equal(At("2026-11-21T00:00:00Z"), saturday);
        Assert.Equal(At("2026-11-22T00:00:00Z"), sunday);
        Assert.Equal(At("2026-11-27T00:00:00Z"), nextFriday);
    }

    [Fact]
    public void Next_DayMissingInMonth_RollsOverToNextMonthWithThatDay()
    {
        var schedule = CronSchedule.Parse("0 0 31 * *");

        Assert.Equal(At("2026-05-31T00:00:00Z"), schedule.Next(At("2026-04-15T00:00:00Z")));
    }

    [Fact]
    public void Next_EndOfYear_RollsOverToNextYear()
    {
        var schedule = CronSchedule.Parse("30 23 * * *");

        Assert.Equal(At("2027-01-01T23:30:00Z"), schedule.Next(At("2026-12-31T23:45:00Z")));
    }

    [Theory]
    [InlineData("2024-01-01T00:00:00Z", "2024-02-29T00:00:00Z")]
    [InlineData("2025-03-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("2024-02-29T00:00:00Z", "2028-02-29T00:00:00Z")]
    public void Next_February29_OnlyInLeapYears(string after, string expected)
    {
        var schedule = CronSchedule.Parse("0 0 29 2 *");

        Assert.Equal(At(expected), schedule.Next(At(after)));
    }

    [Fact]
    public void Next_DateThatNeverExists_ReturnsNull()
    {
        var schedule = CronSchedule.Parse("0 0 30 2 *");

        Assert.Null(schedule.Next(At("2026-01-01T00:00:00Z")));
    }

    [Theory]
    [InlineData("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")] // Sunday -> Monday the 2nd (weekday matches)
    [InlineData("2026-11-02T00:00:00Z", "2026-11-09T00:00:00Z")] // Monday -> next Monday
    [InlineData("2026-11-30T00:00:00Z", "2026-12-01T00:00:00Z")] // Monday the 30th -> Tuesday the 1st (day matches)
    public void Next_DayOfMonthAndDayOfWeekBothRestricted_EitherMatches(string after, string expected)
    {
        var schedule = CronSchedule.Parse("0 0 1 * MON");

        Assert.Equal(At(expected), schedule.Next(At(after)));
    }

    [Theory]
    [InlineData("0 0 */2 * MON", "2026-11-01T00:00:00Z", "2026-11-09T00:00:00Z")]
    [InlineData("0 0 *,10 * MON", "2026-11-09T00:00:00Z", "2026-11-16T00:00:00Z")]
    [InlineData("0 0 1 * */2", "2026-11-02T00:00:00Z", "2026-12-01T00:00:00Z")]
    public void Next_DayFieldStartingWithStar_BothDayFieldsMustMatch(string expression, string after, string expected)
    {
        // As in Vixie cron, a day field whose text starts with '*' is not "restricted", so
        // day-of-month and day-of-week must both match instead of either.
        var schedule = CronSchedule.Parse(expression);

        Assert.Equal(At(expected), schedule.Next(At(after)));
    }

    [Fact]
    public void Next_StepOnDayOfMonthWithWeekday_IsIntersection()
    {
        var schedule = CronSchedule.Parse("0 0 */2 * MON");

        var mondays = new List<DateTimeOffset>();
        var at = At("2026-11-01T00:00:00Z");
        for (var i = 0; i < 3; i++)
        {
            at = schedule.Next(at)!.Value;
            mondays.Add(at);
        }

        // Odd days of the month that are Mondays.
        Assert.Equal([At("2026-11-09T00:00:00Z"), At("2026-11-23T00:00:00Z"), At("2026-12-07T00:00:00Z")], mondays);
    }

    [Fact]
    public void Next_OnlyDayOfMonthRestricted_IgnoresWeekday()
    {
        var schedule = CronSchedule.Parse("0 0 1 * *");

        Assert.Equal(At("2026-12-01T00:00:00Z"), schedule.Next(At("2026-11-02T00:00:00Z")));
    }

    [Fact]
    public void Next_OnlyDayOfWeekRestricted_IgnoresDayOfMonth()
    {
        var schedule = CronSchedule.Parse("0 0 * * MON");

        Assert.Equal(At("2026-12-07T00:00:00Z"), schedule.Next(At("2026-11-30T00:00:00Z")));
    }

    [Fact]
    public void Next_AfterHasSeconds_ReturnsNextWholeMinute()
    {
        var schedule = CronSchedule.Parse("* * * * *");

        Assert.Equal(At("2026-11-21T10:01:00Z"), schedule.Next(At("2026-11-21T10:00:30Z")));
    }

    [Fact]
    public void Next_AfterInOtherOffset_EvaluatesInUtcAndReturnsUtc()
    {
        var schedule = CronSchedule.Parse("0 12 * * *");

        // 13:00 at +02:00 is 11:00 UTC, so noon UTC is still ahead on the same day.
        var next = schedule.Next(new DateTimeOffset(2026, 11, 21, 13, 0, 0, TimeSpan.FromHours(2)));

        Assert.Equal(At("2026-11-21T12:00:00Z"), next);
        Assert.Equal(TimeSpan.Zero, next!.Value.Offset);
    }

    [Fact]
    public void Parse_Alias_KeepsExpandedExpression()
    {
        Assert.Equal("0 0 * * *", CronSchedule.Parse("@daily").Expression);
    }

    [Theory]
    [InlineData("", "found 0")]
    [InlineData("garbage", "found 1")]
    [InlineData("* * * *", "found 4")]
    [InlineData("* * * * * *", "found 6")]
    [InlineData("@yearly", "found 1")]
    public void TryParse_WrongFieldCount_FailsWithCount(string expression, string expected)
    {
        var ok = CronSchedule.TryParse(expression, out _, out var error);

        Assert.False(ok);
        Assert.Contains("expected 5 fields", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Null_Fails()
    {
        Assert.False(CronSchedule.TryParse(null, out _, out var error));
        Assert.Contains("expected 5 fields", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("60 * * * *", "minute field '60'", "within 0-59")]
    [InlineData("* 24 * * *", "hour field '24'", "within 0-23")]
    [InlineData("* * 0 * *", "day-of-month field '0'", "within 1-31")]
    [InlineData("* * 32 * *", "day-of-month field '32'", "within 1-31")]
    [InlineData("* * * 0 *", "month field '0'", "within 1-12")]
    [InlineData("* * * 13 *", "month field '13'", "within 1-12")]
    [InlineData("* * * * 8", "day-of-week field '8'", "within 0-7")]
    [InlineData("0 22-25 * * *", "hour field '22-25'", "within 0-23")]
    [InlineData("5-1 * * * *", "minute field '5-1'", "within 0-59")]
    public void TryParse_OutOfRange_FailsNamingField(string expression, string field, string reason)
    {
        var ok = CronSchedule.TryParse(expression, out _, out var error);

        Assert.False(ok);
        Assert.Contains(field, error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*/0 * * * *", "minute field '*/0'")]
    [InlineData("*/x * * * *", "minute field '*/x'")]
    [InlineData("* */ * * *", "hour field '*/'")]
    [InlineData("* * * * 1-5/-1", "day-of-week field '1-5/-1'")]
    public void TryParse_BadStep_FailsNamingField(string expression, string field)
    {
        var ok = CronSchedule.TryParse(expression, out _, out var error);

        Assert.False(ok);
        Assert.Contains(field, error, StringComparison.Ordinal);
        Assert.Contains("bad step", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc * * * *", "minute field 'abc'")]
    [InlineData("JAN * * * *", "minute field 'JAN'")]
    [InlineData("1,,2 * * * *", "minute field '1,,2'")]
    [InlineData("* -1 * * *", "hour field '-1'")]
    [InlineData("* * * FOO *", "month field 'FOO'")]
    [InlineData("* * * * MON-", "day-of-week field 'MON-'")]
    [InlineData("* * * * 1.5", "day-of-week field '1.5'")]
    public void TryParse_Garbage_FailsNamingField(string expression, string field)
    {
        var ok = CronSchedule.TryParse(expression, out _, out var error);

        Assert.False(ok);
        Assert.Contains(field, error, StringComparison.Ordinal);
        Assert.Contains("not a number, range, list or step", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithReason()
    {
        var ex = Assert.Throws<FormatException>(() => CronSchedule.Parse("61 * * * *"));

        Assert.Contains("minute field '61'", ex.Message, StringComparison.Ordinal);
    }

    private static DateTimeOffset At(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
