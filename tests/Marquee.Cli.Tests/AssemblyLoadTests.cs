using System.Diagnostics;
using System.Globalization;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.TestKit;

namespace Marquee.Cli.Tests;

/// <summary>
/// Issue 12: the composition root lives outside the web project, so a command that does not serve runs without loading
/// the web host (the Marquee.Web assembly and Kestrel). The built program lists what it loaded when MARQUEE_DIAG_ASSEMBLIES=1.
/// </summary>
[Trait("Runs", "Process")]
public sealed class AssemblyLoadTests
{
    private static readonly Dictionary<string, string> Diagnostics = new() { ["MARQUEE_DIAG_ASSEMBLIES"] = "1" };

    [Theory]
    [InlineData("flow", "list")]
    [InlineData("connection", "list")]
    [InlineData("profile", "list")]
    [InlineData("apikey")]
    [InlineData("webhook-url")]
    [InlineData("outbox")]
    public async Task CompositionRoot_NonServingCommand_DoesNotLoadTheWebAssembly(params string[] command)
    {
        using var folder = new TempFolder();

        var result = await MarqueeProcess.RunAsync([.. command, "--data", folder.Path], Diagnostics);

        Assert.True(result.Code == 0, $"marquee {string.Join(' ', command)} exited {result.Code}: {result.Error}{result.Output}");
        var loaded = Loaded(result.Error);
        Assert.DoesNotContain("Marquee.Web", loaded);
        Assert.DoesNotContain("Microsoft.AspNetCore.Server.Kestrel.Core", loaded);
        Assert.Contains("Marquee.Hosting", loaded);

        // Only the invoked command is built: the simulators' and the benchmark's commands (and their assemblies) are not.
        Assert.DoesNotContain("Marquee.Simulators", loaded);
        Assert.DoesNotContain("Marquee.Bench", loaded);
    }

    [Fact]
    public async Task Sync_WithOutputRedirected_LoadsNeitherTheTemplateEngineNorTheTerminalLibrary()
    {
        using var folder = new TempFolder();

        // No flow to run: the command still builds the flow runner and everything a run reports to (notifications too).
        var result = await MarqueeProcess.RunAsync(["sync", "--data", folder.Path], Diagnostics);

        Assert.True(result.Code == 1, $"marquee sync exited {result.Code}: {result.Error}{result.Output}");
        Assert.Contains("No flows to run", result.Error + result.Output, StringComparison.Ordinal);
        var loaded = Loaded(result.Error);
        Assert.Contains("Marquee.Core", loaded);
        Assert.DoesNotContain("Fluid", loaded);
        Assert.DoesNotContain("Spectre.Console", loaded);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("runs")]
    [InlineData("bench")]
    [InlineData("webhook-url")]
    [InlineData("trash")]
    public void Build_ForOneCommand_BuildsOnlyItsGroup(string command)
    {
        var root = MarqueeCli.Build(TextWriter.Null, TextWriter.Null, _ => null, command: command);

        var group = MarqueeCli.TopLevel.Single(g => g.Names.Contains(command));
        Assert.Equal(group.Names, root.Subcommands.Select(c => c.Name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("--help")]
    [InlineData("no-such-command")]
    public void Build_WithoutAKnownCommand_BuildsEveryCommand(string? command)
    {
        var root = MarqueeCli.Build(TextWriter.Null, TextWriter.Null, _ => null, command: command);

        Assert.Equal(MarqueeCli.TopLevel.SelectMany(g => g.Names), root.Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void TopLevel_NamesWhatEachGroupBuilds()
    {
        foreach (var (names, create) in MarqueeCli.TopLevel)
        {
            Assert.Equal(names, create(_ => throw new InvalidOperationException("not invoked")).Select(c => c.Name));
        }

        var all = MarqueeCli.TopLevel.SelectMany(g => g.Names).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CompositionRoot_Serve_LoadsTheWebAssembly(bool globalOptionsFirst)
    {
        using var folder = new TempFolder();
        string[] args = globalOptionsFirst
            ? ["--data", folder.Path, "-v", "serve", "--urls", "http://127.0.0.1:0"]
            : ["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path];
        using var server = MarqueeProcess.Start(args, Diagnostics);
        await server.WaitForLineAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(15));

        using (var stop = Process.Start("kill", ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await stop.WaitForExitAsync();
        }

        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        var loaded = Loaded(server.Error);
        Assert.Contains("Marquee.Web", loaded);
        Assert.Contains("Microsoft.AspNetCore.Server.Kestrel.Core", loaded);

        // An idle server maps only what serving needs: the other commands' assemblies stay unloaded (bench/RESULTS.md, "idle").
        Assert.DoesNotContain("Marquee.Simulators", loaded);
        Assert.DoesNotContain("Marquee.Bench", loaded);
    }

    [Theory]
    [InlineData("serve", "serve")]
    [InlineData("serve", "serve", "--data", "d")]
    [InlineData("serve", "--data", "d", "serve")]
    [InlineData("serve", "--data=d", "--config:c.yaml", "-v", "serve", "--urls", "http://127.0.0.1:0")]
    [InlineData("serve", "--config", "c.yaml", "--verbose", "serve")]
    [InlineData("flow", "--data", "serve", "flow", "list")]
    [InlineData("sim", "sim", "plex")]
    [InlineData(null, "--data", "d")]
    [InlineData(null)]
    public void TheCommand_IsTheFirstArgumentAfterTheGlobalOptions(string? command, params string[] args) =>
        Assert.Equal(command, MarqueeCli.CommandOf(args));

    internal static List<string> Loaded(string error) =>
        error.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("assembly: ", StringComparison.Ordinal)).Select(l => l["assembly: ".Length..]).ToList();
}
