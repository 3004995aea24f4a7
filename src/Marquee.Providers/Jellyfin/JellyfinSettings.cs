using Marquee.Core.Providers;
using Marquee.Providers.Http;

namespace Marquee.Providers.Jellyfin;

/// <summary>Settings shared by Jellyfin and Emby: an API key, or a user name and password.</summary>
public sealed record JellyfinSettings : ProviderSettings
{
    [Field(0, "Server URL", Kind = FieldKind.Url)]
    public required Uri Url { get; init; }

    [Field(1, "API key", Kind = FieldKind.Password, Secret = true)]
    public string? ApiKey { get; init; }

    [Field(2, "User name")]
    public string? User { get; init; }

    [Field(3, "Password", Kind = FieldKind.Password, Secret = true)]
    public string? Password { get; init; }
}

public sealed class JellyfinSettingsValidator
{
    public static IReadOnlyList<FieldProblem> Validate(JellyfinSettings settings)
    {
        var problems = new List<FieldProblem>();
        ProviderUrl.Check(problems, settings.Url);

        var hasKey = !string.IsNullOrWhiteSpace(settings.ApiKey);
        var hasUser = !string.IsNullOrWhiteSpace(settings.User);
        if (!hasKey && !hasUser)
        {
            problems.Add(new FieldProblem("apiKey", "Give 'apiKey', or 'user' and 'password'."));
        }
        else if (hasKey && hasUser)
        {
            problems.Add(new FieldProblem("user", "Give either 'apiKey' or 'user' and 'password', not both."));
        }
        else if (hasUser && string.IsNullOrEmpty(settings.Password))
        {
            problems.Add(new FieldProblem("password", "'password' is required with 'user'."));
        }

        return problems;
    }
}
