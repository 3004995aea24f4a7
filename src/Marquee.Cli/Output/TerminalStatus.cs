using System.Runtime.CompilerServices;
using Spectre.Console;

namespace Marquee.Cli.Output;

/// <summary>
/// A live status line for long work on an interactive terminal (Spectre.Console). Kept apart from the commands that use
/// it and never inlined, so that a command whose output is redirected (a schedule, a script) does not load the library.
/// </summary>
internal static class TerminalStatus
{
    /// <summary>
    /// Gets a value indicating whether the console is an interactive terminal (not redirected, with a cursor to move).
    /// The library is asked only when the output is not redirected: compiling a method that names it loads it.
    /// </summary>
    public static bool Interactive() => !Console.IsOutputRedirected && TerminalCanMoveTheCursor();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TerminalCanMoveTheCursor() => AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> under a status line that shows its latest progress message.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Task<T> RunAsync<T>(string title, Func<IProgress<string>, Task<T>> work) =>
        AnsiConsole.Status().StartAsync(title, status => work(new Progress<string>(m => status.Status(Markup.Escape(m)))));
}
