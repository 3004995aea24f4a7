using Marquee.Core.Providers;

namespace Marquee.Providers.Seerr;

/// <summary>Settings of an Overseerr, Jellyseerr or Seerr connection: its URL and its API key.</summary>
public sealed record SeerrSettings : ProviderSettings
{
    [Field(0, "URL (e.g. http://host:5055)", Kind = FieldKind.Url)]
    public required Uri Url { get; init; }

    [Field(1, "API key", Kind = FieldKind.Password, Secret = true)]
    public required string ApiKey { get; init; }

    public static IReadOnlyList<FieldProblem> Validate(SeerrSettings settings)
    {
        var problems = new List<FieldProblem>();
        Http.ApiKeySettings.Check(problems, settings.Url, settings.ApiKey, "Settings → General → API Key", 256);
        return problems;
    }
}
