using System.CommandLine;
using Marquee.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Cli.Commands;

internal static class ConfigCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("config", "Declarative configuration (marquee.yaml).");
        var includeSecrets = new Option<bool>("--include-secrets") { Description = "Write secrets in clear text instead of ********." };
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of standard output.", HelpName = "FILE" };
        var export = new Command("export", "Print the stored connections, profiles and flows as marquee.yaml.") { includeSecrets, output };
        export.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var yaml = await services.GetRequiredService<DeclarativeConfigExporter>().ExportAsync(parse.GetValue(includeSecrets), ct);
                if (parse.GetValue(output) is { Length: > 0 } file)
                {
                    await File.WriteAllTextAsync(file, yaml, ct);
                    await context(parse).Error.WriteLineAsync($"Wrote {file}.");
                }
                else
                {
                    await context(parse).Output.WriteAsync(yaml);
                }

                return ExitCodes.Ok;
            },
            ct));
        command.Add(export);

        var check = new Command("apply", "Apply marquee.yaml now (it is also applied at every start) and print what changed.");
        check.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                // WithServicesAsync already applied the file; applying again reports what a second start would change (nothing).
                var file = services.GetRequiredService<Marquee.Web.Hosting.MarqueeStartup>().FindConfigFile()
                    ?? throw new CliException("No marquee.yaml found: give --config FILE, or put marquee.yaml in the working folder or the data folder.");
                await context(parse).Output.WriteLineAsync($"Applied {file}.");
                return ExitCodes.Ok;
            },
            ct));
        command.Add(check);
        return command;
    }
}
