using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Arr;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Simulators.Seerr;

namespace Marquee.Cli.Tests;

/// <summary>
/// <c>marquee labels</c> end to end through real HTTP: the Plex simulator (watchlists on its Discover, labels on its
/// library), a Radarr simulator (tags) and a Seerr simulator (requests), with connections and profiles made by the CLI.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class LabelSyncTests : IAsyncLifetime
{
    private const string EditEndpoint = "PUT /library/sections/{id}/all";
    private PlexSimulator _plex = null!;
    private ArrSimulator _radarr = null!;
    private SeerrSimulator _seerr = null!;
    private CliRunner _cli = null!;
    private List<PlexItem> _movies = null!;

    public async Task InitializeAsync()
    {
        _plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 7, Movies = 12, Shows = 2, HomeUsers = 1, Friends = 1 }, CancellationToken.None);
        _radarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Seed = 7, Movies = 12, Shows = 2, Missing = 1 }, CancellationToken.None);
        _seerr = await SeerrSimulator.StartAsync(new SeerrSimulatorOptions(), CancellationToken.None);
        // Movies with a TMDB id and no second edition, so each stands for one title.
        var all = _plex.State.ItemsOfType(1, ItemType.Movie);
        _movies = [.. all.Where(m => m.ExternalGuids.Any(g => g.StartsWith("tmdb://", StringComparison.Ordinal)) && all.Count(o => o.PrimaryGuid == m.PrimaryGuid) == 1)];
        _cli = new CliRunner(new Dictionary<string, string> { ["MARQUEE_PLEXTV_URL"] = _plex.PlexTvUri.ToString(), ["MARQUEE_DISCOVER_URL"] = _plex.DiscoverUri.ToString(), ["MARQUEE_COMMUNITY_URL"] = _plex.CommunityUri.ToString() });
        await _cli.OkAsync("connection", "add", "plex", "--name", "home", "--url", _plex.BaseUri.ToString(), "--token", _plex.Owner.AccountToken);
        await _cli.OkAsync("connection", "add", "radarr", "--name", "movies", "--url", _radarr.ApplicationUri.ToString(), "--api-key", _radarr.ApiKey);
        await _cli.OkAsync("connection", "add", "seerr", "--name", "requests", "--url", _seerr.BaseUri.ToString(), "--api-key", _seerr.ApiKey);
        foreach (var (profile, account) in new[] { ("alice", "owner"), ("kid", "kid"), ("bob", "bob") })
        {
            await _cli.OkAsync("profile", "add", profile);
            await _cli.OkAsync("profile", "link", profile, "--connection", "home", "--account", account);
        }

        await _cli.OkAsync("labels", "settings", "--seerr", "requests", "--tag-instances", "movies");
    }

    public async Task DisposeAsync()
    {
        _cli.Dispose();
        await _seerr.DisposeAsync();
        await _radarr.DisposeAsync();
        await _plex.DisposeAsync();
    }

    [Fact]
    public async Task FullSync_LabelsWatchlistRequestAndTag_KeepsOtherLabels_SecondRunEditsNothing()
    {
        var (watched, requested, tagged, foreign) = (_movies[0], _movies[1], _movies[2], _movies[3]);
        SetLabels(watched, "favorites", "Marquee:ghost", "other:alice");
        SetLabels(foreign, "marquee:bob");
        Watchlist("owner", watched, add: true);
        Watchlist("kid", requested, add: true);
        var kid = _plex.Accounts.Single(a => a.Name == "kid");
        var seerrKid = await SeerrPostAsync("_sim/users", new { plexId = kid.PlexTvId, plexUsername = "kid" });
        await SeerrPostAsync("_sim/requests", new { userId = (int)seerrKid["id"]!, mediaType = "movie", tmdbId = Tmdb(watched) });
        await TagAsync(tagged, "4k", "1-alice");
        _plex.Control.ResetCounts();

        var first = await SyncAsync();
        var counts = _plex.Control.RequestCounts;
        var second = await SyncAsync();

        Assert.Equal(["favorites", "other:alice", "marquee:alice", "marquee:kid"], Labels(watched));
        Assert.Equal(["marquee:kid"], Labels(requested));
        Assert.Equal(["marquee:4k"], Labels(tagged));
        Assert.Equal(["marquee:bob"], Labels(foreign));
        Assert.True(_plex.State.Item(watched.RatingKey)!.LabelLocked);
        Assert.Contains(first.GetProperty("sourceFailures").EnumerateArray(), f => f.GetProperty("source").GetString()!.Contains("bob", StringComparison.Ordinal));
        Assert.Equal(3, first.GetProperty("edited").GetInt32());
        Assert.Equal(3, counts.GetValueOrDefault(EditEndpoint));
        Assert.DoesNotContain(counts.Keys, k => k.StartsWith("GET /library/metadata", StringComparison.Ordinal));
        Assert.Equal(0, second.GetProperty("changes").GetInt32());
        Assert.Equal(3, _plex.Control.RequestCounts.GetValueOrDefault(EditEndpoint));
    }

    [Theory]
    [InlineData("remove", new string[0])]
    [InlineData("keep", new[] { "marquee:alice" })]
    [InlineData("special", new[] { "marquee:removed" })]
    public async Task UserRemovedFromWatchlist_EachModeGivesItsResult(string mode, string[] expected)
    {
        var movie = _movies[4];
        SetLabels(movie, "kids");
        Watchlist("owner", movie, add: true);
        await _cli.OkAsync("labels", "settings", "--removed-mode", mode);
        await SyncAsync();
        Assert.Equal(["kids", "marquee:alice"], Labels(movie));

        Watchlist("owner", movie, add: false);
        await SyncAsync();
        Assert.Equal(["kids", .. expected], Labels(movie));

        Watchlist("owner", movie, add: true);
        await SyncAsync();
        Assert.Equal(["kids", "marquee:alice"], Labels(movie));
    }

    [Fact]
    public async Task DryRun_PlansButEditsNothing_AndRemoveAllTakesOnlyPrefixedLabels()
    {
        var movie = _movies[5];
        SetLabels(movie, "keep-me", "marqueeish", "MARQUEE:old");
        Watchlist("owner", movie, add: true);
        _plex.Control.ResetCounts();

        var dry = await SyncAsync("--dry-run");
        Assert.Equal(0, _plex.Control.RequestCounts.GetValueOrDefault(EditEndpoint));
        Assert.Contains(dry.GetProperty("edits").EnumerateArray(), e => e.GetProperty("key").GetString() == Key(movie));
        await SyncAsync();
        Assert.Equal(["keep-me", "marqueeish", "marquee:alice"], Labels(movie));

        var removed = JsonDocument.Parse(await _cli.OkAsync("labels", "remove-all", "--json")).RootElement;
        Assert.True(removed.GetProperty("edited").GetInt32() >= 1);
        Assert.Equal(["keep-me", "marqueeish"], Labels(movie));
        Assert.DoesNotContain(_plex.State.ItemsOfType(1, ItemType.Movie), m => m.Labels.Any(l => _plex.State.LabelName(l).StartsWith("marquee:", StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    public async Task PlexFailsDuringEdits_SyncReportsIt_RerunMakesExactlyTheMissingEdits(int status)
    {
        foreach (var movie in _movies.Take(6))
        {
            Watchlist("owner", movie, add: true);
        }

        _plex.Control.SetFault(EditEndpoint, status == 429 ? new FaultSpec { TooManyRequests = 1, RetryAfterSeconds = 0, Times = 2 } : new FaultSpec { Error500 = 1, Times = 2 });
        var failed = await _cli.RunAsync("labels", "sync", "--json");
        _plex.Control.ClearFaults();
        _plex.Control.ResetCounts();
        var rerun = await SyncAsync();

        Assert.Equal(1, failed.Code);
        var report = JsonDocument.Parse(failed.Output).RootElement;
        Assert.Equal(2, report.GetProperty("failed").GetArrayLength());
        Assert.All(report.GetProperty("failed").EnumerateArray(), f => Assert.Contains(status.ToString(CultureInfo.InvariantCulture), f.GetString()!, StringComparison.Ordinal));
        Assert.Equal(report.GetProperty("changes").GetInt32() - 2, report.GetProperty("edited").GetInt32());
        Assert.Equal(2, rerun.GetProperty("edited").GetInt32());
        Assert.Equal(2, _plex.Control.RequestCounts.GetValueOrDefault(EditEndpoint));
        Assert.All(_movies.Take(6), m => Assert.Contains("marquee:alice", Labels(m)));
    }

    [Fact]
    public async Task MalformedSeerrAnswer_StopsWithAClearError_AndRemovesNothing()
    {
        var movie = _movies[6];
        SetLabels(movie, "marquee:alice");
        await SeerrPutAsync("_sim/faults", new { endpoint = "GET /api/v1/request", spec = new { malformedJson = 1.0 } });

        var result = await _cli.RunAsync("labels", "sync");

        Assert.Equal(1, result.Code);
        Assert.Contains("nothing was removed", result.Error, StringComparison.Ordinal);
        Assert.Contains("Seerr", result.Error, StringComparison.Ordinal);
        Assert.Equal(["marquee:alice"], Labels(movie));
        Assert.Equal(0, _plex.Control.RequestCounts.GetValueOrDefault(EditEndpoint));
    }

    [Theory]
    [InlineData("--prefix", "")]
    [InlineData("--prefix", "my labels")]
    [InlineData("--prefix", "a:b")]
    [InlineData("--removed-mode", "forget")]
    [InlineData("--concurrency", "0")]
    [InlineData("--concurrency", "21")]
    [InlineData("--seerr", "nowhere")]
    [InlineData("--tag-instances", "requests")]
    [InlineData("--exclude-tags", "([")]
    [InlineData("--schedule", "every night")]
    [InlineData("--alias", "alice=alice@example.org")]
    [InlineData("--alias", "nothing")]
    public async Task Settings_BadValues_Exit2_AndChangeNothing(string flag, string value)
    {
        var before = await _cli.OkAsync("labels", "settings", "--json");

        var result = await _cli.RunAsync("labels", "settings", flag, value);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await _cli.OkAsync("labels", "settings", "--json"));
    }

    [Theory]
    [InlineData("--at|25:00", "at")]
    [InlineData("--at|3pm", "at")]
    [InlineData("--at|03:00|--days|mon,funday", "days")]
    [InlineData("--days|mon", "days")]
    [InlineData("--schedule|0 3 * * *|--at|03:00", "schedule")]
    public async Task Settings_BadTimeOrDay_Exit2_NamingTheField_AndChangeNothing(string args, string field)
    {
        var before = await _cli.OkAsync("labels", "settings", "--json");

        var result = await _cli.RunAsync(["labels", "settings", .. args.Split('|')]);

        Assert.Equal(2, result.Code);
        Assert.StartsWith($"error: {field}: '{field}'", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await _cli.OkAsync("labels", "settings", "--json"));
    }

    [Fact]
    public async Task Settings_AtAndDays_ReplaceTheCron_AndACronReplacesThem()
    {
        await _cli.OkAsync("labels", "settings", "--schedule", "0 4 * * *");

        var timed = JsonDocument.Parse(await _cli.OkAsync("labels", "settings", "--at", "03:30", "--days", "sat,sunday", "--json")).RootElement;
        var shown = await _cli.OkAsync("labels", "settings");
        var everyDay = JsonDocument.Parse(await _cli.OkAsync("labels", "settings", "--days", "all", "--json")).RootElement;
        var cron = JsonDocument.Parse(await _cli.OkAsync("labels", "settings", "--schedule", "0 5 * * *", "--json")).RootElement;

        Assert.Equal(JsonValueKind.Null, timed.GetProperty("schedule").ValueKind);
        Assert.Equal("03:30", timed.GetProperty("at").GetString());
        Assert.Equal(["sat", "sunday"], timed.GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("at 03:30 UTC, sat, sunday", shown, StringComparison.Ordinal);
        Assert.Matches(@"next run\s+\d{4}-\d{2}-\d{2} 03:30Z", shown);
        Assert.Equal("03:30", everyDay.GetProperty("at").GetString());
        Assert.Equal(0, everyDay.GetProperty("days").GetArrayLength());
        Assert.Equal("0 5 * * *", cron.GetProperty("schedule").GetString());
        Assert.Equal(JsonValueKind.Null, cron.GetProperty("at").ValueKind);
        Assert.Equal(0, cron.GetProperty("days").GetArrayLength());
    }

    private static int Tmdb(PlexItem item) =>
        int.Parse(item.ExternalGuids.First(g => g.StartsWith("tmdb://", StringComparison.Ordinal))[7..], CultureInfo.InvariantCulture);

    private static string Key(PlexItem item) => item.RatingKey.ToString(CultureInfo.InvariantCulture);

    private async Task<JsonElement> SyncAsync(params string[] extra) =>
        JsonDocument.Parse(await _cli.OkAsync(["labels", "sync", "--json", .. extra])).RootElement;

    private void SetLabels(PlexItem item, params string[] labels) =>
        _plex.State.EditLabels([item], labels, null, null, null);

    private List<string> Labels(PlexItem item) => [.. _plex.State.Item(item.RatingKey)!.Labels.Select(_plex.State.LabelName)];

    private void Watchlist(string account, PlexItem item, bool add) =>
        _plex.State.Watchlist(_plex.Control.Account(account), item.PrimaryGuid[(item.PrimaryGuid.LastIndexOf('/') + 1)..], add);

    private async Task TagAsync(PlexItem item, params string[] tags)
    {
        using var http = new HttpClient { BaseAddress = _radarr.ApplicationUri };
        http.DefaultRequestHeaders.Add("X-Api-Key", _radarr.ApiKey);
        var movies = JsonNode.Parse(await http.GetStringAsync(new Uri("api/v3/movie", UriKind.Relative)))!.AsArray();
        var id = (int)movies.First(m => (int?)m!["tmdbId"] == Tmdb(item))!["id"]!;
        foreach (var tag in tags)
        {
            using var created = await http.PostAsJsonAsync(new Uri("api/v3/tag", UriKind.Relative), new { label = tag });
            var tagId = (int)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
            using var edited = await http.PutAsJsonAsync(new Uri("api/v3/movie/editor", UriKind.Relative), new { movieIds = new[] { id }, tags = new[] { tagId }, applyTags = "add" });
            edited.EnsureSuccessStatusCode();
        }
    }

    private async Task<JsonNode> SeerrPostAsync(string path, object body)
    {
        using var http = new HttpClient { BaseAddress = _seerr.BaseUri };
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task SeerrPutAsync(string path, object body)
    {
        using var http = new HttpClient { BaseAddress = _seerr.BaseUri };
        using var response = await http.PutAsJsonAsync(new Uri(path, UriKind.Relative), body);
        response.EnsureSuccessStatusCode();
    }
}
