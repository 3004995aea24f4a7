using System.Globalization;

namespace Marquee.Core.Scheduling;

/// <summary>
/// A schedule given as a time of day (<c>HH:mm</c>, UTC) and, optionally, days of the week, kept as the five-field cron
/// expression it stands for, so that <see cref="CronSchedule"/> computes every next run.
/// </summary>
public static class TimeOfDaySchedule
{
    /// <summary>The day names accepted, as error messages show them.</summary>
    public const string DayNames = "mon, tue, wed, thu, fri, sat, sun (or monday to sunday)";

    private static readonly string[] Abbreviations = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>Reads a time of day written <c>HH:mm</c> (00:00 to 23:59).</summary>
    public static bool TryParseTime(string? text, out TimeSpan time) =>
        TimeSpan.TryParseExact(text, "hh\\:mm", CultureInfo.InvariantCulture, out time) && time >= TimeSpan.Zero && time < TimeSpan.FromDays(1);

    /// <summary>Reads a day of the week written short (<c>mon</c>) or in full (<c>monday</c>), in any case.</summary>
    public static bool TryParseDay(string? text, out DayOfWeek day)
    {
        var name = text?.Trim() ?? string.Empty;
        for (var i = 0; i < 7; i++)
        {
            if (name.Equals(Abbreviations[i], StringComparison.OrdinalIgnoreCase) || name.Equals(((DayOfWeek)i).ToString(), StringComparison.OrdinalIgnoreCase))
            {
                day = (DayOfWeek)i;
                return true;
            }
        }

        day = default;
        return false;
    }

    /// <summary>Returns the first of <paramref name="days"/> that is not a day of the week, or null when all are.</summary>
    public static string? UnknownDay(IEnumerable<string> days) => days.FirstOrDefault(d => !TryParseDay(d, out _));

    /// <summary>The cron expression for <paramref name="at"/> on <paramref name="days"/> (every day when none are given).</summary>
    public static string ToCron(TimeSpan at, IEnumerable<DayOfWeek> days)
    {
        var weekdays = days.Distinct().Order().Select(d => ((int)d).ToString(CultureInfo.InvariantCulture)).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{at.Minutes} {at.Hours} * * {(weekdays.Count == 0 ? "*" : string.Join(',', weekdays))}");
    }

    /// <summary>The cron expression for a time of day and day names, or null when the time or a day cannot be read.</summary>
    public static string? ToCron(string? at, IEnumerable<string> days)
    {
        if (!TryParseTime(at, out var time))
        {
            return null;
        }

        var parsed = new List<DayOfWeek>();
        foreach (var name in days)
        {
            if (!TryParseDay(name, out var day))
            {
                return null;
            }

            parsed.Add(day);
        }

        return ToCron(time, parsed);
    }
}
