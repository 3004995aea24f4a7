using Marquee.Cli.Tests.Infrastructure;

namespace Marquee.Cli.Tests;

public sealed class ShokoSimCommandTests
{
    [Theory]
    [InlineData("--port", "70000")]
    [InlineData("--series", "0")]
    [InlineData("--server-version", "7")]
    [InlineData("--user", " ")]
    [InlineData("--fault-rate", "2")]
    [InlineData("--latency-ms", "-5")]
    public async Task SimShoko_BadFlag_ExitsTwo(string flag, string value)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("sim", "shoko", flag, value);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public async Task SimPlex_BadShokoAnime_ExitsTwo(string value)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("sim", "plex", "--shoko-anime", value);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }
}
