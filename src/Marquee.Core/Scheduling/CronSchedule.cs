using System.Globalization;

namespace Marquee.Core.Scheduling;

/// <summary>
/// A five-field cron expression (minute hour day-of-month month day-of-week) in UTC, with lists,
/// ranges, steps and month/day names. When both day fields are restricted, either may match, as in Vixie cron.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _days;
    private readonly bool[] _months;
    private readonly bool[] _weekdays;
    private readonly bool _dayRestricted;
    private readonly bool _weekdayRestricted;

    private CronSchedule(string expression, bool[][] fields, bool dayRestricted, bool weekdayRestricted)
    {
        Expression = expression;
        (_minutes, _hours, _days, _months, _weekdays) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        _dayRestricted = dayRestricted;
        _weekdayRestricted = weekdayRestricted;
    }

    public string Expression { get; }

    public static CronSchedule Parse(string expression) =>
        TryParse(expression, out var schedule, out var error) ? schedule : throw new FormatException(error);

    public static bool TryParse(string? expression, out CronSchedule schedule, out string error)
    {
        schedule = null!;
        var text = expression?.Trim() ?? string.Empty;
        text = text switch
        {
            "@hourly" => "0 * * * *",
            "@daily" or "@midnight" => "0 0 * * *",
            "@weekly" => "0 0 * * 0",
            "@monthly" => "0 0 1 * *",
            _ => text,
        };
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            error = $"'{expression}' is not a cron expression: expected 5 fields (minute hour day-of-month month day-of-week), found {parts.Length}.";
            return false;
        }

        (string Name, int Min, int Max, string[]? Names)[] specs =
        [
            ("minute", 0, 59, null), ("hour", 0, 23, null), ("day-of-month", 1, 31, null), ("month", 1, 12, MonthNames), ("day-of-week", 0, 7, DayNames),
        ];
        var fields = new bool[5][];
        for (var i = 0; i < 5; i++)
        {
            if (!TryParseField(parts[i], specs[i].Min, specs[i].Max, specs[i].Names, out fields[i], out var why))
            {
                error = $"'{expression}' is not a cron expression: {specs[i].Name} field '{parts[i]}' {why}.";
                return false;
            }
        }

        // Sunday may be written as 0 or 7.
        fields[4][0] |= fields[4][7];
        // Vixie cron treats a day field whose text starts with '*' (such as */2) as unrestricted.
        schedule = new CronSchedule(text, fields, !parts[2].StartsWith('*'), !parts[4].StartsWith('*'));
        error = string.Empty;
        return true;
    }

    /// <summary>Returns the first occurrence strictly after <paramref name="after"/>, in UTC, or null when none falls in the next five years.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        var t = after.ToUniversalTime();
        var candidate = new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        var limit = candidate.AddYears(5);
        while (candidate < limit)
        {
            if (!_months[candidate.Month])
            {
                candidate = new DateTimeOffset(candidate.Year, candidate.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
                continue;
            }

            if (!DayMatches(candidate))
            {
                candidate = new DateTimeOffset(candidate.Year, candidate.Month, candidate.Day, 0, 0, 0, TimeSpan.Zero).AddDays(1);
                continue;
            }

            if (!_hours[candidate.Hour])
            {
                candidate = new DateTimeOffset(candidate.Year, candidate.Month, candidate.Day, candidate.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
                continue;
            }

            if (!_minutes[candidate.Minute])
            {
                candidate = candidate.AddMinutes(1);
                continue;
            }

            return candidate;
        }

        return null;
    }

    private bool DayMatches(DateTimeOffset date)
    {
        var day = _days[date.Day];
        var weekday = _weekdays[(int)date.DayOfWeek];
        return _dayRestricted && _weekdayRestricted ? day || weekday : day && weekday;
    }

    private static bool TryParseField(string field, int min, int max, string[]? names, out bool[] allowed, out string error)
    {
        allowed = new bool[max + 1];
        foreach (var item in field.Split(','))
        {
            var step = 1;
            var range = item;
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
                {
                    error = "has a bad step";
                    return false;
                }

                range = item[..slash];
            }

            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else
            {
                var dash = range.IndexOf('-', StringComparison.Ordinal);
                if (!TryValue(dash < 0 ? range : range[..dash], names, min, out from) ||
                    !TryValue(dash < 0 ? range : range[(dash + 1)..], names, min, out to))
                {
                    error = "is not a number, range, list or step";
                    return false;
                }

                if (dash < 0 && slash >= 0)
                {
                    to = max;
                }
            }

            if (from < min || to > max || from > to)
            {
                error = $"must stay within {min}-{max}";
                return false;
            }

            for (var v = from; v <= to; v += step)
            {
                allowed[v] = true;
            }
        }

        error = string.Empty;
        return true;
    }

    private static bool TryValue(string text, string[]? names, int min, out int value)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        var index = names is null ? -1 : Array.IndexOf(names, text.ToUpperInvariant());
        value = index + (min == 1 ? 1 : 0);
        return index >= 0;
    }
}
