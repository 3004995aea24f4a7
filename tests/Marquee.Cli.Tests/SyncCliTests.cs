using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.TestKit;

namespace Marquee.Cli.Tests;

/// <summary><c>marquee sync</c>, <c>runs</c>, <c>undo</c> and <c>demo</c> as separate processes against simulated Plex servers.</summary>
[Trait("Runs", "Process")]
public sealed partial class SyncCliTests
{
    [Fact]
    [Trait("Category", "Scenario")]
    public async Task Sync_Json_HoldsWithExitThree_ForcePasses_UndoRestores()
    {
        await using var pair = await ServerPair.StartAsync(seed: 11, movies: 40, watched: 26);
        var (left, right, env, movies) = (pair.Left, pair.Right, pair.Environment, pair.Movies);
        async Task<CliResult> Run(params string[] args) => await MarqueeProcess.RunAsync(args, env);

        await pair.AddFlowAsync();

        var first = await Run("sync", "main", "--json");
        Assert.True(first.Code == 0, first.Error + first.Output);
        var run = Single(first.Output);
        Assert.Equal("done", run.GetProperty("status").GetString());
        Assert.Equal("main", run.GetProperty("flow").GetString());
        Assert.Equal(26, run.GetProperty("written").GetInt32());
        Assert.Equal(26, run.GetProperty("planned").GetInt32());
        Assert.Equal(0, run.GetProperty("failed").GetInt32());
        Assert.True(run.GetProperty("unresolved").GetInt32() >= 0);
        Assert.True(run.GetProperty("requests").GetProperty("b PUT /:/scrobble").GetInt64() == 26);
        Assert.All(movies, m => Assert.Equal(1, Views(right, m.Title)));

        left.Control.AdvanceClock(TimeSpan.FromHours(1));
        right.Control.AdvanceClock(TimeSpan.FromHours(1));
        foreach (var movie in movies)
        {
            left.Control.Mark("owner", movie.RatingKey, watched: false);
        }

        var held = await Run("sync", "main", "--json");
        Assert.Equal(3, held.Code);
        Assert.Equal("held", Single(held.Output).GetProperty("status").GetString());
        Assert.All(movies, m => Assert.Equal(1, Views(right, m.Title)));

        var heldText = await Run("sync", "main");
        Assert.Equal(3, heldText.Code);
        Assert.Contains("--force", heldText.Output, StringComparison.Ordinal);

        var forced = await Run("sync", "main", "--force", "--json");
        Assert.Equal(0, forced.Code);
        var forcedRun = Single(forced.Output);
        Assert.Equal(26, forcedRun.GetProperty("written").GetInt32());
        Assert.All(movies, m => Assert.Equal(0, Views(right, m.Title)));

        var runs = await Run("runs", "--json");
        Assert.Equal(0, runs.Code);
        Assert.True(JsonDocument.Parse(runs.Output).RootElement.GetArrayLength() >= 4);

        var undo = await Run("undo", forcedRun.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture));
        Assert.True(undo.Code == 0, undo.Error + undo.Output);
        Assert.All(movies, m => Assert.Equal(1, Views(right, m.Title)));

        // A run is undone once: a second undo is refused with the reason and writes nothing.
        var again = await Run("undo", forcedRun.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture));
        Assert.Equal(1, again.Code);
        Assert.Matches(@"^error: run \d+ was already undone by run \d+", again.Error);
        Assert.Equal(string.Empty, again.Output);
        Assert.All(movies, m => Assert.Equal(1, Views(right, m.Title)));

        var badWindow = await Run("sync", "main", "--since", "yesterday-ish");
        Assert.Equal(2, badWindow.Code);
        Assert.Contains("since", badWindow.Error, StringComparison.Ordinal);

        // One run narrowed to a library and a profile (the undone removals are held again); a malformed name is refused before any run.
        var narrowed = await Run("sync", "main", "--library", "Movies", "--profile", "owner,nobody", "--json");
        Assert.True(narrowed.Code == 3, narrowed.Error + narrowed.Output);
        Assert.Equal(26, Single(narrowed.Output).GetProperty("planned").GetInt32());
        Assert.Contains("profile nobody has no accounts linked", Single(narrowed.Output).GetProperty("message").GetString(), StringComparison.Ordinal);
        var blank = await Run("sync", "main", "--library", " ");
        Assert.Equal(2, blank.Code);
        Assert.Contains("libraries", blank.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_AsAProcess_ShowsThePlans_SyncsPlexAndJellyfin_AndRerunsWithZeroWrites()
    {
        using var folder = new TempFolder();

        var result = await MarqueeProcess.RunAsync(["demo", "--no-serve", "--data", folder.Combine("demo")]);

        Assert.True(result.Code == 0, result.Error + result.Output);
        Assert.Contains("== Dry run of flow 'demo' (nothing is written) ==", result.Output, StringComparison.Ordinal);
        Assert.Contains("Plan of flow 'demo'", result.Output, StringComparison.Ordinal);
        Assert.Contains("Profiles mapped across the servers: bob, kid, owner, partner", result.Output, StringComparison.Ordinal);
        Assert.Contains("written: plex-b owner: mark-watched", result.Output, StringComparison.Ordinal);
        Assert.Contains("written: plex-a owner: mark-watched", result.Output, StringComparison.Ordinal);
        Assert.Contains("written: plex-b kid: mark-watched", result.Output, StringComparison.Ordinal);
        Assert.Contains("written: plex-a bob: set-rating", result.Output, StringComparison.Ordinal);

        // The Jellyfin server, its connection and the Plex ⇄ Jellyfin flow, synced both ways.
        Assert.Matches(@"(?m)^  jellyfin http://127\.0\.0\.1:\d+/ ", result.Output);
        Assert.Contains("Added connections plex-a, plex-b and jellyfin.", result.Output, StringComparison.Ordinal);
        Assert.Contains("Added flow 'plex-jellyfin': plex-a <-> jellyfin, library Movies", result.Output, StringComparison.Ordinal);
        Assert.Contains("== Dry run of flow 'plex-jellyfin' (nothing is written) ==", result.Output, StringComparison.Ordinal);
        Assert.Contains("== Sync of flow 'plex-jellyfin' ==", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  jellyfin owner: mark-watched '.+' \(watched at 20\d\d-", result.Output);
        Assert.Matches(@"(?m)^  written: jellyfin owner: mark-watched '.+' \(watched at 20\d\d-", result.Output);
        Assert.Matches(@"(?m)^  written: plex-a owner: mark-watched '.+' \(.*from connection 3\)\)$", result.Output);
        Assert.Matches(@"(?m)^  written: plex-a kid: set-rating '.+' \(rated 9\.0 .*from connection 3\)\)$", result.Output);
        Assert.Matches(@"(?m)^Run 4 of flow 'plex-jellyfin': done\. Planned (\d+), written \1, skipped 0, failed 0,", result.Output);
        Assert.Matches(@"(?m)^  written: plex-b owner: mark-watched '.+' \(.*from connection 3\)\)$", result.Output);
        Assert.Contains("Run 6 of flow 'plex-jellyfin': done. Planned 0, written 0,", result.Output, StringComparison.Ordinal);
        Assert.Contains("Run 7 of flow 'demo': done. Planned 0, written 0,", result.Output, StringComparison.Ordinal);
        Assert.Contains("Demo finished.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_ServesTheApiUntilStopped_AndJellyfinHoldsThePlexWatchDates()
    {
        using var folder = new TempFolder();
        using var demo = MarqueeProcess.Start(["demo", "--data", folder.Combine("demo")]);

        var line = await demo.WaitForLineAsync("Serving the API on", TimeSpan.FromSeconds(90));
        using var http = MarqueeProcess.ApiClient(line, folder.Combine("demo"));
        var response = await http.GetAsync("/api/runs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(7, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetArrayLength());

        // Every watch the demo lists as written to Jellyfin is there, played, with the date Plex had, not the time of the sync.
        var server = Regex.Match(demo.Output, @"(?m)^  jellyfin (http://\S+)  \(\d+ items, API key (\S+), users");
        Assert.True(server.Success, demo.Output);
        using var jellyfin = new HttpClient { BaseAddress = new Uri(server.Groups[1].Value) };
        jellyfin.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"MediaBrowser Client=\"test\", Device=\"test\", DeviceId=\"test\", Version=\"1.0\", Token=\"{server.Groups[2].Value}\"");
        var users = JsonDocument.Parse(await jellyfin.GetStringAsync("/Users")).RootElement.EnumerateArray();
        var owner = users.Single(u => u.GetProperty("Name").GetString() == "owner").GetProperty("Id").GetString();
        var played = JsonDocument.Parse(await jellyfin.GetStringAsync($"/Items?userId={owner}&Recursive=true&IncludeItemTypes=Movie&IsPlayed=true")).RootElement
            .GetProperty("Items").EnumerateArray()
            .ToLookup(i => i.GetProperty("Name").GetString()!, i => i.GetProperty("UserData").GetProperty("LastPlayedDate").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        var written = Regex.Matches(demo.Output, @"(?m)^  written: jellyfin owner: mark-watched '(.+)' \(watched at (\d{4}-\d\d-\d\d \d\d:\d\d) ");
        Assert.NotEmpty(written);
        var now = DateTimeOffset.FromUnixTimeSeconds(JsonDocument.Parse(await jellyfin.GetStringAsync("/_sim/clock")).RootElement.GetProperty("now").GetInt64());
        foreach (Match write in written)
        {
            Assert.Contains(write.Groups[2].Value, played[write.Groups[1].Value]);
        }

        var monthAgo = now.AddDays(-30).UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        Assert.Contains(written, w => string.CompareOrdinal(w.Groups[2].Value, monthAgo) < 0);
    }

    private static JsonElement Single(string output)
    {
        var runs = JsonDocument.Parse(output).RootElement.GetProperty("runs");
        Assert.Equal(1, runs.GetArrayLength());
        return runs[0];
    }

    private static List<PlexItem> Plain(PlexSimulator sim) =>
        sim.State.Sections.Where(s => s.Title == "Movies").SelectMany(s => sim.State.ItemsOfType(s.Id, ItemType.Movie))
            .Where(m => m.EditionTitle is null && !m.PrimaryGuid.StartsWith("local://", StringComparison.Ordinal))
            .GroupBy(m => m.Title).Where(g => g.Count() == 1).Select(g => g.Single()).OrderBy(m => m.Title, StringComparer.Ordinal).ToList();

    private static int Views(PlexSimulator sim, string title) =>
        sim.State.State(sim.Owner, Plain(sim).First(m => m.Title == title)).ViewCount;

    private static void Clear(PlexSimulator sim)
    {
        foreach (var account in sim.Accounts)
        {
            foreach (var item in sim.State.Sections.SelectMany(s => sim.State.ItemsOfType(s.Id, s.Type == "movie" ? ItemType.Movie : ItemType.Episode)))
            {
                if (!sim.State.State(account, item).IsEmpty)
                {
                    sim.State.Unscrobble(account, item);
                    sim.State.Rate(account, item, null, 0);
                }
            }
        }
    }

    /// <summary>Two simulated Plex servers (same media, other keys) behind one plex.tv, no state but the owner's watched marks on the left, and a data folder.</summary>
    private sealed class ServerPair : IAsyncDisposable
    {
        private readonly TempFolder _folder = new();
        private PlexTvFederation? _plexTv;

        public PlexSimulator Left { get; private set; } = null!;

        public PlexSimulator Right { get; private set; } = null!;

        public TempFolder Folder => _folder;

        public Dictionary<string, string> Environment { get; } = [];

        /// <summary>Gets the plain movies both servers hold, marked watched for the owner on the left.</summary>
        public IReadOnlyList<PlexItem> Movies { get; private set; } = [];

        public static async Task<ServerPair> StartAsync(int seed, int movies, int watched)
        {
            var pair = new ServerPair();
            var start = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);
            pair.Left = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = seed, Variant = 0, Movies = movies, Shows = 1, ClockStart = start }, CancellationToken.None);
            pair.Right = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = seed, Variant = 1, Movies = movies, Shows = 1, ClockStart = start }, CancellationToken.None);
            pair._plexTv = await PlexTvFederation.StartAsync([pair.Left, pair.Right], CancellationToken.None);
            Clear(pair.Left);
            Clear(pair.Right);
            pair.Environment["MARQUEE__Marquee__Plex__PlexTvUrl"] = pair._plexTv.Uri.ToString();
            pair.Environment["MARQUEE_DATA"] = pair._folder.Path;
            pair.Movies = Plain(pair.Left).Where(m => Plain(pair.Right).Any(r => r.Title == m.Title)).Take(watched).ToList();
            foreach (var movie in pair.Movies)
            {
                pair.Left.Control.Mark("owner", movie.RatingKey, watched: true);
            }

            return pair;
        }

        /// <summary>
        /// Adds the two servers as connections <c>a</c> and <c>b</c> and the flow <c>main</c> from a to b (watched marks),
        /// each through a <c>marquee</c> process of its own that must succeed.
        /// </summary>
        public async Task AddFlowAsync()
        {
            string[][] commands =
            [
                ["connection", "add", "plex", "--name", "a", "--url", Left.BaseUri.ToString(), "--token", Left.Owner.AccountToken],
                ["connection", "add", "plex", "--name", "b", "--url", Right.BaseUri.ToString(), "--token", Right.Owner.AccountToken],
                ["flow", "add", "main", "--from", "a", "--to", "b", "--features", "watched"],
            ];
            foreach (var command in commands)
            {
                var result = await MarqueeProcess.RunAsync(command, Environment);
                Assert.True(result.Code == 0, $"marquee {string.Join(' ', command)} exited {result.Code}: {result.Error}{result.Output}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_plexTv is not null)
            {
                await _plexTv.DisposeAsync();
            }

            await Right.DisposeAsync();
            await Left.DisposeAsync();
            _folder.Dispose();
        }
    }
}
