using System.Globalization;
using System.Text.RegularExpressions;

namespace Marquee.Core.Scheduling;

/// <summary>
/// When a flow reconciles: <c>off</c>, an interval (<c>15m</c>, <c>2h</c>, <c>1d</c>: that long after the previous
/// run) or a five-field cron expression in UTC (<see cref="CronSchedule"/>). Every flow has two: an incremental run
/// (what changed since the previous one; <see cref="DefaultIncremental"/>) and a full run (<see cref="DefaultFull"/>).
/// </summary>
public sealed partial class ReconcileSchedule
{
    /// <summary>The incremental run of a flow that names none: every 15 minutes.</summary>
    public const string DefaultIncremental = "15m";

    /// <summary>The full run of a flow that names none: nightly, at 03:00 UTC.</summary>
    public const string DefaultFull = "0 3 * * *";

    /// <summary>The value that turns a run off.</summary>
    public const string Off = "off";

    private readonly TimeSpan? _interval;
    private readonly CronSchedule? _cron;

    private ReconcileSchedule(string expression, TimeSpan? interval, CronSchedule? cron)
    {
        Expression = expression;
        _interval = interval;
        _cron = cron;
    }

    public string Expression { get; }

    /// <summary>Gets a value indicating whether the run is turned off.</summary>
    public bool IsOff => _interval is null && _cron is null;

    /// <summary>Parses <paramref name="text"/>; <paramref name="error"/> names <paramref name="field"/> and what is accepted.</summary>
    public static bool TryParse(string? text, string field, out ReconcileSchedule schedule, out string error)
    {
        schedule = null!;
        error = string.Empty;
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            error = $"'{field}' is empty; use an interval such as 15m, 2h or 1d, a cron expression such as \"0 3 * * *\", or off.";
            return false;
        }

        if (value.Equals(Off, StringComparison.OrdinalIgnoreCase))
        {
            schedule = new ReconcileSchedule(Off, null, null);
            return true;
        }

        var match = Interval().Match(value);
        if (match.Success)
        {
            var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var span = match.Groups[2].Value switch
            {
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
            if (span < TimeSpan.FromMinutes(1))
            {
                error = $"'{field}' ({value}) must be at least 1m.";
                return false;
            }

            schedule = new ReconcileSchedule(value, span, null);
            return true;
        }

        if (!CronSchedule.TryParse(value, out var cron, out var cronError))
        {
            error = $"'{field}' must be an interval such as 15m, 2h or 1d, a cron expression, or off: {cronError}";
            return false;
        }

        schedule = new ReconcileSchedule(value, null, cron);
        return true;
    }

    /// <summary>Returns the first time after <paramref name="previous"/> the run is due, or null when it is off or never due.</summary>
    public DateTimeOffset? Next(DateTimeOffset previous) => _interval is { } interval ? previous + interval : _cron?.Next(previous);

    [GeneratedRegex("^([0-9]{1,5})([mhd])$")]
    private static partial Regex Interval();
}
