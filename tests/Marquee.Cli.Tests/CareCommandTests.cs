using System.Text.Json;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Cli.Tests;

/// <summary><c>marquee sessions</c> and <c>marquee trash</c> against the Plex simulator, with the rules and trash settings in marquee.yaml.</summary>
[Trait("Category", "Scenario")]
public sealed class CareCommandTests : IAsyncLifetime
{
    private PlexSimulator _sim = null!;
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        _sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 20, Shows = 2, HomeUsers = 0, Friends = 2 }, CancellationToken.None);
        _cli = new CliRunner(new Dictionary<string, string> { ["MARQUEE_PLEXTV_URL"] = _sim.PlexTvUri.ToString(), ["PLEX_TOKEN"] = _sim.Owner.AccountToken });
        Directory.CreateDirectory(_cli.DataFolder);
        await WriteConfigAsync("maxItems: 2");
    }

    public async Task DisposeAsync()
    {
        _cli.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task Sessions_ShowsMatchingRules_AndEvaluateStopsWithTheMessage()
    {
        _sim.Control.StartSession(new SessionSpec("bob", _sim.State.ItemsOfType(3, ItemType.Movie)[0].RatingKey, ClientId: "bob-tv", VideoDecision: "transcode"));
        _sim.Control.StartSession(new SessionSpec("carol", _sim.State.ItemsOfType(1, ItemType.Movie)[0].RatingKey, ClientId: "carol-tv"));

        var shown = JsonDocument.Parse(await _cli.OkAsync("sessions", "--json")).RootElement;
        var table = await _cli.OkAsync("sessions");
        Assert.Empty(_sim.Control.Terminations);
        var evaluated = JsonDocument.Parse(await _cli.OkAsync("sessions", "--evaluate", "--json")).RootElement;

        var bob = shown.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("user").GetString() == "bob");
        Assert.Equal(["no-4k-transcode"], bob.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("no-4k-transcode", table, StringComparison.Ordinal);
        Assert.Equal("no-4k-transcode", evaluated.GetProperty("actions")[0].GetProperty("rule").GetString());
        var stopped = Assert.Single(_sim.Control.Terminations);
        Assert.Equal(("bob-tv", "No 4K transcoding here"), (stopped.ClientIdentifier, stopped.Reason));
    }

    [Fact]
    public async Task Trash_CountsDryRunsRefusesAboveTheMaxAndEmpties()
    {
        var movies = _sim.State.ItemsOfType(1, ItemType.Movie);
        foreach (var movie in movies.Take(3))
        {
            _sim.Control.MarkUnavailable(movie.RatingKey);
        }

        var counts = await _cli.OkAsync("trash");
        var refused = await _cli.RunAsync("trash", "Movies", "--empty");
        var dry = await _cli.OkAsync("trash", "Movies", "--empty", "--dry-run", "--max", "5");
        Assert.Equal(3, JsonDocument.Parse(await _cli.OkAsync("trash", "Movies", "--json")).RootElement[0].GetProperty("count").GetInt32());
        var emptied = await _cli.OkAsync("trash", "Movies", "--empty", "--max", "5");

        Assert.Matches(@"Movies\s+1\s+3\s+2\s+0 3 \* \* \*", counts);
        Assert.Equal(1, refused.Code);
        Assert.Contains("holds 3 items, more than the maximum of 2", refused.Output, StringComparison.Ordinal);
        Assert.Contains("Would delete 3 items", dry, StringComparison.Ordinal);
        Assert.Contains("Deleted 3 items", emptied, StringComparison.Ordinal);
        Assert.Equal(1, _sim.Control.RequestCounts.GetValueOrDefault("PUT /library/sections/{id}/emptyTrash"));
        Assert.All(movies.Take(3), m => Assert.Null(_sim.State.Item(m.RatingKey)));
    }

    [Theory]
    [InlineData("trash", "--empty")]
    [InlineData("trash", "Movies", "--empty", "--max", "-1")]
    [InlineData("trash", "Movies", "--dry-run")]
    [InlineData("trash", "Movies", "--empty", "--max", "many")]
    public async Task Trash_BadFlags_ExitWith2(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.Code);
        Assert.Equal(0, _sim.Control.RequestCounts.GetValueOrDefault("PUT /library/sections/{id}/emptyTrash"));
    }

    [Fact]
    public async Task Trash_UnknownLibrary_Exits2NamingIt()
    {
        var result = await _cli.RunAsync("trash", "Nope", "--empty");

        Assert.Equal(2, result.Code);
        Assert.Contains("library", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CareTrash_SetListRemove_ALibrarysScheduledEmptying()
    {
        var set = await _cli.OkAsync("care", "trash", "set", "TV Shows", "--frequency", "daily", "--at", "04:30", "--max", "10", "--dry-run");
        var listed = JsonDocument.Parse(await _cli.OkAsync("care", "trash", "list", "--json")).RootElement;
        var table = await _cli.OkAsync("care", "trash", "list");
        var removed = await _cli.OkAsync("care", "trash", "remove", "TV Shows");
        var after = JsonDocument.Parse(await _cli.OkAsync("care", "trash", "list", "--json")).RootElement;

        Assert.Contains("Trash of TV Shows is emptied daily 04:30, never above 10 items (dry run).", set, StringComparison.Ordinal);
        var shows = Assert.Single(listed.EnumerateArray(), t => t.GetProperty("library").GetString() == "TV Shows");
        Assert.Equal(10, shows.GetProperty("maxItems").GetInt32());
        Assert.True(shows.GetProperty("dryRun").GetBoolean());
        Assert.Matches(@"TV Shows\s+\(the only one\)\s+daily 04:30\s+10\s+yes\s+yes", table);
        Assert.Contains("no longer emptied", removed, StringComparison.Ordinal);
        Assert.DoesNotContain(after.EnumerateArray(), t => t.GetProperty("library").GetString() == "TV Shows");
        Assert.Contains(after.EnumerateArray(), t => t.GetProperty("library").GetString() == "Movies");
        Assert.Equal(0, _sim.Control.RequestCounts.GetValueOrDefault("PUT /library/sections/{id}/emptyTrash"));
    }

    [Theory]
    [InlineData("schedule", "TV Shows", "--schedule", "every night")]
    [InlineData("maxItems", "TV Shows", "--frequency", "daily", "--at", "04:30", "--max", "-1")]
    [InlineData("frequency", "TV Shows", "--frequency", "fortnightly", "--at", "04:30")]
    [InlineData("at", "TV Shows", "--frequency", "daily", "--at", "25:99")]
    [InlineData("library", "Nope", "--frequency", "daily", "--at", "04:30")]
    public async Task CareTrashSet_ABadValue_ExitsWith2NamingTheField_AndStoresNothing(string field, params string[] args)
    {
        var result = await _cli.RunAsync(["care", "trash", "set", .. args]);
        var listed = JsonDocument.Parse(await _cli.OkAsync("care", "trash", "list", "--json")).RootElement;

        Assert.Equal(2, result.Code);
        Assert.Contains(field, result.Error, StringComparison.Ordinal);
        Assert.Equal(["Movies"], listed.EnumerateArray().Select(t => t.GetProperty("library").GetString()));
    }

    [Fact]
    public async Task CareTrashRemove_AnUnknownLibrary_FailsNamingIt()
    {
        var result = await _cli.RunAsync("care", "trash", "remove", "Nope");

        Assert.Equal(1, result.Code);
        Assert.Contains("Nope", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidCronInMarqueeYaml_IsAnErrorNamingTheField()
    {
        await WriteConfigAsync("maxItems: 2", schedule: "every night");

        var result = await _cli.RunAsync("trash");

        Assert.NotEqual(0, result.Code);
        Assert.Contains("schedule", result.Error, StringComparison.Ordinal);
        Assert.Contains("marquee.yaml", result.Error, StringComparison.Ordinal);
    }

    private Task WriteConfigAsync(string max, string schedule = "0 3 * * *") =>
        File.WriteAllTextAsync(Path.Combine(_cli.DataFolder, "marquee.yaml"), $"""
            connections:
              - name: home
                kind: plex
                url: {_sim.BaseUri}
                token: ${"{"}PLEX_TOKEN{"}"}
            care:
              rules:
                - name: no-4k-transcode
                  action: stop
                  message: No 4K transcoding here
                  transcode: video
                  minResolution: 4k
                  exemptUsers: [owner]
              trash:
                - library: Movies
                  schedule: "{schedule}"
                  {max}
            """);
}
