namespace Marquee.Cli.Tests;

public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_UnknownScenario_ExitsTwo_AndListsTheScenarios()
    {
        using var cli = new Infrastructure.CliRunner();

        var result = await cli.RunAsync("bench", "--scenario", "nope");

        Assert.Equal(2, result.Code);
        Assert.Contains("unknown scenario 'nope'", result.Error, StringComparison.Ordinal);
        foreach (var name in new[] { "first-sync", "no-change", "one-percent", "writes", "live-latency", "webhook-ingest" })
        {
            Assert.Contains(name, result.Error, StringComparison.Ordinal);
        }
    }
}
