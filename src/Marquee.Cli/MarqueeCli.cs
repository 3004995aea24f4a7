using System.CommandLine;
using Marquee.Cli.Commands;
using Marquee.Core.Configuration;
using Marquee.Core.Storage;
using Marquee.Core.Validation;

namespace Marquee.Cli;

/// <summary>The <c>marquee</c> command line. Exit codes: 0 ok, 1 failure, 2 usage error, 3 held by a guard.</summary>
public static class MarqueeCli
{
    /// <summary>
    /// The command the arguments name: the first one after the global options that may come before it (<see cref="GlobalOptions"/>:
    /// <c>--data DIR</c> and <c>--config FILE</c>, also written with <c>=</c> or <c>:</c> before the value, and
    /// <c>--verbose</c> or <c>-v</c>), so <c>marquee --data DIR serve</c> builds the narrow tree of <c>serve</c> as
    /// <c>marquee serve --data DIR</c> does.
    /// </summary>
    internal static string? CommandOf(IReadOnlyList<string> args)
    {
        Option[] valued = [GlobalOptions.Data, GlobalOptions.Config];
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (valued.Any(o => arg == o.Name))
            {
                i++;
            }
            else if (!valued.Any(o => arg.StartsWith(o.Name + "=", StringComparison.Ordinal) || arg.StartsWith(o.Name + ":", StringComparison.Ordinal))
                && arg != GlobalOptions.Verbose.Name && !GlobalOptions.Verbose.Aliases.Contains(arg))
            {
                return arg;
            }
        }

        return null;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?>? environment = null, TextReader? input = null, CancellationToken cancellationToken = default)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var root = Build(output, error, environment, input, serveOnly: CommandOf(args) == "serve");
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}");
            }

            await error.WriteLineAsync($"Run '{string.Join(' ', CommandPath(parse))} --help' for usage.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception ex) when (Describe(ex) is { } described)
        {
            await error.WriteLineAsync($"error: {described.Message}");
            return described.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("error: cancelled");
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            var verbose = parse.GetValue(GlobalOptions.Verbose);
            await error.WriteLineAsync($"error: unexpected failure: {ex.Message}{(verbose ? string.Empty : " (run with --verbose for details)")}");
            if (verbose)
            {
                await error.WriteLineAsync(ex.ToString());
            }

            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// Builds the command line; with <c>serveOnly</c>, the root and <c>serve</c> alone, so that a long-running server
    /// never loads the other commands' assemblies (the simulators', the benchmark's) and keeps them mapped.
    /// </summary>
    public static RootCommand Build(TextWriter output, TextWriter error, Func<string, string?> environment, TextReader? input = null, bool serveOnly = false)
    {
        var root = new RootCommand("Marquee: keeps watch state in sync across Plex, Jellyfin and Emby, reacts to events and guards the library.");
        root.Add(GlobalOptions.Data);
        root.Add(GlobalOptions.Config);
        root.Add(GlobalOptions.Verbose);
        CliContext Context(ParseResult parse) => new(parse, output, error, environment, input);
        root.Add(ServeCommand.Create(Context));
        if (serveOnly)
        {
            return root;
        }

        root.Add(DemoCommand.Create(Context));
        root.Add(ConnectionCommands.Create(Context));
        root.Add(ProfileCommands.Create(Context));
        root.Add(FlowCommands.Create(Context));
        root.Add(ConfigCommands.Create(Context));
        root.Add(SimCommands.Create(Context));
        foreach (var command in SyncCommands.Create(Context))
        {
            root.Add(command);
        }

        foreach (var command in SecurityCommands.Create(Context))
        {
            root.Add(command);
        }

        root.Add(AdminCommands.Create(Context));
        root.Add(OutboxCommands.Create(Context));
        root.Add(NotifyCommands.Create(Context));
        root.Add(CareCommands.Sessions(Context));
        root.Add(CareCommands.Trash(Context));
        root.Add(CareCommands.Care(Context));
        root.Add(LabelCommands.Create(Context));
        root.Add(BenchCommand.Create(Context));
        root.Add(VersionCommand.Create(Context));
        return root;
    }

    private static (string Message, int ExitCode)? Describe(Exception ex) => ex switch
    {
        CliException cli => (cli.Message, cli.ExitCode),
        ValidationException v => (string.Join(Environment.NewLine + "error: ", v.Problems.Select(p => p.Field.Length == 0 ? p.Message : $"{p.Field}: {p.Message}")), ExitCodes.Usage),
        NotFoundException n => (n.Message, ExitCodes.Failure),
        ConflictException c => (c.Message, ExitCodes.Failure),
        StoreException s => (s.Message, ExitCodes.Failure),
        ConfigFileException f => (f.Message, ExitCodes.Failure),
        Microsoft.Extensions.Options.OptionsValidationException o => (string.Join(Environment.NewLine + "error: ", o.Failures), ExitCodes.Usage),
        _ => null,
    };

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(result.Command is RootCommand ? "marquee" : result.Command.Name);
        }

        return names;
    }
}
