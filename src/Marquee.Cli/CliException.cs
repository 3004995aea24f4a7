namespace Marquee.Cli;

/// <summary>A command failed in a way the user can act on; the message is printed as is, with the exit code given.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
