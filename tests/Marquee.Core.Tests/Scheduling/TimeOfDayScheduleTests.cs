using Marquee.Core.Scheduling;

namespace Marquee.Core.Tests.Scheduling;

public sealed class TimeOfDayScheduleTests
{
    [Theory]
    [InlineData("00:00", 0, 0)]
    [InlineData("03:30", 3, 30)]
    [InlineData("23:59", 23, 59)]
    public void TryParseTime_HHmm_IsRead(string text, int hours, int minutes)
    {
        Assert.True(TimeOfDaySchedule.TryParseTime(text, out var time));
        Assert.Equal(new TimeSpan(hours, minutes, 0), time);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("24:00")]
    [InlineData("25:00")]
    [InlineData("12:60")]
    [InlineData("3pm")]
    [InlineData("03:00:00")]
    [InlineData("-01:00")]
    [InlineData("noon")]
    public void TryParseTime_NotATimeOfDay_IsRefused(string? text) =>
        Assert.False(TimeOfDaySchedule.TryParseTime(text, out _));

    [Theory]
    [InlineData("mon", DayOfWeek.Monday)]
    [InlineData("Monday", DayOfWeek.Monday)]
    [InlineData("TUE", DayOfWeek.Tuesday)]
    [InlineData(" sun ", DayOfWeek.Sunday)]
    [InlineData("saturday", DayOfWeek.Saturday)]
    public void TryParseDay_ShortOrFullInAnyCase_IsRead(string text, DayOfWeek expected)
    {
        Assert.True(TimeOfDaySchedule.TryParseDay(text, out var day));
        Assert.Equal(expected, day);
    }

    [Theory]
    [InlineData("funday")]
    [InlineData("1")]
    [InlineData("mo")]
    [InlineData("")]
    public void TryParseDay_NotADay_IsRefused(string text) =>
        Assert.False(TimeOfDaySchedule.TryParseDay(text, out _));

    [Fact]
    public void ToCron_TimeAndDays_IsTheCronExpression_DaysSortedOnce()
    {
        Assert.Equal("30 3 * * *", TimeOfDaySchedule.ToCron("03:30", []));
        Assert.Equal("5 22 * * 0,1,5", TimeOfDaySchedule.ToCron("22:05", ["fri", "monday", "sun", "Fri"]));
        Assert.Null(TimeOfDaySchedule.ToCron("22:05", ["fri", "funday"]));
        Assert.Null(TimeOfDaySchedule.ToCron("25:00", []));
    }
}
