using System.Text.Json;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Jellyfin;
using Marquee.Simulators.Plex;

namespace Marquee.Cli.Tests;

/// <summary>Issue 13, findings 7, 8 and 9: <c>connection add</c> tests before it saves, and takes secrets from a file, standard input or the environment.</summary>
public sealed class ConnectionAddTests : IAsyncLifetime
{
    private PlexSimulator _sim = null!;
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        _sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 1, Shows = 0, HomeUsers = 0, Friends = 0 }, CancellationToken.None);
        _cli = new CliRunner();
    }

    public async Task DisposeAsync()
    {
        _cli.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task Finding9_WrongToken_IsRefusedWithTheReason_AndNothingIsSaved()
    {
        var result = await _cli.RunAsync("connection", "add", "plex", "--name", "home", "--url", _sim.BaseUri.ToString(), "--token", "WRONG");

        Assert.Equal(1, result.Code);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith("error: connection 'home' was not added", line, StringComparison.Ordinal);
        Assert.Contains("token: ", line, StringComparison.Ordinal);
        Assert.Contains("401", line, StringComparison.Ordinal);
        Assert.Equal("[]", (await _cli.OkAsync("connection", "list", "--json")).Trim());
    }

    [Fact]
    public async Task Finding9_UnreachableUrl_IsRefusedWithTheReason_AndNothingIsSaved()
    {
        var result = await _cli.RunAsync("connection", "add", "plex", "--name", "home", "--url", "http://127.0.0.1:9", "--token", "t");

        Assert.Equal(1, result.Code);
        Assert.Contains("url: ", result.Error, StringComparison.Ordinal);
        Assert.Equal("[]", (await _cli.OkAsync("connection", "list", "--json")).Trim());
    }

    [Fact]
    public async Task Finding9_NoTest_SavesAConnectionThatDoesNotAnswer()
    {
        var added = await _cli.OkAsync("connection", "add", "plex", "--name", "home", "--url", "http://127.0.0.1:9", "--token", "t", "--no-test");

        Assert.Contains("without testing it", added, StringComparison.Ordinal);
        Assert.Equal("home", JsonDocument.Parse(await _cli.OkAsync("connection", "list", "--json")).RootElement[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Finding9_RightToken_IsTestedAndSaved()
    {
        var added = await _cli.OkAsync("connection", "add", "plex", "--name", "home", "--url", _sim.BaseUri.ToString(), "--token", _sim.Owner.AccountToken);

        Assert.Contains("it works", added, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finding7_MaskAsTokenOnCreate_IsRefused()
    {
        var result = await _cli.RunAsync("connection", "add", "plex", "--name", "home", "--url", _sim.BaseUri.ToString(), "--token", "********", "--no-test");

        Assert.Equal(2, result.Code);
        Assert.Contains("settings.token:", result.Error, StringComparison.Ordinal);
        Assert.Equal("[]", (await _cli.OkAsync("connection", "list", "--json")).Trim());
    }

    [Fact]
    public async Task Finding8_TokenFromAFile_IsRead()
    {
        var file = Path.Combine(_cli.Folder, "token.txt");
        await File.WriteAllTextAsync(file, _sim.Owner.AccountToken + "\n");

        var result = await _cli.RunAsync("connection", "add", "plex", "--name", "home", "--url", _sim.BaseUri.ToString(), "--token-file", file);

        Assert.True(result.Code == 0, result.Error);
        Assert.DoesNotContain(_sim.Owner.AccountToken, result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finding8_TokenFromStandardInput_IsRead()
    {
        var result = await _cli.RunWithInputAsync(_sim.Owner.AccountToken + "\r\n", "connection", "add", "plex", "--name", "home", "--url", _sim.BaseUri.ToString(), "--token", "-");

        Assert.True(result.Code == 0, result.Error);
    }

    [Fact]
    public async Task Finding8_TokenFromTheEnvironment_IsRead()
    {
        _cli.Environment["MARQUEE_CONNECTION_TOKEN"] = _sim.Owner.AccountToken;

        var result = await _cli.RunAsync("connection", "add", "plex", "--name", "home", "--url", _sim.BaseUri.ToString());

        Assert.True(result.Code == 0, result.Error);
    }

    [Theory]
    [InlineData("--token-file", "missing.txt", "cannot read")]
    [InlineData("--token-file", "empty.txt", "is empty")]
    [InlineData("--token", "-", "standard input is empty")]
    public async Task Finding8_UnreadableSecretSource_ExitsTwoWithOneLine(string option, string value, string expected)
    {
        await File.WriteAllTextAsync(Path.Combine(_cli.Folder, "empty.txt"), "\n");
        var argument = option == "--token-file" ? Path.Combine(_cli.Folder, value) : value;

        var result = await _cli.RunAsync("connection", "add", "plex", "--name", "home", "--url", _sim.BaseUri.ToString(), option, argument);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finding8_TokenAndTokenFile_AreRefusedTogether()
    {
        var file = Path.Combine(_cli.Folder, "token.txt");
        await File.WriteAllTextAsync(file, "x");

        var result = await _cli.RunAsync("connection", "add", "plex", "--name", "home", "--url", _sim.BaseUri.ToString(), "--token", "y", "--token-file", file);

        Assert.Equal(2, result.Code);
        Assert.Contains("not both", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finding8_JellyfinApiKeyFile_AndPasswordFromStandardInput_AreRead()
    {
        await using var jellyfin = await JellyfinSimulator.StartAsync(new JellyfinSimulatorOptions { Movies = 1, Shows = 0, ApiKey = "SECRET-KEY-1" }, CancellationToken.None);
        var file = Path.Combine(_cli.Folder, "key.txt");
        await File.WriteAllTextAsync(file, "SECRET-KEY-1");

        var byKey = await _cli.RunAsync("connection", "add", "jellyfin", "--name", "by-key", "--url", jellyfin.BaseUri.ToString(), "--api-key-file", file);
        var byPassword = await _cli.RunWithInputAsync("admin-pw\n", "connection", "add", "jellyfin", "--name", "by-password", "--url", jellyfin.BaseUri.ToString(), "--user", "admin", "--password", "-");

        Assert.True(byKey.Code == 0, byKey.Error);
        Assert.True(byPassword.Code == 0, byPassword.Error);
    }
}
