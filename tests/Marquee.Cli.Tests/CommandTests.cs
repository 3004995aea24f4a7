using System.CommandLine;
using System.Text.Json;
using Marquee.Cli.Tests.Infrastructure;

namespace Marquee.Cli.Tests;

public sealed class CommandTests
{
    public static TheoryData<string> CommandPaths() => new(AllCommandPaths());

    private static List<string> AllCommandPaths()
    {
        var data = new List<string>();
        var root = MarqueeCli.Build(TextWriter.Null, TextWriter.Null, _ => null);
        void Walk(Command command, string path)
        {
            data.Add(path);
            foreach (var sub in command.Subcommands)
            {
                Walk(sub, (path + " " + sub.Name).Trim());
            }
        }

        Walk(root, string.Empty);
        return data;
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public async Task Help_EveryCommand_ExitsZeroWithUsage(string path)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.Equal(0, result.Code);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        Assert.Contains("Description:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandTree_HasEveryFoundationCommand()
    {
        var paths = AllCommandPaths().ToHashSet();

        foreach (var expected in new[]
        {
            "serve", "demo", "version", "connection add", "connection list", "connection show", "connection test", "connection remove",
            "profile add", "profile list", "profile link", "profile unlink", "flow add", "flow list", "flow show", "flow remove", "config export", "sim plex", "sim jellyfin", "sim emby", "sim radarr", "sim sonarr", "sim discord", "sim ntfy", "sim trakt", "sim shoko", "sim seerr", "bench",
        })
        {
            Assert.Contains(expected, paths);
        }
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("connection", "add", "jellyfin", "--name", "x")]
    [InlineData("connection", "add", "plex", "--url", "http://h:1")]
    [InlineData("flow", "add", "f", "--from", "a")]
    [InlineData("connection", "list", "--colour")]
    [InlineData("profile", "link", "anna", "--connection", "home")]
    public async Task UsageError_ExitsTwoWithHint(params string[] args)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync(args);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidValue_ExitsTwoNamingTheField()
    {
        using var cli = new CliRunner();
        await cli.OkAsync("connection", "add", "plex", "--name", "a", "--url", "http://h:1", "--token", "t", "--no-test");
        await cli.OkAsync("connection", "add", "plex", "--name", "b", "--url", "http://h:2", "--token", "t", "--no-test");

        var mode = await cli.RunAsync("flow", "add", "f", "--from", "a", "--to", "b", "--mode", "sideways");
        var url = await cli.RunAsync("connection", "add", "plex", "--name", "c", "--url", "not-a-url", "--token", "t");
        var cron = await cli.RunAsync("flow", "add", "g", "--from", "a", "--to", "b", "--schedule", "every day");
        var kind = await cli.RunAsync("connection", "add", "kodi", "--name", "k", "--url", "http://h:3");
        var incremental = await cli.RunAsync("flow", "add", "h", "--from", "a", "--to", "b", "--incremental", "0m");
        var editions = await cli.RunAsync("flow", "add", "i", "--from", "a", "--to", "b", "--editions", "cuts");

        Assert.Equal((2, true), (mode.Code, mode.Error.Contains("error: mode:", StringComparison.Ordinal)));
        Assert.Equal((2, true), (url.Code, url.Error.Contains("error: settings.url:", StringComparison.Ordinal)));
        Assert.Equal((2, true), (cron.Code, cron.Error.Contains("error: schedule:", StringComparison.Ordinal)));
        Assert.Equal((2, true), (kind.Code, kind.Error.Contains("error: kind:", StringComparison.Ordinal)));
        Assert.Equal((2, true), (incremental.Code, incremental.Error.Contains("error: incremental: 'incremental' (0m) must be at least 1m.", StringComparison.Ordinal)));
        Assert.Equal((2, true), (editions.Code, editions.Error.Contains("error: filters.editions: 'filters.editions' must be one of edition, base, skip.", StringComparison.Ordinal)));
        Assert.Contains("\"name\": \"a\"", await cli.OkAsync("connection", "list", "--json"), StringComparison.Ordinal);
        Assert.DoesNotContain("\"name\": \"c\"", await cli.OkAsync("connection", "list", "--json"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("connection", "show", "ghost")]
    [InlineData("connection", "remove", "ghost")]
    [InlineData("connection", "test", "ghost")]
    [InlineData("flow", "show", "ghost")]
    [InlineData("flow", "remove", "ghost")]
    [InlineData("profile", "link", "ghost", "--connection", "x", "--account", "y")]
    public async Task UnknownName_ExitsOneWithOneLine(params string[] args)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync(args);

        Assert.Equal(1, result.Code);
        Assert.Equal($"error: No {args[0]} 'ghost'.", result.Error.Trim());
    }

    [Fact]
    public async Task Connection_Lifecycle_AddListShowTestRemove()
    {
        using var cli = new CliRunner();

        var added = await cli.OkAsync("connection", "add", "plex", "--name", "home", "--url", "http://127.0.0.1:9", "--token", "TOKEN-123456", "--no-test");
        var table = await cli.OkAsync("connection", "list");
        var json = JsonDocument.Parse(await cli.OkAsync("connection", "list", "--json")).RootElement;
        var show = JsonDocument.Parse(await cli.OkAsync("connection", "show", "home", "--json")).RootElement;
        var showText = await cli.OkAsync("connection", "show", "home");
        var test = await cli.RunAsync("connection", "test", "home");
        var removed = await cli.OkAsync("connection", "remove", "home");
        var empty = await cli.OkAsync("connection", "list", "--json");

        Assert.Contains("Added connection 'home'", added, StringComparison.Ordinal);
        Assert.Contains("home", table, StringComparison.Ordinal);
        Assert.Equal("home", json[0].GetProperty("name").GetString());
        Assert.Equal("********", json[0].GetProperty("settings").GetProperty("token").GetString());
        Assert.Equal("********", show.GetProperty("settings").GetProperty("token").GetString());
        // plex.tv cannot be reached from the tests: a direct connection still knows its owner (the token's), and only it.
        Assert.All(show.GetProperty("accounts").EnumerateArray(), a => Assert.Equal("owner", a.GetProperty("kind").GetString()));
        Assert.True(show.GetProperty("accounts").GetArrayLength() <= 1);
        Assert.DoesNotContain("TOKEN-123456", added + table + json + show + showText + test.Output + test.Error, StringComparison.Ordinal);
        Assert.Equal(1, test.Code);
        Assert.Contains("error: url:", test.Error, StringComparison.Ordinal);
        Assert.Contains("Removed connection 'home'", removed, StringComparison.Ordinal);
        Assert.Equal("[]", empty.Trim());
    }

    [Fact]
    public async Task Profile_Lifecycle_AddLinkListUnlink()
    {
        await using var sim = await Marquee.Simulators.Plex.PlexSimulator.StartAsync(new Marquee.Simulators.Plex.PlexSimulatorOptions { Seed = 5, Movies = 3, Shows = 1, HomeUsers = 1, Friends = 1 }, CancellationToken.None);
        var anna = sim.Accounts.First(a => a.Kind == Marquee.Simulators.Plex.SimAccountKind.Friend).Name;
        using var cli = new CliRunner(new Dictionary<string, string> { ["MARQUEE_PLEXTV_URL"] = sim.PlexTvUri.ToString() });
        await cli.OkAsync("connection", "add", "plex", "--name", "home", "--url", sim.BaseUri.ToString(), "--token", sim.Owner.AccountToken, "--no-test");

        await cli.OkAsync("profile", "add", "anna", "--display-name", "Anna");
        var unknown = await cli.RunAsync("profile", "link", "anna", "--connection", "home", "--account", "nobody-here");
        await cli.OkAsync("profile", "link", "anna", "--connection", "home", "--account", anna);
        var linked = JsonDocument.Parse(await cli.OkAsync("profile", "list", "--json")).RootElement;
        var table = await cli.OkAsync("profile", "list");
        await cli.OkAsync("profile", "unlink", "anna", "--connection", "home", "--account", anna);
        var unlinked = JsonDocument.Parse(await cli.OkAsync("profile", "list", "--json")).RootElement;
        var again = await cli.RunAsync("profile", "unlink", "anna", "--connection", "home", "--account", anna);

        Assert.Equal(2, unknown.Code);
        Assert.Contains("no account 'nobody-here'", unknown.Error, StringComparison.Ordinal);
        Assert.Equal("Anna", linked[0].GetProperty("displayName").GetString());
        Assert.Equal(anna, linked[0].GetProperty("accounts")[0].GetProperty("accountName").GetString());
        Assert.Contains($"home/{anna} (manual)", table, StringComparison.Ordinal);
        Assert.Equal(0, unlinked[0].GetProperty("accounts").GetArrayLength());
        Assert.Equal(1, again.Code);
    }

    [Fact]
    public async Task Flow_Lifecycle_AddListShowRemove()
    {
        using var cli = new CliRunner();
        await cli.OkAsync("connection", "add", "plex", "--name", "a", "--url", "http://h:1", "--token", "t", "--no-test");
        await cli.OkAsync("connection", "add", "jellyfin", "--name", "b", "--url", "http://h:2", "--api-key", "k", "--no-test");

        var added = await cli.OkAsync("flow", "add", "ab", "--from", "a", "--to", "b", "--two-way", "--features", "watched,ratings", "--mode", "add-only", "--schedule", "*/30 * * * *", "--incremental", "5m", "--editions", "skip");
        var list = JsonDocument.Parse(await cli.OkAsync("flow", "list", "--json")).RootElement;
        var show = JsonDocument.Parse(await cli.OkAsync("flow", "show", "ab", "--json")).RootElement;
        var text = await cli.OkAsync("flow", "show", "ab");
        var refused = await cli.RunAsync("connection", "remove", "a");
        await cli.OkAsync("flow", "remove", "ab");

        Assert.Contains("a <-> b", added, StringComparison.Ordinal);
        Assert.Equal("ab", list[0].GetProperty("name").GetString());
        Assert.True(show.GetProperty("twoWay").GetBoolean());
        Assert.Equal("add-only", show.GetProperty("mode").GetString());
        Assert.Equal("*/30 * * * *", show.GetProperty("schedule").GetString());
        Assert.Equal("5m", show.GetProperty("incremental").GetString());
        Assert.Contains("Incremental runs: 5m", text, StringComparison.Ordinal);
        Assert.Equal("skip", show.GetProperty("filters").GetProperty("editions").GetString());
        Assert.Matches(@"Editions: +skip", text);
        Assert.Equal(["watched", "ratings"], show.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("hold a run that removes more than 25 items or 10 %", text, StringComparison.Ordinal);
        Assert.Equal(1, refused.Code);
        Assert.Contains("used by flow(s) ab", refused.Error, StringComparison.Ordinal);
        Assert.Equal("[]", (await cli.OkAsync("flow", "list", "--json")).Trim());
    }

    [Fact]
    public async Task Version_Json_HasVersion()
    {
        using var cli = new CliRunner();

        var json = JsonDocument.Parse(await cli.OkAsync("version", "--json")).RootElement;

        Assert.Matches(@"^\d+\.\d+\.\d+", json.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Demo_NoServe_RunsToCompletionInProcess()
    {
        using var cli = new CliRunner();

        var output = await cli.OkAsync("demo", "--no-serve");

        Assert.Contains("two simulated Plex servers", output, StringComparison.Ordinal);
        Assert.Contains("Demo finished.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_IntoAFolderInUse_IsRefused()
    {
        using var cli = new CliRunner();
        Directory.CreateDirectory(cli.DataFolder);
        await File.WriteAllTextAsync(Path.Combine(cli.DataFolder, "keep.txt"), "mine");

        var result = await cli.RunAsync("demo", "--no-serve");

        Assert.Equal(2, result.Code);
        Assert.Contains("fresh data folder", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataFolder_FromMarqueeDataVariable_IsUsed()
    {
        using var cli = new CliRunner();
        var folder = Path.Combine(cli.Folder, "from-env");
        cli.Environment["MARQUEE_DATA"] = folder;

        using var output = new StringWriter();
        var code = await MarqueeCli.RunAsync(["profile", "add", "anna"], output, TextWriter.Null, name => cli.Environment.TryGetValue(name, out var v) ? v : null);

        Assert.Equal(0, code);
        Assert.True(File.Exists(Path.Combine(folder, "marquee.db")));
    }
}
