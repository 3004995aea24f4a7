using System.Text.RegularExpressions;
using Marquee.Core.Providers;

namespace Marquee.Core.Validation;

/// <summary>Names of connections, profiles and flows: short, readable, usable on a command line.</summary>
public static partial class Names
{
    public static FieldProblem? Check(string? name, string field = "name")
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return new FieldProblem(field, $"'{field}' is required.");
        }

        return NamePattern().IsMatch(name)
            ? null
            : new FieldProblem(field, $"'{field}' must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit, and not only digits.");
    }

    [GeneratedRegex(@"^(?![0-9]+\z)[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex NamePattern();
}
