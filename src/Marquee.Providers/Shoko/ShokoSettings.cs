using Marquee.Core.Providers;
using Marquee.Providers.Http;

namespace Marquee.Providers.Shoko;

/// <summary>A Shoko Server: an API key, or a user name and password (which may be empty, as Shoko allows).</summary>
public sealed record ShokoSettings : ProviderSettings
{
    [Field(0, "Server URL", Kind = FieldKind.Url)]
    public required Uri Url { get; init; }

    [Field(1, "API key", Kind = FieldKind.Password, Secret = true)]
    public string? ApiKey { get; init; }

    [Field(2, "User name")]
    public string? User { get; init; }

    [Field(3, "Password", Kind = FieldKind.Password, Secret = true, HelpText = "May be empty: Shoko accounts often have none.")]
    public string? Password { get; init; }

    [Field(4, "Other users' passwords", Kind = FieldKind.Password, Secret = true, Advanced = true, HelpText = "For an administrator connection: name=password pairs, comma separated, for the Shoko users who have a password (users without one need nothing).")]
    public string? UserPasswords { get; init; }

    [Field(5, "Server line", Advanced = true, HelpText = "auto (read from the server), 5 (5.x stable) or 6 (6.0 daily); set it when the server's version cannot be read.")]
    public string ServerVersion { get; init; } = "auto";

    /// <summary>Gets the server line the settings fix (5 or 6), or null to read it from the server.</summary>
    public int? FixedServerLine => ServerVersion?.Trim() switch
    {
        "5" => 5,
        "6" => 6,
        _ => null,
    };

    /// <summary>The passwords of <see cref="UserPasswords"/> by user name, or null with the reason when the value is malformed.</summary>
    public (IReadOnlyDictionary<string, string>? Passwords, string? Problem) ParsePasswords()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in (UserPasswords ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return (null, "'userPasswords' takes name=password pairs separated by commas.");
            }

            result[pair[..eq].Trim()] = pair[(eq + 1)..];
        }

        return (result, null);
    }
}

public static class ShokoSettingsValidator
{
    public static IReadOnlyList<FieldProblem> Validate(ShokoSettings settings)
    {
        var problems = new List<FieldProblem>();
        ProviderUrl.Check(problems, settings.Url);

        var hasKey = !string.IsNullOrWhiteSpace(settings.ApiKey);
        var hasUser = !string.IsNullOrWhiteSpace(settings.User);
        if (!hasKey && !hasUser)
        {
            problems.Add(new FieldProblem("apiKey", "Give 'apiKey', or 'user' (and 'password' when the account has one)."));
        }
        else if (hasKey && hasUser)
        {
            problems.Add(new FieldProblem("user", "Give either 'apiKey' or 'user' and 'password', not both."));
        }

        if (settings.FixedServerLine is null && settings.ServerVersion?.Trim() != "auto")
        {
            problems.Add(new FieldProblem("serverVersion", "'serverVersion' is auto, 5 or 6."));
        }

        if (settings.ParsePasswords().Problem is { } problem)
        {
            problems.Add(new FieldProblem("userPasswords", problem));
        }

        return problems;
    }
}
