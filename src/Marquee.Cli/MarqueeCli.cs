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
        var root = Build(output, error, environment, input, CommandOf(args));
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
    /// The top-level commands in the order help lists them, each group with the names of the commands it makes (a test
    /// checks that they match), so that a run builds only the command it invokes.
    /// </summary>
    internal static readonly IReadOnlyList<(string[] Names, Func<Func<ParseResult, CliContext>, IEnumerable<Command>> Create)> TopLevel =
    [
        (["serve"], c => [ServeCommand.Create(c)]),
        (["demo"], c => [DemoCommand.Create(c)]),
        (["connection"], c => [ConnectionCommands.Create(c)]),
        (["profile"], c => [ProfileCommands.Create(c)]),
        (["flow"], c => [FlowCommands.Create(c)]),
        (["config"], c => [ConfigCommands.Create(c)]),
        (["sim"], c => [SimCommands.Create(c)]),
        (["sync", "runs", "undo", "history", "unresolved"], SyncCommands.Create),
        (["apikey", "webhook-url"], SecurityCommands.Create),
        (["admin"], c => [AdminCommands.Create(c)]),
        (["outbox"], c => [OutboxCommands.Create(c)]),
        (["notify"], c => [NotifyCommands.Create(c)]),
        (["sessions"], c => [CareCommands.Sessions(c)]),
        (["trash"], c => [CareCommands.Trash(c)]),
        (["care"], c => [CareCommands.Care(c)]),
        (["labels"], c => [LabelCommands.Create(c)]),
        (["bench"], c => [BenchCommand.Create(c)]),
        (["version"], c => [VersionCommand.Create(c)]),
    ];

    /// <summary>
    /// Builds the command line. Given the <paramref name="command"/> a run invokes, the root and that command's group
    /// alone: a long-running server, a scheduled <c>marquee sync</c> or a benchmark's measured process never builds the
    /// other commands nor loads their assemblies (the simulators', the benchmark's) and keeps them mapped. Without one,
    /// or with a name no command has, every command (for the root's help and the parser's suggestions).
    /// </summary>
    public static RootCommand Build(TextWriter output, TextWriter error, Func<string, string?> environment, TextReader? input = null, string? command = null)
    {
        var root = new RootCommand("Marquee: keeps watch state in sync across Plex, Jellyfin and Emby, reacts to events and guards the library.");
        root.Add(GlobalOptions.Data);
        root.Add(GlobalOptions.Config);
        root.Add(GlobalOptions.Verbose);
        CliContext Context(ParseResult parse) => new(parse, output, error, environment, input);
        var only = TopLevel.Where(g => g.Names.Contains(command, StringComparer.Ordinal)).ToList();
        foreach (var (_, create) in only.Count > 0 ? only : TopLevel)
        {
            foreach (var built in create(Context))
            {
                root.Add(built);
            }
        }

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

        // The configuration binder's words for a setting that is not of its type ("Failed to convert configuration value 'abc' at 'Marquee:…' to type 'System.Double'.").
        InvalidOperationException { InnerException: FormatException or OverflowException or ArgumentException } b when b.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => (b.Message, ExitCodes.Usage),
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
