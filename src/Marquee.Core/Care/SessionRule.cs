using System.Globalization;
using System.Text.RegularExpressions;
using Marquee.Core.Providers;

namespace Marquee.Core.Care;

/// <summary>What a session rule does to the sessions it matches.</summary>
public static class RuleActions
{
    public const string Stop = "stop";
    public const string Notify = "notify";
}

/// <summary>
/// A session rule: a scope (users, devices) and conditions on the live session; a session matches when it is in the
/// scope, is not exempt, and meets every condition that is set. The action stops it with <see cref="Message"/> or only notifies.
/// </summary>
public sealed partial record SessionRule
{
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the Plex connection (name); empty means the only connection that can manage sessions.</summary>
    public string? Connection { get; init; }

    public string Action { get; init; } = RuleActions.Stop;

    /// <summary>Gets the text the viewer sees when the session is stopped.</summary>
    public string? Message { get; init; }

    /// <summary>Gets how long a session must keep matching before the rule acts.</summary>
    public int GraceSeconds { get; init; }

    /// <summary>Gets a value indicating whether the rule only records what it would do.</summary>
    public bool DryRun { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>Gets the users the rule applies to (empty: every user).</summary>
    public IReadOnlyList<string> Users { get; init; } = [];

    /// <summary>Gets the devices (player name or identifier) the rule applies to (empty: every device).</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    public IReadOnlyList<string> ExemptUsers { get; init; } = [];

    public IReadOnlyList<string> ExemptDevices { get; init; } = [];

    /// <summary>Gets the most streams one user may have; the newer ones above it match.</summary>
    public int? MaxStreamsPerUser { get; init; }

    /// <summary>Gets the most streams the server may have; the newer ones above it match.</summary>
    public int? MaxStreamsPerServer { get; init; }

    /// <summary>Gets which transcoding matches: <c>video</c>, <c>audio</c> or <c>any</c>.</summary>
    public string? Transcode { get; init; }

    /// <summary>Gets the source resolution from which the rule applies (<c>4k</c>, <c>1080</c>, <c>720</c>…).</summary>
    public string? MinResolution { get; init; }

    /// <summary>Gets a value indicating whether only remote (WAN) sessions match.</summary>
    public bool? Remote { get; init; }

    /// <summary>Gets the bandwidth in kbps above which a session matches.</summary>
    public long? MinBandwidthKbps { get; init; }

    public IReadOnlyList<string> Platforms { get; init; } = [];

    public IReadOnlyList<string> Products { get; init; } = [];

    /// <summary>Gets how many minutes a session must have been paused to match.</summary>
    public int? PausedMinutes { get; init; }

    /// <summary>Gets the libraries (title or key) whose sessions match.</summary>
    public IReadOnlyList<string> Libraries { get; init; } = [];

    /// <summary>Gets the time of day (UTC) when the rule applies, <c>HH:mm-HH:mm</c>; it may wrap past midnight.</summary>
    public string? Between { get; init; }

    /// <summary>Gets the minimum source height in lines, from <see cref="MinResolution"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int? MinHeight => ParseResolution(MinResolution);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasCondition =>
        MaxStreamsPerUser is not null || MaxStreamsPerServer is not null || Transcode is not null || MinResolution is not null || Remote is not null ||
        MinBandwidthKbps is not null || Platforms.Count > 0 || Products.Count > 0 || PausedMinutes is not null || Libraries.Count > 0 || Between is not null;

    /// <summary>Checks the rule's own values (not whether its users and devices exist); each problem names its field.</summary>
    public IReadOnlyList<FieldProblem> Validate()
    {
        var problems = new List<FieldProblem>();
        void Check(bool bad, string field, string message)
        {
            if (bad)
            {
                problems.Add(new FieldProblem(field, message));
            }
        }

        Check(Validation.Names.Check(Name) is not null, "name", Validation.Names.Check(Name)?.Message ?? string.Empty);
        Check(Action is not (RuleActions.Stop or RuleActions.Notify), "action", $"'{Action}' is not an action: use stop or notify.");
        Check(Action == RuleActions.Stop && string.IsNullOrWhiteSpace(Message), "message", "A stop rule needs the message the viewer sees.");
        Check(Message?.Length > 500, "message", "The message is longer than 500 characters.");
        Check(GraceSeconds < 0, "graceSeconds", "The grace period cannot be negative.");
        Check(MaxStreamsPerUser < 0, "maxStreamsPerUser", "The stream limit cannot be negative.");
        Check(MaxStreamsPerServer < 0, "maxStreamsPerServer", "The stream limit cannot be negative.");
        Check(MinBandwidthKbps < 0, "minBandwidthKbps", "The bandwidth cannot be negative.");
        Check(PausedMinutes < 0, "pausedMinutes", "The paused time cannot be negative.");
        Check(Transcode is not (null or "video" or "audio" or "any"), "transcode", $"'{Transcode}' is not a transcode condition: use video, audio or any.");
        Check(MinResolution is not null && MinHeight is null, "minResolution", $"'{MinResolution}' is not a resolution: use 4k, 1080, 720, 576, 480 or sd.");
        Check(Between is not null && !TryParseBetween(Between, out _, out _), "between", $"'{Between}' is not a time of day range: use HH:mm-HH:mm (UTC).");
        Check(MinBandwidthKbps is not null && Remote == false, "remote", "A bandwidth condition applies to remote sessions; remote cannot be false.");
        foreach (var (field, list) in new[] { ("users", Users), ("devices", Devices), ("exemptUsers", ExemptUsers), ("exemptDevices", ExemptDevices), ("platforms", Platforms), ("products", Products), ("libraries", Libraries) })
        {
            Check(list.Any(string.IsNullOrWhiteSpace), field, "Entries cannot be empty.");
        }

        Check(!HasCondition && Users.Count == 0 && Devices.Count == 0, "conditions", "A rule needs a condition or a scope (users or devices); without one it would stop every session.");
        return problems;
    }

    public static int? ParseResolution(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "4k" or "uhd" or "2160" or "2160p" => 2160,
        "sd" => 480,
        var text when int.TryParse(text.TrimEnd('p'), NumberStyles.None, CultureInfo.InvariantCulture, out var lines) && lines is > 0 and <= 4320 => lines,
        _ => null,
    };

    public static bool TryParseBetween(string value, out TimeSpan from, out TimeSpan to)
    {
        from = to = default;
        var match = BetweenPattern().Match(value);
        return match.Success
            && TimeSpan.TryParseExact(match.Groups[1].Value, "hh\\:mm", CultureInfo.InvariantCulture, out from)
            && TimeSpan.TryParseExact(match.Groups[2].Value, "hh\\:mm", CultureInfo.InvariantCulture, out to)
            && from < TimeSpan.FromDays(1) && to < TimeSpan.FromDays(1) && from != to;
    }

    [GeneratedRegex(@"^\s*(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})\s*$", RegexOptions.None, 1000)]
    private static partial Regex BetweenPattern();
}
