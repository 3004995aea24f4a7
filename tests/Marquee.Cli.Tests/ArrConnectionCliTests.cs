using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Arr;

namespace Marquee.Cli.Tests;

/// <summary><c>connection add radarr|sonarr</c> against the simulators: tested before it is saved, the key masked afterwards.</summary>
public sealed class ArrConnectionCliTests
{
    [Fact]
    public async Task AddRadarr_UnderItsUrlBase_IsTestedAndSaved_WithTheKeyMasked()
    {
        await using var radarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Movies = 2, UrlBase = "/radarr", ApiKey = "RADARR-KEY-1" }, CancellationToken.None);
        using var cli = new CliRunner();

        var added = await cli.RunAsync("connection", "add", "radarr", "--name", "movies", "--url", radarr.ApplicationUri.ToString(), "--api-key", "RADARR-KEY-1");
        var shown = await cli.OkAsync("connection", "show", "movies", "--json");

        Assert.True(added.Code == 0, added.Error);
        Assert.Contains("(radarr,", added.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("RADARR-KEY-1", shown, StringComparison.Ordinal);
        Assert.Contains("/radarr", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSonarr_WithAWrongKey_IsRefused_NamingTheKey_AndNothingIsSaved()
    {
        await using var sonarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Sonarr, Shows = 1 }, CancellationToken.None);
        using var cli = new CliRunner();

        var result = await cli.RunAsync("connection", "add", "sonarr", "--name", "tv", "--url", sonarr.ApplicationUri.ToString(), "--api-key", "NOT-THE-KEY");

        Assert.Equal(1, result.Code);
        Assert.Contains("apiKey: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT-THE-KEY", result.Error, StringComparison.Ordinal);
        Assert.Equal("[]", (await cli.OkAsync("connection", "list", "--json")).Trim());
    }
}
