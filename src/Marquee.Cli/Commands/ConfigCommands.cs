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
                    await WriteOwnerOnlyAsync(file, yaml, ct);
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
                var file = services.GetRequiredService<Marquee.Hosting.MarqueeStartup>().FindConfigFile()
                    ?? throw new CliException("No marquee.yaml found: give --config FILE, or put marquee.yaml in the working folder or the data folder.");
                await context(parse).Output.WriteLineAsync($"Applied {file}.");
                return ExitCodes.Ok;
            },
            ct));
        command.Add(check);
        return command;
    }

    /// <summary>
    /// Writes an export readable by its owner only (it may hold secrets): a new file in the same folder, created 0600,
    /// replaces the target, so no moment exists where the content sits in a file others can read.
    /// </summary>
    private static async Task WriteOwnerOnlyAsync(string file, string text, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(file);
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            await using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
            {
                await writer.WriteAsync(text.AsMemory(), cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            throw new CliException($"Cannot write {file}: {ex.Message}");
        }
    }
}
