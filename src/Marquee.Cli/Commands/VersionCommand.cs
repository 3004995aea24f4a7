using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using Marquee.Cli.Output;

namespace Marquee.Cli.Commands;

internal static class VersionCommand
{
    public static string Version { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("version", "Print Marquee's version.") { GlobalOptions.Json };
        command.SetAction(parse =>
        {
            var ctx = context(parse);
            if (parse.GetValue(GlobalOptions.Json))
            {
                CliJson.Write(ctx.Output, new { version = Version, runtime = RuntimeInformation.FrameworkDescription, os = RuntimeInformation.OSDescription });
            }
            else
            {
                ctx.Output.WriteLine($"marquee {Version} ({RuntimeInformation.FrameworkDescription})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
