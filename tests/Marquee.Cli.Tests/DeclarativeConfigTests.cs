using System.Text.Json;
using Marquee.Cli.Tests.Infrastructure;

namespace Marquee.Cli.Tests;

public sealed class DeclarativeConfigTests
{
    private const string Valid = """
        connections:
          - name: home
            kind: plex
            url: http://127.0.0.1:9
            token: ${HOME_TOKEN}
          - name: cabin
            kind: jellyfin
            settings:
              url: http://127.0.0.1:10
              apiKey: cabin-key
        profiles:
          - name: anna
            displayName: Anna
            accounts:
              - connection: home
                account: Anna
        flows:
          - name: home-cabin
            from: home
            to: cabin
            twoWay: true
            features: [watched, ratings]
            schedule: "0 3 * * *"
            guards:
              maxRemovals: 5
        """;

    [Fact]
    public async Task Yaml_InDataFolder_IsAppliedAtStartAndIdempotent()
    {
        using var cli = new CliRunner(new Dictionary<string, string> { ["HOME_TOKEN"] = "tok-from-env" });
        Directory.CreateDirectory(cli.DataFolder);
        await File.WriteAllTextAsync(Path.Combine(cli.DataFolder, "marquee.yaml"), Valid);

        var first = JsonDocument.Parse(await cli.OkAsync("flow", "list", "--json")).RootElement;
        await cli.OkAsync("connection", "list");
        var connections = JsonDocument.Parse(await cli.OkAsync("connection", "list", "--json")).RootElement;
        var profiles = JsonDocument.Parse(await cli.OkAsync("profile", "list", "--json")).RootElement;

        var flow = Assert.Single(first.EnumerateArray());
        Assert.Equal("home-cabin", flow.GetProperty("name").GetString());
        Assert.Equal(5, flow.GetProperty("guards").GetProperty("maxRemovals").GetInt32());
        Assert.Equal(2, connections.GetArrayLength());
        Assert.Equal("Anna", Assert.Single(profiles[0].GetProperty("accounts").EnumerateArray()).GetProperty("accountName").GetString());
        Assert.Equal(flow.GetProperty("updatedAt").GetString(), JsonDocument.Parse(await cli.OkAsync("flow", "list", "--json")).RootElement[0].GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task Export_ThenApplyElsewhere_GivesTheSameConfiguration()
    {
        using var source = new CliRunner(new Dictionary<string, string> { ["HOME_TOKEN"] = "tok" });
        var file = Path.Combine(source.Folder, "in.yaml");
        await File.WriteAllTextAsync(file, Valid);
        await source.OkAsync("connection", "list", "--config", file);
        var exported = Path.Combine(source.Folder, "exported.yaml");
        await source.OkAsync("config", "export", "--include-secrets", "--output", exported, "--config", file);
        var masked = await source.OkAsync("config", "export", "--config", file);

        using var target = new CliRunner();
        var applied = await target.OkAsync("config", "apply", "--config", exported);
        var targetMasked = await target.OkAsync("config", "export", "--config", exported);

        Assert.Contains("Applied", applied, StringComparison.Ordinal);
        Assert.Contains("token: '********'", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("tok", masked.Replace("token:", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(masked, targetMasked);
    }

    [Theory]
    [InlineData("connections:\n  - name: home\n    kind: plex\n   url: x\n", 4, "invalid YAML")]
    [InlineData("connections: []\nflows:\n  - name: f\n    from: a\n    to: b\n    direction: up\n", 6, "unknown key 'direction'")]
    [InlineData("connections: []\nprofile:\n  - name: anna\n", 2, "unknown key 'profile'")]
    [InlineData("flows:\n  - name: f\n    from: a\n    to: b\n    twoWay: maybe\n", 5, "'twoWay' must be true or false")]
    [InlineData("connections:\n  - kind: plex\n    url: http://h:1\n", 2, "'name' is required")]
    [InlineData("connections:\n  - name: home\n    kind: plex\n    url: http://h:1\n    token: ${NOT_SET_ANYWHERE}\n", 5, "NOT_SET_ANYWHERE")]
    [InlineData("connections:\n  - name: home\n    kind: plex\n    url: not-a-url\n    token: t\n", 2, "'url' must be an absolute")]
    [InlineData("flows:\n  - name: f\n    from: nowhere\n    to: b\n", 2, "names no connection")]
    [InlineData("connections:\n  - name: a\n    kind: plex\n    url: http://h:1\n    token: t\n  - name: b\n    kind: plex\n    url: http://h:2\n    token: t\nflows:\n  - name: f\n    from: a\n    to: b\n    incremental: 15x\n", 11, "'incremental' must be an interval")]
    [InlineData("profiles:\n  - name: anna\n---\nflows: []\n", 3, "one YAML document")]
    [InlineData("connections:\n  - name: home\n    kind: plex\n    url: &u http://h:1\n    token: *u\n", 4, "anchors and aliases")]
    [InlineData("notifications:\n  - name: d\n    kind: discord\n    colour: red\n", 4, "unknown key 'colour' in a notification channel")]
    [InlineData("notifications:\n  - name: d\n    kind: discord\n    url: https://discord.com/api/webhooks/1/x\n    triggers: [plays]\n", 2, "notification channel 'd': Unknown trigger 'plays'")]
    [InlineData("notifications:\n  - name: d\n    kind: ntfy\n    url: https://ntfy.sh/t\n    templates:\n      title: \"{{ user \"\n", 2, "notification channel 'd': Not valid Liquid")]
    [InlineData("notifications:\n  - name: d\n    kind: ntfy\n    url: https://ntfy.sh/t\n    headers: [a, b]\n", 5, "'headers' must be a mapping")]
    [InlineData("notifications:\n  - name: d\n    kind: ntfy\n    url: https://ntfy.sh/t\n  - name: d\n    kind: ntfy\n    url: https://ntfy.sh/u\n", 5, "notification channel 'd' is declared twice")]
    [InlineData("notifications:\n  - name: d\n    kind: discord\n    url: https://example.com/hook\n", 2, "A Discord URL is a webhook URL")]
    [InlineData("notifications:\n  - name: d\n    kind: ntfy\n    url: https://ntfy.sh/t\n    condition: usr is anna\n", 2, "notification channel 'd': Unknown field 'usr'")]
    public async Task BadYaml_StopsTheStartWithFileLineAndReason(string yaml, int line, string reason)
    {
        using var cli = new CliRunner();
        var file = Path.Combine(cli.Folder, "marquee.yaml");
        await File.WriteAllTextAsync(file, yaml);

        var result = await cli.RunAsync("connection", "list", "--config", file);

        Assert.Equal(1, result.Code);
        var error = result.Error.Trim();
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith($"error: {file}:{line}: ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task Apply_FlowNamingAMissingConnection_CreatesNothing()
    {
        using var cli = new CliRunner(new Dictionary<string, string> { ["HOME_TOKEN"] = "tok" });
        var file = Path.Combine(cli.Folder, "marquee.yaml");
        await File.WriteAllTextAsync(file, Valid.Replace("    to: cabin\n", "    to: nowhere\n", StringComparison.Ordinal));

        var result = await cli.RunAsync("config", "apply", "--config", file);

        Assert.Equal(1, result.Code);
        Assert.StartsWith($"error: {file}:18: ", result.Error.Trim(), StringComparison.Ordinal);
        Assert.Contains("'to' names no connection: 'nowhere'", result.Error, StringComparison.Ordinal);
        await AssertNothingStoredAsync(cli);
    }

    [Fact]
    public async Task Apply_AFlowTheStoreRefuses_RollsBackTheConnectionsAndProfilesBeforeIt()
    {
        using var cli = new CliRunner(new Dictionary<string, string> { ["HOME_TOKEN"] = "tok" });
        var file = Path.Combine(cli.Folder, "marquee.yaml");
        await File.WriteAllTextAsync(file, Valid.Replace("\"0 3 * * *\"", "\"every tuesday\"", StringComparison.Ordinal));

        var result = await cli.RunAsync("config", "apply", "--config", file);

        Assert.Equal(1, result.Code);
        Assert.StartsWith($"error: {file}:18: flow 'home-cabin': ", result.Error.Trim(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(cli);
    }

    [Fact]
    public async Task Apply_AfterAFailedApply_OfTheFixedFile_CreatesEverything()
    {
        using var cli = new CliRunner(new Dictionary<string, string> { ["HOME_TOKEN"] = "tok" });
        var file = Path.Combine(cli.Folder, "marquee.yaml");
        await File.WriteAllTextAsync(file, Valid.Replace("\"0 3 * * *\"", "\"every tuesday\"", StringComparison.Ordinal));
        Assert.Equal(1, (await cli.RunAsync("config", "apply", "--config", file)).Code);
        await File.WriteAllTextAsync(file, Valid);

        await cli.OkAsync("config", "apply", "--config", file);

        Assert.Equal(2, JsonDocument.Parse(await cli.OkAsync("connection", "list", "--json")).RootElement.GetArrayLength());
        Assert.Equal(1, JsonDocument.Parse(await cli.OkAsync("profile", "list", "--json")).RootElement.GetArrayLength());
        Assert.Equal(1, JsonDocument.Parse(await cli.OkAsync("flow", "list", "--json")).RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("    from: home\n", "    from: ${FLOW_VALUE}\n")]
    [InlineData("    twoWay: true\n", "    twoWay: true\n    mode: ${FLOW_VALUE}\n")]
    [InlineData("    kind: jellyfin\n", "    kind: ${FLOW_VALUE}\n")]
    public async Task Apply_ErrorFromAnEnvironmentValue_NamesTheVariable_NeverItsValue(string find, string replace)
    {
        using var cli = new CliRunner(new Dictionary<string, string> { ["HOME_TOKEN"] = "tok", ["FLOW_VALUE"] = "hunter2-secret" });
        var file = Path.Combine(cli.Folder, "marquee.yaml");
        await File.WriteAllTextAsync(file, Valid.Replace(find, replace, StringComparison.Ordinal));

        var result = await cli.RunAsync("config", "apply", "--config", file);

        Assert.Equal(1, result.Code);
        Assert.DoesNotContain("hunter2", result.Error + result.Output, StringComparison.Ordinal);
        Assert.Contains("${FLOW_VALUE}", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Export_WithSecrets_WritesTheFileOwnerOnly(bool fileExists)
    {
        using var cli = new CliRunner(new Dictionary<string, string> { ["HOME_TOKEN"] = "tok-from-env" });
        var file = Path.Combine(cli.Folder, "in.yaml");
        await File.WriteAllTextAsync(file, Valid);
        var exported = Path.Combine(cli.Folder, "exported.yaml");
        if (fileExists)
        {
            await File.WriteAllTextAsync(exported, "old");
            File.SetUnixFileMode(exported, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        await cli.OkAsync("config", "export", "--include-secrets", "--output", exported, "--config", file);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(exported));
        Assert.Contains("tok-from-env", await File.ReadAllTextAsync(exported), StringComparison.Ordinal);
        Assert.Equal([exported, file], Directory.GetFiles(cli.Folder).Order(StringComparer.Ordinal).ToArray());
    }

    private static async Task AssertNothingStoredAsync(CliRunner cli)
    {
        Assert.Equal(0, JsonDocument.Parse(await cli.OkAsync("connection", "list", "--json")).RootElement.GetArrayLength());
        Assert.Equal(0, JsonDocument.Parse(await cli.OkAsync("profile", "list", "--json")).RootElement.GetArrayLength());
        Assert.Equal(0, JsonDocument.Parse(await cli.OkAsync("flow", "list", "--json")).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task MissingConfigFile_GivenExplicitly_IsAnError()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("connection", "list", "--config", Path.Combine(cli.Folder, "nope.yaml"));

        Assert.Equal(1, result.Code);
        Assert.Contains("nope.yaml", result.Error, StringComparison.Ordinal);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }
}
