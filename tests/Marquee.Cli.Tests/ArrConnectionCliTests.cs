using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Arr;
using Marquee.TestKit;

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

    [Fact]
    public async Task RegisterWebhook_Twice_LeavesOneEntry_AndTheTestDeliveryGets200()
    {
        await using var receiver = await ReceivingServer.StartAsync();
        await using var radarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Movies = 2, ApiKey = "RADARR-KEY-1" }, CancellationToken.None);
        using var cli = new CliRunner();
        var baseUrl = receiver.BaseUri.ToString();

        var added = await cli.RunAsync("connection", "add", "radarr", "--name", "movies", "--url", radarr.ApplicationUri.ToString(), "--api-key", "RADARR-KEY-1", "--register-webhook", "--base", baseUrl);
        var again = await cli.RunAsync("connection", "register-webhook", "movies", "--base", baseUrl);

        Assert.True(added.Code == 0, added.Error);
        Assert.Contains("Registered Marquee's webhook in Radarr 'movies'", added.Output, StringComparison.Ordinal);
        Assert.True(again.Code == 0, again.Error);
        Assert.Contains("Updated Marquee's webhook in Radarr 'movies'", again.Output, StringComparison.Ordinal);
        Assert.Contains("/webhooks/radarr/********", again.Output, StringComparison.Ordinal);
        var entry = Assert.Single(radarr.State.Notifications());
        Assert.Equal("Marquee", entry.Name);
        Assert.StartsWith(new Uri(receiver.BaseUri, "/webhooks/radarr/").AbsoluteUri, entry.Url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(["Test", "Test"], radarr.Control.Webhooks.Deliveries.Select(d => d.EventType));
        Assert.All(radarr.Control.Webhooks.Deliveries, d => Assert.Equal(200, d.Status));
        Assert.All(receiver.Answered, r => Assert.StartsWith("/webhooks/radarr/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegisterWebhook_WhenMarqueeIsNotReachable_FailsNamingTheConnection_AndSavesNoEntry()
    {
        await using var receiver = await ReceivingServer.StartAsync((_, _) => Task.FromResult(503));
        await using var sonarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Sonarr, Shows = 1, ApiKey = "SONARR-KEY-1" }, CancellationToken.None);
        using var cli = new CliRunner();
        await cli.OkAsync("connection", "add", "sonarr", "--name", "tv", "--url", sonarr.ApplicationUri.ToString(), "--api-key", "SONARR-KEY-1");

        var result = await cli.RunAsync("connection", "register-webhook", "tv", "--base", receiver.BaseUri.ToString());

        Assert.Equal(1, result.Code);
        Assert.Contains("connection 'tv': the webhook was not registered", result.Error, StringComparison.Ordinal);
        Assert.Contains("Sonarr 'tv'", result.Error, StringComparison.Ordinal);
        Assert.Empty(sonarr.State.Notifications());
    }

    [Theory]
    [InlineData("connection", "add", "plex", "--name", "p", "--url", "http://127.0.0.1:9", "--token", "t", "--register-webhook")]
    [InlineData("connection", "add", "radarr", "--name", "m", "--url", "http://127.0.0.1:9", "--api-key", "k", "--base", "http://127.0.0.1:8754")]
    [InlineData("connection", "register-webhook")]
    public async Task RegisterWebhook_MalformedUse_IsAUsageError(params string[] args)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync(args);

        Assert.Equal(2, result.Code);
    }

    [Fact]
    public async Task RegisterWebhook_OfAConnectionThatIsNotRadarrOrSonarr_OrABadBase_IsAUsageError()
    {
        await using var radarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Movies = 1, ApiKey = "RADARR-KEY-1" }, CancellationToken.None);
        using var cli = new CliRunner();
        await cli.OkAsync("connection", "add", "plex", "--name", "home", "--url", "http://127.0.0.1:9", "--token", "t", "--no-test");
        await cli.OkAsync("connection", "add", "radarr", "--name", "movies", "--url", radarr.ApplicationUri.ToString(), "--api-key", "RADARR-KEY-1");

        var plex = await cli.RunAsync("connection", "register-webhook", "home", "--base", "http://127.0.0.1:8754");
        var badBase = await cli.RunAsync("connection", "register-webhook", "movies", "--base", "ftp://x");

        Assert.Equal(2, plex.Code);
        Assert.Contains("only Radarr and Sonarr", plex.Error, StringComparison.Ordinal);
        Assert.Equal(2, badBase.Code);
        Assert.Contains("--base", badBase.Error, StringComparison.Ordinal);
        Assert.Empty(radarr.State.Notifications());
    }

    [Fact]
    public async Task AddSonarr_WithUnmonitorSettings_IsSaved_AndAMalformedOneExits2NamingTheField()
    {
        await using var sonarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Sonarr, Shows = 1, ApiKey = "SONARR-KEY-1" }, CancellationToken.None);
        using var cli = new CliRunner();

        var bad = await cli.RunAsync("connection", "add", "sonarr", "--name", "tv", "--url", sonarr.ApplicationUri.ToString(), "--api-key", "SONARR-KEY-1", "--set", "unmonitorSeason=sometimes");
        var good = await cli.RunAsync("connection", "add", "sonarr", "--name", "tv", "--url", sonarr.ApplicationUri.ToString(), "--api-key", "SONARR-KEY-1", "--set", "unmonitorProfiles=alice,bob", "--set", "unmonitorMode=dry-run", "--set", "unmonitorSeason=season");

        Assert.Equal(2, bad.Code);
        Assert.Contains("unmonitorSeason: ", bad.Error, StringComparison.Ordinal);
        Assert.True(good.Code == 0, good.Error);
        var shown = await cli.OkAsync("connection", "show", "tv", "--json", "--offline");
        Assert.Contains("\"unmonitorProfiles\": \"alice,bob\"", shown, StringComparison.Ordinal);
        Assert.Contains("\"unmonitorMode\": \"dry-run\"", shown, StringComparison.Ordinal);
    }
}
