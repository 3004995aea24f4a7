using System.Text.RegularExpressions;
using Marquee.Core.Providers;
using Marquee.Core.Scheduling;

namespace Marquee.Core.Labels;

/// <summary>
/// Label sync settings (README "Label sync"): the prefix that marks Marquee's labels, the Plex connection, whose wants
/// count and from where, which Sonarr/Radarr instances' tags become labels, what happens when a user no longer wants an
/// item, the concurrency of edits and an optional schedule (cron, or a time of day on days of the week).
/// </summary>
public sealed record LabelSettings
{
    public const string DefaultPrefix = "marquee";

    /// <summary>Gets the prefix; a label is Marquee's when it starts with <c>{prefix}:</c> (any case).</summary>
    public string Prefix { get; init; } = DefaultPrefix;

    /// <summary>Gets the Plex connection whose items are labelled; null for the only one.</summary>
    public string? Plex { get; init; }

    /// <summary>Gets the profiles whose wants count; empty for every profile.</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>Gets the name used in a profile's label instead of the profile's name (profile → alias).</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets a value indicating whether the Plex watchlists of the profiles' Plex accounts count.</summary>
    public bool Watchlists { get; init; } = true;

    /// <summary>Gets the Overseerr/Jellyseerr/Seerr connections whose requests count.</summary>
    public IReadOnlyList<string> Seerr { get; init; } = [];

    /// <summary>Gets the Radarr/Sonarr connections whose tags become labels.</summary>
    public IReadOnlyList<string> TagInstances { get; init; } = [];

    /// <summary>Gets a pattern of tags never copied (the request managers' user tags such as <c>1-alice</c>); empty copies every tag.</summary>
    public string ExcludeTags { get; init; } = @"^\d+-";

    /// <summary>Gets what happens to a user's label once the user no longer wants the item: <c>remove</c>, <c>keep</c> or <c>special</c>.</summary>
    public string RemovedMode { get; init; } = "remove";

    /// <summary>Gets the marker's name after the prefix in <c>special</c> mode (default <c>removed</c>: <c>{prefix}:removed</c>).</summary>
    public string RemovedLabel { get; init; } = "removed";

    /// <summary>Gets a value indicating whether labels of users and tags that no longer exist are taken off (orphan cleanup).</summary>
    public bool CleanupOrphans { get; init; } = true;

    /// <summary>Gets how many label edits run at once (1 to 20).</summary>
    public int Concurrency { get; init; } = 5;

    /// <summary>Gets how many days a title not yet in Plex stays pending (retried with back-off) before retries stop (1 to 365).</summary>
    public int PendingExpiryDays { get; init; } = 30;

    /// <summary>Gets the full sync's cron schedule (five fields, UTC); null for none. Not together with <see cref="At"/>.</summary>
    public string? Schedule { get; init; }

    /// <summary>Gets the time of day (<c>HH:mm</c>, UTC) of the full sync, instead of a cron schedule; null for none.</summary>
    public string? At { get; init; }

    /// <summary>Gets the days of the week the sync runs at <see cref="At"/> (<c>mon</c> or <c>monday</c>); empty for every day.</summary>
    public IReadOnlyList<string> Days { get; init; } = [];

    /// <summary>Returns the cron expression the schedule stands for (the cron schedule, or the time of day on its days), or null for none.</summary>
    public string? Cron() => Schedule ?? (At is null ? null : TimeOfDaySchedule.ToCron(At, Days));

    /// <summary>Returns the first scheduled run strictly after <paramref name="after"/> (UTC), or null when there is no (valid) schedule.</summary>
    public DateTimeOffset? NextRun(DateTimeOffset after) =>
        CronSchedule.TryParse(Cron(), out var schedule, out _) ? schedule.Next(after) : null;

    public static IReadOnlyList<FieldProblem> Validate(LabelSettings settings)
    {
        var problems = new List<FieldProblem>();
        if (Word(settings.Prefix) is { } prefix)
        {
            problems.Add(new FieldProblem("prefix", $"'prefix' {prefix}"));
        }

        if (Word(settings.RemovedLabel) is { } removed)
        {
            problems.Add(new FieldProblem("removedLabel", $"'removedLabel' {removed}"));
        }

        foreach (var (profile, alias) in settings.Aliases)
        {
            if (Word(alias) is { } problem)
            {
                problems.Add(new FieldProblem("aliases", $"the alias of '{profile}' {problem}"));
            }
            else if (alias.Contains('@', StringComparison.Ordinal))
            {
                problems.Add(new FieldProblem("aliases", $"the alias of '{profile}' must be a name, not an e-mail address"));
            }
        }

        if (settings.RemovedMode is not ("remove" or "keep" or "special"))
        {
            problems.Add(new FieldProblem("removedMode", "'removedMode' must be 'remove', 'keep' or 'special'."));
        }

        if (settings.Concurrency is < 1 or > 20)
        {
            problems.Add(new FieldProblem("concurrency", "'concurrency' must be between 1 and 20."));
        }

        if (settings.PendingExpiryDays is < 1 or > 365)
        {
            problems.Add(new FieldProblem("pendingExpiryDays", "'pendingExpiryDays' must be between 1 and 365."));
        }

        if (settings.ExcludeTags.Length > 0)
        {
            try
            {
                _ = new Regex(settings.ExcludeTags, RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                problems.Add(new FieldProblem("excludeTags", $"'excludeTags' is not a valid pattern: {ex.Message}"));
            }
        }

        if (settings.Schedule is { } schedule && !CronSchedule.TryParse(schedule, out _, out var cronError))
        {
            problems.Add(new FieldProblem("schedule", $"'schedule' is not a cron expression: {cronError}"));
        }

        if (settings.Schedule is not null && settings.At is not null)
        {
            problems.Add(new FieldProblem("schedule", "'schedule' and 'at' cannot both be given: use either a cron schedule or a time of day (with 'days')."));
        }

        if (settings.At is { } at && !TimeOfDaySchedule.TryParseTime(at, out _))
        {
            problems.Add(new FieldProblem("at", $"'at' is not a time of day: '{at}'; use HH:mm (UTC), 00:00 to 23:59."));
        }

        if (TimeOfDaySchedule.UnknownDay(settings.Days) is { } day)
        {
            problems.Add(new FieldProblem("days", $"'days': '{day}' is not a day of the week; use {TimeOfDaySchedule.DayNames}."));
        }
        else if (settings.Days.Count > 0 && settings.At is null)
        {
            problems.Add(new FieldProblem("days", "'days' needs a time of day in 'at'."));
        }

        return problems;
    }

    /// <summary>Why <paramref name="value"/> cannot follow the prefix colon, or null when it can: letters, digits, '-', '_' and '.', at most 40.</summary>
    private static string? Word(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty.";
        }

        if (value.Length > 40)
        {
            return "must be at most 40 characters.";
        }

        return value.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.')
            ? null
            : $"'{value}' may hold only letters, digits, '-', '_' and '.' (no spaces, no colons).";
    }
}
