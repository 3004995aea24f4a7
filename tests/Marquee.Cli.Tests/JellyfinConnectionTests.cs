using System.Text.Json;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Jellyfin;

namespace Marquee.Cli.Tests;

public sealed class JellyfinConnectionTests
{
    [Theory]
    [InlineData("jellyfin", false)]
    [InlineData("jellyfin", true)]
    [InlineData("emby", false)]
    [InlineData("emby", true)]
    public async Task ConnectionAdd_AgainstTheSimulator_Works_AndKeepsSecretsMasked(string kind, bool password)
    {
        await using var sim = await JellyfinSimulator.StartAsync(new JellyfinSimulatorOptions { Flavor = kind == "emby" ? JellyfinFlavor.Emby : JellyfinFlavor.Jellyfin, Movies = 5, Shows = 1, ApiKey = "SECRET-KEY-1" }, CancellationToken.None);
        using var cli = new CliRunner();
        string[] credentials = password ? ["--user", "admin", "--password", "admin-pw"] : ["--api-key", "SECRET-KEY-1"];

        var added = await cli.OkAsync(["connection", "add", kind, "--name", "media", "--url", sim.BaseUri.ToString(), .. credentials]);
        var test = await cli.OkAsync("connection", "test", "media");
        var list = await cli.OkAsync("connection", "list", "--json");

        Assert.Contains($"Added connection 'media' ({kind}", added, StringComparison.Ordinal);
        Assert.Contains("works", test, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-KEY-1", list, StringComparison.Ordinal);
        Assert.DoesNotContain("admin-pw", list, StringComparison.Ordinal);
        Assert.Equal(kind, JsonDocument.Parse(list).RootElement[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task ConnectionTest_WrongApiKey_PointsAtTheApiKey()
    {
        await using var sim = await JellyfinSimulator.StartAsync(new JellyfinSimulatorOptions { Movies = 1, Shows = 0 }, CancellationToken.None);
        using var cli = new CliRunner();
        await cli.OkAsync("connection", "add", "jellyfin", "--name", "media", "--url", sim.BaseUri.ToString(), "--api-key", "wrong", "--no-test");

        var test = await cli.RunAsync("connection", "test", "media");

        Assert.Equal(1, test.Code);
        Assert.Contains("error: apiKey:", test.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apiKey")]
    [InlineData("password", "--user", "admin")]
    [InlineData("user", "--user", "admin", "--password", "p", "--api-key", "k")]
    [InlineData("url", "--api-key", "k", "--url", "ftp://h")]
    public async Task ConnectionAdd_MissingOrConflictingCredentials_ExitsTwoNamingTheField(string field, params string[] extra)
    {
        using var cli = new CliRunner();
        string[] url = extra.Contains("--url") ? [] : ["--url", "http://127.0.0.1:9"];

        var result = await cli.RunAsync(["connection", "add", "jellyfin", "--name", "media", .. url, .. extra]);

        Assert.Equal(2, result.Code);
        Assert.Contains(field, result.Error, StringComparison.Ordinal);
    }
}
