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
    [InlineData("notifications:\n  - name: d\n    kind: discord\n    url: https://discord.com/api/webhooks/1/x\n    poster: sometimes\n", 5, "'poster' must be true or false")]
    [InlineData("labels:\n  prefix: my labels\n", 2, "labels.prefix: 'prefix' 'my labels' may hold only letters")]
    [InlineData("labels:\n  prefix: \"a:b\"\n", 2, "labels.prefix: 'prefix' 'a:b'")]
    [InlineData("labels:\n  prefix: \"\"\n", 2, "labels.prefix: 'prefix' must not be empty")]
    [InlineData("labels:\n  tagInstances: [nowhere]\n", 2, "labels.tagInstances: 'tagInstances': there is no connection 'nowhere'")]
    [InlineData("labels:\n  watchlists: false\n  plex: nowhere\n", 3, "labels.plex: 'plex': there is no connection 'nowhere'")]
    [InlineData("labels:\n  concurrency: 0\n", 2, "labels.concurrency: 'concurrency' must be between 1 and 20")]
    [InlineData("labels:\n  concurrency: 21\n", 2, "labels.concurrency: 'concurrency' must be between 1 and 20")]
    [InlineData("labels:\n  concurrency: many\n", 2, "labels.concurrency must be a whole number, not \"many\"")]
    [InlineData("labels:\n  removedMode: forget\n", 2, "labels.removedMode: 'removedMode' must be")]
    [InlineData("labels:\n  aliases: [bob]\n", 2, "labels.aliases must be a mapping of names to values")]
    [InlineData("labels:\n  at: \"25:00\"\n", 2, "labels.at: 'at' is not a time of day: '25:00'")]
    [InlineData("labels:\n  at: 3pm\n", 2, "labels.at: 'at' is not a time of day: '3pm'")]
    [InlineData("labels:\n  at: \"03:00\"\n  days: [mon, funday]\n", 3, "labels.days: 'days': 'funday' is not a day of the week")]
    [InlineData("labels:\n  days: mon\n", 2, "labels.days: 'days' needs a time of day in 'at'")]
    [InlineData("labels:\n  schedule: \"0 3 * * *\"\n  at: \"03:00\"\n", 2, "labels.schedule: 'schedule' and 'at' cannot both be given")]
    [InlineData("labels:\n  schedule: every night\n", 2, "labels.schedule: 'schedule' is not a cron expression")]
    [InlineData("labels:\n  prefix: wants\n  colour: red\n", 3, "unknown key 'colour' in labels; expected one of: prefix, plex,")]
    [InlineData("labels: [prefix]\n", 1, "labels must be a mapping")]
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
    [InlineData("      maxRemovals: 5", "      maxRemovals: 5\nlabels:\n  concurrency: ${FLOW_VALUE}\n")]
    [InlineData("      maxRemovals: 5", "      maxRemovals: 5\nlabels:\n  prefix: ${FLOW_VALUE}.x y\n")]
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

    [Fact]
    public async Task Yaml_LabelsSection_IsApplied_KeysLeftOutKeepTheirValue_AndTheFileWinsAtEveryStart()
    {
        using var cli = new CliRunner(new Dictionary<string, string> { ["HOME_TOKEN"] = "tok", ["LABEL_PREFIX"] = "wants" });
        Directory.CreateDirectory(cli.DataFolder);
        var radarr = "  - name: movies\n    kind: radarr\n    url: http://127.0.0.1:11\n    apiKey: radarr-key\nprofiles:\n";
        await File.WriteAllTextAsync(Path.Combine(cli.DataFolder, "marquee.yaml"), Valid.Replace("profiles:\n", radarr, StringComparison.Ordinal) + """

            labels:
              prefix: ${LABEL_PREFIX}
              plex: home
              aliases:
                anna: annie
              watchlists: false
              tagInstances: [movies]
              excludeTags: "^x-"
              removedMode: special
              removedLabel: gone
              cleanupOrphans: false
              concurrency: 7
              pendingExpiryDays: 10
              at: "03:30"
              days: mon, fri
            """);

        var first = JsonDocument.Parse(await cli.OkAsync("labels", "settings", "--json")).RootElement;
        await cli.OkAsync("labels", "settings", "--concurrency", "3", "--schedule", "0 4 * * *", "--profiles", "anna");
        var again = JsonDocument.Parse(await cli.OkAsync("labels", "settings", "--json")).RootElement;

        Assert.Equal("wants", first.GetProperty("prefix").GetString());
        Assert.Equal("home", first.GetProperty("plex").GetString());
        Assert.Equal("annie", first.GetProperty("aliases").GetProperty("anna").GetString());
        Assert.False(first.GetProperty("watchlists").GetBoolean());
        Assert.Equal(["movies"], first.GetProperty("tagInstances").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("^x-", first.GetProperty("excludeTags").GetString());
        Assert.Equal("special", first.GetProperty("removedMode").GetString());
        Assert.Equal("gone", first.GetProperty("removedLabel").GetString());
        Assert.False(first.GetProperty("cleanupOrphans").GetBoolean());
        Assert.Equal(7, first.GetProperty("concurrency").GetInt32());
        Assert.Equal(10, first.GetProperty("pendingExpiryDays").GetInt32());
        Assert.Equal("03:30", first.GetProperty("at").GetString());
        Assert.Equal(["mon", "fri"], first.GetProperty("days").EnumerateArray().Select(t => t.GetString()));

        // The next start applies the file again: its keys win (concurrency, the time of day over the cron given on the
        // command line), a key it leaves out (profiles) keeps what the command line stored.
        Assert.Equal(7, again.GetProperty("concurrency").GetInt32());
        Assert.Equal(JsonValueKind.Null, again.GetProperty("schedule").ValueKind);
        Assert.Equal("03:30", again.GetProperty("at").GetString());
        Assert.Equal(["anna"], again.GetProperty("profiles").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Apply_TheSameLabelsSectionTwice_StoresItOnce()
    {
        using var cli = new CliRunner();
        var file = Path.Combine(cli.Folder, "marquee.yaml");
        await File.WriteAllTextAsync(file, "labels:\n  prefix: wants\n  at: \"03:00\"\n  days: mon, fri\n  aliases:\n    anna: annie\n");

        await cli.OkAsync("config", "apply", "--config", file);
        var first = await StoredAtAsync(cli);
        await Task.Delay(20);
        await cli.OkAsync("config", "apply", "--config", file);

        Assert.NotNull(first);
        Assert.Equal(first, await StoredAtAsync(cli));
        Assert.Equal("wants", JsonDocument.Parse(await cli.OkAsync("labels", "settings", "--json")).RootElement.GetProperty("prefix").GetString());
    }

    /// <summary>When the label settings were last written, read from the store file.</summary>
    private static async Task<long?> StoredAtAsync(CliRunner cli)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(cli.DataFolder, "marquee.db")};Pooling=False;Mode=ReadOnly");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT updated_at FROM care_settings WHERE kind = 'labels' AND name = 'settings'";
        return await command.ExecuteScalarAsync() is long at ? at : null;
    }

    [Theory]
    [InlineData("concurrency: 21")]
    [InlineData("tagInstances: [nowhere]")]
    [InlineData("days: [mon, funday]")]
    public async Task Apply_BadLabelSettings_StoresNothing_NotEvenTheConnectionsBeforeThem(string bad)
    {
        using var cli = new CliRunner(new Dictionary<string, string> { ["HOME_TOKEN"] = "tok" });
        var file = Path.Combine(cli.Folder, "marquee.yaml");
        await File.WriteAllTextAsync(file, Valid + $"\nlabels:\n  prefix: wants\n  at: \"03:00\"\n  {bad}\n");

        var result = await cli.RunAsync("config", "apply", "--config", file);

        Assert.Equal(1, result.Code);
        Assert.StartsWith($"error: {file}:29: labels.{bad[..bad.IndexOf(':', StringComparison.Ordinal)]}", result.Error.Trim(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(cli);
        var settings = JsonDocument.Parse(await cli.OkAsync("labels", "settings", "--json")).RootElement;
        Assert.Equal("marquee", settings.GetProperty("prefix").GetString());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("at").ValueKind);
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
