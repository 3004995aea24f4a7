using Marquee.Core.Providers;
using Marquee.Providers.Http;

namespace Marquee.Providers.Trakt;

/// <summary>
/// A Trakt account signed in through the device login: the app's client id and secret, and the account's tokens
/// (secrets, stored encrypted). The tokens are replaced whenever Marquee renews them.
/// </summary>
public sealed record TraktSettings : ProviderSettings
{
    public static readonly Uri DefaultUrl = new("https://api.trakt.tv/");

    [Field(0, "API URL", Kind = FieldKind.Url, Advanced = true, HelpText = "Trakt's API; only a test server needs another.")]
    public Uri Url { get; init; } = DefaultUrl;

    [Field(1, "Client id", HelpText = "The client id of the Trakt app Marquee signs in as (trakt.tv/oauth/applications).")]
    public required string ClientId { get; init; }

    [Field(2, "Client secret", Kind = FieldKind.Password, Secret = true)]
    public required string ClientSecret { get; init; }

    [Field(3, "Access token", Kind = FieldKind.Password, Secret = true, Advanced = true, Renewed = true, HelpText = "Given by 'marquee connection add trakt' (device login); renewed by Marquee.")]
    public required string AccessToken { get; init; }

    [Field(4, "Refresh token", Kind = FieldKind.Password, Secret = true, Advanced = true, Renewed = true)]
    public required string RefreshToken { get; init; }

    [Field(5, "Access token expiry", Advanced = true, Renewed = true, HelpText = "created_at + expires_in of the last token answer (UTC); without it the token is renewed at first use.")]
    public DateTimeOffset? ExpiresAt { get; init; }
}

public static class TraktSettingsValidator
{
    public static IReadOnlyList<FieldProblem> Validate(TraktSettings settings)
    {
        var problems = new List<FieldProblem>();
        ProviderUrl.Check(problems, settings.Url);

        foreach (var (field, value) in new[] { ("clientId", settings.ClientId), ("clientSecret", settings.ClientSecret), ("accessToken", settings.AccessToken), ("refreshToken", settings.RefreshToken) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace))
            {
                problems.Add(new FieldProblem(field, $"'{field}' must be a value without spaces."));
            }
        }

        return problems;
    }
}
