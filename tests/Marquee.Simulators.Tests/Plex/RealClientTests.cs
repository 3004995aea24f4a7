using System.Diagnostics;
using System.Text.Json;
using Marquee.Simulators.Plex.Model;
using Xunit.Abstractions;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>
/// A Plex client nobody on the project wrote, @ctrl/plex (a TypeScript port of python-plexapi, pinned in
/// tools/plex-client), drives the simulator through a user's everyday calls (tools/plex-client/drive.mjs);
/// every step's result is checked against the simulator's state. The client comes from
/// MARQUEE_PLEX_CLIENT (a node_modules folder holding @ctrl/plex) or tools/plex-client/node_modules.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class RealClientTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CtrlPlex_EverydayCalls_AgreeWithTheSimulatorsState()
    {
        if (FindClient() is not { } client)
        {
            return;
        }

        await using var host = await SimHost.StartAsync(new() { Movies = 30, Shows = 4, HomeUsers = 1, Friends = 1, ClockStart = SimHost.Start });
        var state = host.Sim.State;
        var owner = host.Owner;
        var movies = state.ItemsOfType(1, ItemType.Movie);
        var unwatched = movies.Where(m => state.Aggregate(owner, m).ViewCount == 0).Select(m => m.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var trashed = movies.First(m => state.Aggregate(owner, m).ViewCount > 0);
        host.Control.MarkUnavailable(trashed.RatingKey);
        var pms = host.Pms(owner.AccountToken);
        var byTitle = SimHost.Metadata(await SimHost.ContainerAsync(pms, "/library/sections/1/all?sort=titleSort")).Select(m => m.GetProperty("ratingKey").GetString()!).ToList();
        var historyRows = state.History().Count;

        var steps = await DriveAsync(client, host);

        var signin = steps["signin"];
        Assert.Equal(owner.Name, signin.GetProperty("username").GetString());
        Assert.Equal([state.Options.ServerName], Strings(signin, "resources"));
        Assert.Equal(host.Sim.MachineIdentifier, signin.GetProperty("machineIdentifier").GetString());

        var browse = steps["browse"];
        Assert.Equal(["sections", "recentlyAdded", "onDeck"], Strings(browse, "libraryRoot"));
        Assert.Equal(state.Sections.Select(s => s.Title), browse.GetProperty("sections").EnumerateArray().Select(s => s.GetProperty("title").GetString()));
        Assert.Equal(movies.Count, browse.GetProperty("movies").GetInt32());

        Assert.Equal(byTitle.Take(5), Strings(steps["page"], "page1"));
        Assert.Equal(byTitle.Skip(5).Take(5), Strings(steps["page"], "page2"));

        var search = steps["search"];
        Assert.Equal(unwatched.Order(StringComparer.Ordinal), Strings(search, "unwatched").Order(StringComparer.Ordinal));
        var year = search.GetProperty("year").GetInt32();
        Assert.Equal(
            movies.Where(m => m.Year == year && unwatched.Contains(Key(m))).Select(Key).Order(StringComparer.Ordinal),
            Strings(search, "unwatchedOfYear").Order(StringComparer.Ordinal));

        var target = state.Item(int.Parse(steps["markWatched"].GetProperty("ratingKey").GetString()!, System.Globalization.CultureInfo.InvariantCulture))!;
        var other = state.Item(int.Parse(steps["markUnwatched"].GetProperty("ratingKey").GetString()!, System.Globalization.CultureInfo.InvariantCulture))!;
        Assert.Equal(1, steps["markWatched"].GetProperty("viewCount").GetInt32());
        Assert.Equal(0, steps["markUnwatched"].GetProperty("viewCount").GetInt32());
        Assert.Equal(1, state.Aggregate(owner, target).ViewCount);
        Assert.Equal(7.5, steps["rate"].GetProperty("userRating").GetDouble());
        Assert.Equal(7.5, state.Aggregate(owner, target).UserRating);

        Assert.Equal(["marquee-a", "marquee-b"], Strings(steps["addLabels"], "labels"));
        Assert.Equal(["label"], Strings(steps["addLabels"], "locked"));
        Assert.Equal(["marquee-b", "marquee-c", "marquee-d"], Strings(steps["removeLabelAndUnlock"], "labels"));
        Assert.Empty(Strings(steps["removeLabelAndUnlock"], "locked"));
        Assert.Equal(["marquee-c"], Strings(steps["removeLabel"], "labels"));
        Assert.Equal(["marquee-c"], target.Labels.Select(state.LabelName));
        Assert.True(target.LabelLocked);

        var session = Assert.Single(steps["timelinePlaying"].GetProperty("sessions").EnumerateArray());
        Assert.Equal("1", session.GetProperty("user").GetString());
        Assert.Equal("playing", session.GetProperty("state").GetString());
        var terminate = steps["terminate"];
        Assert.Equal(session.GetProperty("sessionId").GetString(), terminate.GetProperty("sessionId").GetString());
        Assert.Equal(0, terminate.GetProperty("remaining").GetInt32());
        Assert.Equal("Time for bed", terminate.GetProperty("terminationText").GetString());

        Assert.Equal(1, steps["timelineWatched"].GetProperty("viewCount").GetInt32());
        Assert.Equal(1, state.Aggregate(owner, other).ViewCount);
        Assert.Empty(state.Sessions());
        var newRow = Assert.Single(state.History().Skip(historyRows));
        Assert.Equal((other.RatingKey, 1L), (newRow.RatingKey, newRow.AccountId));
        Assert.Contains(steps["history"].GetProperty("rows").EnumerateArray(), r => r.GetProperty("ratingKey").GetString() == Key(other) && r.GetProperty("accountID").GetInt32() == 1);
        Assert.Equal(state.History().Count, steps["history"].GetProperty("total").GetInt32());

        Assert.True(trashed.Deleted);
        Assert.Equal(movies.Count - 1, steps["emptyTrash"].GetProperty("items").GetInt32());
    }

    private static string Key(PlexItem item) => item.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static List<string> Strings(JsonElement step, string name) => [.. step.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    private async Task<Dictionary<string, JsonElement>> DriveAsync((string Script, string? Modules) client, SimHost host)
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(client.Script)!,
        };
        foreach (var arg in new[] { client.Script, "--pms", host.Sim.BaseUri.ToString(), "--plextv", host.Sim.PlexTvUri.ToString(), "--token", host.Owner.AccountToken })
        {
            info.ArgumentList.Add(arg);
        }

        if (client.Modules is not null)
        {
            info.Environment["MARQUEE_PLEX_CLIENT"] = client.Modules;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout;
        output.WriteLine(text);
        output.WriteLine(await stderr);
        var steps = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var step = JsonDocument.Parse(line).RootElement.Clone();
            var name = step.GetProperty("step").GetString()!;
            Assert.True(step.GetProperty("ok").GetBoolean(), $"step {name}: {line}");
            steps[name] = step;
        }

        Assert.Equal(
            ["signin", "browse", "page", "search", "markWatched", "markUnwatched", "rate", "addLabels", "removeLabelAndUnlock", "removeLabel", "timelinePlaying", "terminate", "timelineWatched", "history", "emptyTrash"],
            steps.Keys);
        Assert.Equal(0, process.ExitCode);
        return steps;
    }

    /// <summary>The drive script and, when set, the node_modules folder to load @ctrl/plex from; null (skipped, or failed in CI) when missing.</summary>
    private (string Script, string? Modules)? FindClient()
    {
        var root = RepoRoot();
        var script = root is null ? null : Path.Combine(root, "tools", "plex-client", "drive.mjs");
        var fromEnv = Environment.GetEnvironmentVariable("MARQUEE_PLEX_CLIENT");
        string? problem = null;
        if (script is null || !File.Exists(script))
        {
            problem = "tools/plex-client/drive.mjs not found";
        }
        else if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(Path.Combine(fromEnv, "@ctrl", "plex")))
        {
            if (NodeProblem() is { } node)
            {
                problem = node;
            }
            else
            {
                return (script, fromEnv);
            }
        }
        else if (Directory.Exists(Path.Combine(root!, "tools", "plex-client", "node_modules", "@ctrl", "plex")))
        {
            if (NodeProblem() is { } node)
            {
                problem = node;
            }
            else
            {
                return (script, null);
            }
        }
        else
        {
            problem = "@ctrl/plex not installed (set MARQUEE_PLEX_CLIENT to a node_modules folder holding it, or run: npm ci --prefix tools/plex-client --ignore-scripts --no-audit --no-fund)";
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(problem);
        }

        output.WriteLine(problem + "; skipped");
        return null;
    }

    private static string? NodeProblem()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            node.WaitForExit(30_000);
            return node.ExitCode == 0 ? null : "node --version failed";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "node is not installed";
        }
    }

    private static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Marquee.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
