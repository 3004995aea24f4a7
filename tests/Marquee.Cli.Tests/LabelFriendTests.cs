using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Cli.Tests;

/// <summary>
/// Friends' watchlists in label sync, end to end through real HTTP: the Plex simulator's community GraphQL endpoint holds
/// the friends' lists (changed through its control API), <c>marquee labels sync</c> reads them with the owner's token.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class LabelFriendTests : IAsyncLifetime
{
    private const string Community = "community:POST /api";
    private PlexSimulator _plex = null!;
    private CliRunner _cli = null!;
    private List<PlexItem> _movies = null!;

    public async Task InitializeAsync()
    {
        _plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 7, Movies = 12, Shows = 2, HomeUsers = 0, Friends = 2 }, CancellationToken.None);
        var all = _plex.State.ItemsOfType(1, ItemType.Movie);
        _movies = [.. all.Where(m => m.PrimaryGuid.StartsWith("plex://movie/", StringComparison.Ordinal) && all.Count(o => o.PrimaryGuid == m.PrimaryGuid) == 1)];
        _cli = new CliRunner(new Dictionary<string, string>
        {
            ["MARQUEE_PLEXTV_URL"] = _plex.PlexTvUri.ToString(),
            ["MARQUEE_DISCOVER_URL"] = _plex.DiscoverUri.ToString(),
            ["MARQUEE_COMMUNITY_URL"] = _plex.CommunityUri.ToString(),
        });
        await _cli.OkAsync("connection", "add", "plex", "--name", "home", "--url", _plex.BaseUri.ToString(), "--token", _plex.Owner.AccountToken);
        foreach (var (profile, account) in new[] { ("alice", "owner"), ("bob", "bob"), ("carol", "carol") })
        {
            await _cli.OkAsync("profile", "add", profile);
            await _cli.OkAsync("profile", "link", profile, "--connection", "home", "--account", account);
        }

        await _cli.OkAsync("labels", "settings", "--watchlists", "true");
    }

    public async Task DisposeAsync()
    {
        _cli.Dispose();
        await _plex.DisposeAsync();
    }

    [Fact]
    public async Task FriendAddsMovieToWatchlist_AfterSync_ItCarriesTheFriendsLabel_AndLeavesWhenRemoved()
    {
        var (dune, heat) = (_movies[0], _movies[1]);
        await FriendWatchlistAsync("bob", dune, add: true);
        await FriendWatchlistAsync("bob", heat, add: true);
        _plex.Control.ResetCounts();

        var first = await SyncAsync();

        Assert.Equal(["marquee:bob"], Labels(dune));
        Assert.Equal(["marquee:bob"], Labels(heat));
        Assert.DoesNotContain(first.GetProperty("sourceFailures").EnumerateArray(), f => f.GetProperty("source").GetString()!.Contains("bob", StringComparison.Ordinal));
        Assert.Equal(1, _plex.Control.RequestCounts.GetValueOrDefault("plextv:GET /api/users"));
        Assert.DoesNotContain(_plex.Control.RequestCounts.Keys, k => k.StartsWith("GET /library/metadata", StringComparison.Ordinal));

        await FriendWatchlistAsync("bob", heat, add: false);
        await SyncAsync();
        Assert.Equal(["marquee:bob"], Labels(dune));
        Assert.Empty(Labels(heat));
    }

    [Theory]
    [InlineData("private", "private")]
    [InlineData("hidden", "empty")]
    public async Task FriendWhoseWatchlistIsPrivate_IsReported_AndKeepsTheirLabels(string privacy, string reason)
    {
        var movie = _movies[2];
        SetLabels(movie, "marquee:carol", "kids");
        await FriendWatchlistAsync("carol", _movies[3], add: true);
        await PutAsync("_sim/community/carol/privacy", new { privacy });

        var report = await SyncAsync();

        var failure = Assert.Single(report.GetProperty("sourceFailures").EnumerateArray(), f => f.GetProperty("source").GetString()!.Contains("carol", StringComparison.Ordinal));
        Assert.Contains(reason, failure.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Equal(["marquee:carol", "kids"], Labels(movie));
        Assert.Empty(Labels(_movies[3]));
    }

    [Theory]
    [InlineData("malformedJson", "not GraphQL JSON")]
    [InlineData("error500", "500")]
    [InlineData("tooManyRequests", "429")]
    public async Task CommunityAnswersMalformedOrFails_FriendIsReportedClearly_AndNothingIsRemoved(string fault, string reason)
    {
        var movie = _movies[4];
        SetLabels(movie, "marquee:bob");
        await FriendWatchlistAsync("bob", _movies[5], add: true);
        _plex.Control.SetFault(Community, JsonSerializer.Deserialize<FaultSpec>($"{{\"{fault}\":1,\"retryAfterSeconds\":0}}", JsonSerializerOptions.Web)!);
        _plex.Control.ResetCounts();

        var result = await _cli.RunAsync("labels", "sync", "--json");

        Assert.Equal(0, result.Code);
        var report = JsonDocument.Parse(result.Output).RootElement;
        var failure = Assert.Single(report.GetProperty("sourceFailures").EnumerateArray(), f => f.GetProperty("source").GetString()!.Contains("bob", StringComparison.Ordinal));
        Assert.Contains(reason, failure.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        Assert.Equal(["marquee:bob"], Labels(movie));
        Assert.Empty(Labels(_movies[5]));
        Assert.Equal(0, _plex.Control.RequestCounts.GetValueOrDefault("PUT /library/sections/{id}/all"));
    }

    [Fact]
    public async Task FriendWantsAMovieNotInPlexYet_ItIsPending_ThenLabelledWhenPlexAddsIt()
    {
        const string Guid = "plex://movie/0123456789abcdef01234567";
        using (var http = new HttpClient { BaseAddress = _plex.BaseUri })
        {
            using var response = await http.PostAsJsonAsync(new Uri("_sim/community/bob/watchlist", UriKind.Relative), new { guid = Guid, title = "Not Here Yet", year = 2026 });
            response.EnsureSuccessStatusCode();
        }

        var first = await SyncAsync();
        var pending = JsonDocument.Parse(await _cli.OkAsync("labels", "pending", "--json")).RootElement;
        var text = await _cli.OkAsync("labels", "pending");
        var added = _plex.Control.AddMovie(1, "Not Here Yet", 2026, Guid);
        var second = await SyncAsync();

        Assert.Equal(1, first.GetProperty("pending").GetInt32());
        var entry = Assert.Single(pending.EnumerateArray());
        Assert.Equal(("want", "bob", "Not Here Yet"), (entry.GetProperty("kind").GetString(), entry.GetProperty("name").GetString(), entry.GetProperty("title").GetString()));
        Assert.Contains("want bob: Not Here Yet movie [plex://movie/0123456789abcdef01234567]", text, StringComparison.Ordinal);
        Assert.Equal(["marquee:bob"], Labels(added));
        Assert.Equal((0, 1), (second.GetProperty("pending").GetInt32(), second.GetProperty("pendingResolved").GetInt32()));
        Assert.Equal("[]", (await _cli.OkAsync("labels", "pending", "--json")).Trim());
    }

    [Fact]
    public async Task PendingOfAFriendWhoseListFails_IsKept()
    {
        using (var http = new HttpClient { BaseAddress = _plex.BaseUri })
        {
            using var response = await http.PostAsJsonAsync(new Uri("_sim/community/bob/watchlist", UriKind.Relative), new { guid = "plex://movie/0123456789abcdef0123aaaa", title = "Later" });
            response.EnsureSuccessStatusCode();
        }

        await SyncAsync();
        await PutAsync("_sim/community/bob/privacy", new { privacy = "private" });
        var second = await SyncAsync();

        Assert.Equal(1, second.GetProperty("pending").GetInt32());
        Assert.Contains("Later", await _cli.OkAsync("labels", "pending"), StringComparison.Ordinal);
    }

    private async Task<JsonElement> SyncAsync() =>
        JsonDocument.Parse(await _cli.OkAsync("labels", "sync", "--json")).RootElement;

    private void SetLabels(PlexItem item, params string[] labels) =>
        _plex.State.EditLabels([item], labels, null, null, null);

    private List<string> Labels(PlexItem item) => [.. _plex.State.Item(item.RatingKey)!.Labels.Select(_plex.State.LabelName)];

    private async Task FriendWatchlistAsync(string friend, PlexItem item, bool add)
    {
        using var http = new HttpClient { BaseAddress = _plex.BaseUri };
        using var response = await http.PostAsJsonAsync(new Uri($"_sim/community/{friend}/watchlist", UriKind.Relative), new { guid = item.PrimaryGuid, add });
        response.EnsureSuccessStatusCode();
    }

    private async Task PutAsync(string path, object body)
    {
        using var http = new HttpClient { BaseAddress = _plex.BaseUri };
        using var response = await http.PutAsJsonAsync(new Uri(path, UriKind.Relative), body);
        response.EnsureSuccessStatusCode();
    }
}
