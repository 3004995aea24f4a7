using Marquee.Core.Providers;
using Marquee.Core.Validation;

namespace Marquee.Providers.Arr;

/// <summary>Settings of a Radarr or Sonarr connection: its URL (with the URL base, if any) and its API key.</summary>
public sealed record ArrSettings : ProviderSettings
{
    [Field(0, "URL (with the URL base, e.g. http://host:7878/radarr)", Kind = FieldKind.Url)]
    public required Uri Url { get; init; }

    [Field(1, "API key", Kind = FieldKind.Password, Secret = true)]
    public required string ApiKey { get; init; }

    /// <summary>Gets the profiles (comma-separated names) whose watches unmonitor items here; none: nothing is unmonitored.</summary>
    [Field(2, "Unmonitor what these profiles watched (comma-separated profile names)", Kind = FieldKind.Tag, HelpText = "Once one of them has watched a movie or an episode on any Plex, Jellyfin or Emby connection, it is unmonitored here.")]
    public string? UnmonitorProfiles { get; init; }

    /// <summary>Gets <c>unmonitor</c> (the default) or <c>dry-run</c> (record and log what would be unmonitored, change nothing).</summary>
    [Field(3, "Unmonitor mode", Kind = FieldKind.Select, HelpText = "unmonitor or dry-run")]
    public string? UnmonitorMode { get; init; }

    /// <summary>Gets, for Sonarr, <c>episode</c> (the default) or <c>season</c> (also unmonitor a season once every episode of it is unmonitored as watched).</summary>
    [Field(4, "Sonarr: also unmonitor a season once all its episodes are watched", Kind = FieldKind.Select, HelpText = "episode or season")]
    public string? UnmonitorSeason { get; init; }

    /// <summary>Gets the chosen profiles' names, trimmed, without empties.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> UnmonitorProfileNames =>
        [.. (UnmonitorProfiles ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Gets a value indicating whether nothing is written, only recorded.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool UnmonitorDryRun => string.Equals(UnmonitorMode, "dry-run", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets a value indicating whether a season is unmonitored once all its episodes are.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool UnmonitorSeasons => string.Equals(UnmonitorSeason, "season", StringComparison.OrdinalIgnoreCase);
}

public static class ArrSettingsValidator
{
    public static IReadOnlyList<FieldProblem> Validate(ArrSettings settings, string kind = "sonarr")
    {
        var problems = new List<FieldProblem>();
        Http.ApiKeySettings.Check(problems, settings.Url, settings.ApiKey, "Settings → General → Security → API Key", 128);

        foreach (var name in settings.UnmonitorProfileNames)
        {
            if (Names.Check(name, "unmonitorProfiles") is { } problem)
            {
                problems.Add(new FieldProblem("unmonitorProfiles", $"'unmonitorProfiles' must be profile names separated by commas; '{name}': {problem.Message}"));
                break;
            }
        }

        if (settings.UnmonitorMode is not null && settings.UnmonitorMode.ToLowerInvariant() is not ("unmonitor" or "dry-run"))
        {
            problems.Add(new FieldProblem("unmonitorMode", "'unmonitorMode' must be 'unmonitor' or 'dry-run'."));
        }

        if (settings.UnmonitorSeason is not null)
        {
            if (kind != "sonarr")
            {
                problems.Add(new FieldProblem("unmonitorSeason", "'unmonitorSeason' is a Sonarr setting; Radarr has no seasons."));
            }
            else if (settings.UnmonitorSeason.ToLowerInvariant() is not ("episode" or "season"))
            {
                problems.Add(new FieldProblem("unmonitorSeason", "'unmonitorSeason' must be 'episode' or 'season'."));
            }
        }

        return problems;
    }
}
