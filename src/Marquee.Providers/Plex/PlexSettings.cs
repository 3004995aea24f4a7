using Marquee.Core.Providers;
using Marquee.Providers.Http;

namespace Marquee.Providers.Plex;

public sealed record PlexSettings : ProviderSettings
{
    [Field(0, "Server URL", Kind = FieldKind.Url, HelpText = "The Plex Media Server, for example http://192.168.1.10:32400")]
    public required Uri Url { get; init; }

    [Field(1, "Token", Kind = FieldKind.Password, Secret = true, HelpText = "The owner's Plex token (X-Plex-Token)")]
    public required string Token { get; init; }

    [Field(2, "Server name", Advanced = true)]
    public string? ServerName { get; init; }

    [Field(3, "Machine identifier", Advanced = true)]
    public string? MachineIdentifier { get; init; }

    [Field(4, "Client identifier", Advanced = true, HelpText = "X-Plex-Client-Identifier Marquee sends; generated when empty")]
    public string? ClientIdentifier { get; init; }

    [Field(5, "plex.tv token", Kind = FieldKind.Password, Secret = true, Advanced = true, HelpText = "The owner's plex.tv account token, for Home users, friends and the watchlist; the server token is used when empty")]
    public string? PlexTvToken { get; init; }

    [Field(6, "Parallel requests", Kind = FieldKind.Number, Advanced = true, HelpText = "At most this many requests to the server at once (default 8)")]
    public int? MaxConcurrency { get; init; }
}

public sealed class PlexSettingsValidator
{
    public static IReadOnlyList<FieldProblem> Validate(PlexSettings settings)
    {
        var problems = new List<FieldProblem>();
        ProviderUrl.Check(problems, settings.Url);

        if (string.IsNullOrWhiteSpace(settings.Token) || settings.Token.Any(char.IsWhiteSpace))
        {
            problems.Add(new FieldProblem("token", "'token' must be a Plex token without spaces."));
        }

        if (settings.MaxConcurrency is < 1 or > 64)
        {
            problems.Add(new FieldProblem("maxConcurrency", "'maxConcurrency' must be between 1 and 64."));
        }

        return problems;
    }
}
