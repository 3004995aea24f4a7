using Marquee.Cli.Tests.Infrastructure;

namespace Marquee.Cli.Tests;

public sealed class SeerrSimCommandTests
{
    [Theory]
    [InlineData("--port", "70000")]
    [InlineData("--flavor", "ombi")]
    [InlineData("--api-key", " ")]
    [InlineData("--webhook-url", "not a url")]
    [InlineData("--webhook-url", "ftp://example.org/x")]
    [InlineData("--fault-rate", "2")]
    [InlineData("--latency-ms", "-5")]
    public async Task SimSeerr_BadFlag_ExitsTwo(string flag, string value)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("sim", "seerr", flag, value);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }
}
