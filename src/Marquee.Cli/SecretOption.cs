using System.CommandLine;

namespace Marquee.Cli;

/// <summary>
/// A secret given on the command line (<c>--token VALUE</c>), from standard input (<c>--token -</c>), from a file
/// (<c>--token-file FILE</c>) or from an environment variable, so that it need not appear in the process list or the
/// shell history.
/// </summary>
internal sealed class SecretOption
{
    public SecretOption(string name, string description, string environmentVariable)
    {
        EnvironmentVariable = environmentVariable;
        Value = new Option<string?>("--" + name)
        {
            Description = $"{description} Give '-' to read it from standard input, or use --{name}-file or {environmentVariable} to keep it out of the process list.",
        };
        File = new Option<string?>($"--{name}-file") { Description = $"Read the {name.Replace('-', ' ')} from FILE (its first line).", HelpName = "FILE" };
    }

    public Option<string?> Value { get; }

    public Option<string?> File { get; }

    public string EnvironmentVariable { get; }

    public bool IsGiven(ParseResult parse) => parse.GetValue(Value) is not null || parse.GetValue(File) is not null;

    /// <summary>Returns the secret from the option, standard input or the file; null when neither is given (see <see cref="FromEnvironment"/>).</summary>
    public async Task<string?> ReadAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var value = parse.GetValue(Value);
        var file = parse.GetValue(File);
        if (value is not null && file is not null)
        {
            throw new CliException($"Give {Value.Name} or {File.Name}, not both.", ExitCodes.Usage);
        }

        if (file is not null)
        {
            string text;
            try
            {
                text = await System.IO.File.ReadAllTextAsync(file, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"{File.Name}: cannot read {file}: {ex.Message}", ExitCodes.Usage);
            }

            return FirstLine(text, $"{File.Name}: {file} is empty.");
        }

        if (value == "-")
        {
            return FirstLine(await context.Input.ReadToEndAsync(cancellationToken), $"{Value.Name} -: standard input is empty.");
        }

        return value;
    }

    /// <summary>Returns the environment variable's value, or null when it is unset or empty.</summary>
    public string? FromEnvironment(CliContext context) => context.Environment(EnvironmentVariable) is { Length: > 0 } value ? value.Trim() : null;

    private static string FirstLine(string text, string emptyMessage)
    {
        var line = text.ReplaceLineEndings("\n").Split('\n', 2)[0].Trim();
        return line.Length > 0 ? line : throw new CliException(emptyMessage, ExitCodes.Usage);
    }
}
