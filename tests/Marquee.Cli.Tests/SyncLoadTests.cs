using Marquee.Cli.Tests.Infrastructure;

namespace Marquee.Cli.Tests;

/// <summary>What a <c>marquee sync</c> process that runs a flow loads: as little as it needs, on a NAS beside Plex.</summary>
public sealed partial class SyncCliTests
{
    /// <summary>
    /// A scheduled or scripted sync (its output redirected) prints its report as text and never needs the terminal
    /// library. Asking whether the terminal can show a live status line used to compile a method that names the library,
    /// which loaded it (and its types) into every such run: the one path the in-process test of a sync without flows
    /// never reached.
    /// </summary>
    [Fact]
    public async Task Sync_OfAFlow_WithItsOutputRedirected_RunsWithoutTheTerminalLibrary()
    {
        await using var pair = await ServerPair.StartAsync(seed: 17, movies: 6, watched: 3);
        await pair.AddFlowAsync();

        var result = await MarqueeProcess.RunAsync(["sync", "main"], new Dictionary<string, string>(pair.Environment) { ["MARQUEE_DIAG_ASSEMBLIES"] = "1" });

        Assert.True(result.Code == 0, $"marquee sync exited {result.Code}: {result.Error}{result.Output}");
        Assert.Contains("of flow 'main': done", result.Output, StringComparison.Ordinal);
        Assert.All(pair.Movies, m => Assert.Equal(1, Views(pair.Right, m.Title)));
        var loaded = AssemblyLoadTests.Loaded(result.Error);
        Assert.Contains("Marquee.Providers", loaded);
        Assert.DoesNotContain("Spectre.Console", loaded);
    }
}
