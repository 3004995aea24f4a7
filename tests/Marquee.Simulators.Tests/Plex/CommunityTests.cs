using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Simulators.Plex;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>The community GraphQL endpoint (WATCHLISTS.md 2): friends, a friend's watchlist by cursor, privacy, bad queries.</summary>
public sealed class CommunityTests
{
    private const string WatchlistQuery =
        "query GetWatchlistHub($user: UserInput!, $first: PaginationInt!, $after: String) { userV2(user: $user) { ... on User { watchlist(first: $first, after: $after) { nodes { id guid type title year } pageInfo { hasNextPage endCursor } } } } }";

    [Fact]
    public async Task AllFriends_ListsFriendsWithUuidAndUsername()
    {
        await using var host = await SimHost.StartAsync(new PlexSimulatorOptions { Friends = 2 });
        var answer = await PostAsync(host, host.Owner.AccountToken, new { query = "query GetAllFriends { allFriendsV2 { user { id username displayName avatar } createdAt } }" });

        var friends = answer.GetProperty("data").GetProperty("allFriendsV2").EnumerateArray().Select(f => f.GetProperty("user")).ToList();
        Assert.Equal(["bob", "carol"], friends.Select(f => f.GetProperty("username").GetString()));
        Assert.Equal(host.Friend.Uuid, friends[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task FriendWatchlist_PagesByOpaqueCursor_NewestFirst_UpperCaseTypes()
    {
        await using var host = await SimHost.StartAsync();
        var items = host.Sim.State.ItemsOfType(1, Marquee.Simulators.Plex.Model.ItemType.Movie).Where(m => m.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)).DistinctBy(m => m.PrimaryGuid).Take(12).ToList();
        foreach (var item in items)
        {
            host.Sim.State.Watchlist(host.Friend, item.PrimaryGuid[(item.PrimaryGuid.LastIndexOf('/') + 1)..], add: true);
            host.Control.AdvanceClock(TimeSpan.FromSeconds(1));
        }

        var first = await WatchlistAsync(host, host.Friend.Uuid, 10, null);
        var cursor = first.GetProperty("pageInfo").GetProperty("endCursor").GetString();
        var second = await WatchlistAsync(host, host.Friend.Uuid, 10, cursor);

        Assert.Equal(10, first.GetProperty("nodes").GetArrayLength());
        Assert.True(first.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.Equal(2, second.GetProperty("nodes").GetArrayLength());
        Assert.False(second.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var node = first.GetProperty("nodes")[0];
        Assert.Equal(items[^1].PrimaryGuid, node.GetProperty("guid").GetString());
        Assert.Equal("MOVIE", node.GetProperty("type").GetString());
        Assert.False(node.TryGetProperty("Guid", out _));
    }

    [Theory]
    [InlineData("private", "User not found: User privacy prevents viewing")]
    [InlineData("unknown", "User not found: Data loader item not found: users uuid=0000000000000000")]
    public async Task RefusedLists_Answer200_WithDataNullAndAUserNotFoundError(string kind, string message)
    {
        await using var host = await SimHost.StartAsync();
        using var set = await host.Pms(null).PutAsJsonAsync(new Uri("/_sim/community/bob/privacy", UriKind.Relative), new { privacy = "private" });
        set.EnsureSuccessStatusCode();

        var answer = await PostAsync(host, host.Owner.AccountToken, Body(kind == "unknown" ? "0000000000000000" : host.Friend.Uuid, 100, null));

        Assert.Equal(JsonValueKind.Null, answer.GetProperty("data").ValueKind);
        Assert.Equal(message, answer.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{\"query\":\"query { somethingElse }\"}")]
    [InlineData("{\"query\":\"query { __schema { types { name } } }\"}")]
    [InlineData("not json")]
    public async Task UnknownQueriesIntrospectionAndBadBodies_Answer400WithErrors(string body)
    {
        await using var host = await SimHost.StartAsync();
        using var http = host.Client(host.Sim.CommunityUri, host.Owner.AccountToken, true);
        using var response = await http.PostAsync(new Uri("api", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetArrayLength() > 0);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(101)]
    public async Task FirstOutside10To100_Answers400(int first)
    {
        await using var host = await SimHost.StartAsync();
        using var http = host.Client(host.Sim.CommunityUri, host.Owner.AccountToken, true);
        using var response = await http.PostAsJsonAsync(new Uri("api", UriKind.Relative), Body(host.Friend.Uuid, first, null));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ControlEndpoint_AddsAndRemovesOnAFriendsWatchlist_TitlesNotInAnyLibraryToo()
    {
        await using var host = await SimHost.StartAsync();
        var pms = host.Pms(null);
        using var added = await pms.PostAsJsonAsync(new Uri("/_sim/community/bob/watchlist", UriKind.Relative), new { guid = "plex://movie/0123456789abcdef01234567", title = "Not Here Yet", year = 2026 });
        added.EnsureSuccessStatusCode();
        var node = (await WatchlistAsync(host, host.Friend.Uuid, 10, null)).GetProperty("nodes")[0];
        Assert.Equal("Not Here Yet", node.GetProperty("title").GetString());

        using var removed = await pms.PostAsJsonAsync(new Uri("/_sim/community/bob/watchlist", UriKind.Relative), new { guid = "plex://movie/0123456789abcdef01234567", add = false });
        removed.EnsureSuccessStatusCode();
        Assert.Equal(0, (await WatchlistAsync(host, host.Friend.Uuid, 10, null)).GetProperty("nodes").GetArrayLength());

        using var bad = await pms.PostAsJsonAsync(new Uri("/_sim/community/bob/watchlist", UriKind.Relative), new { guid = "tmdb://603" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static object Body(string uuid, int first, string? after) =>
        new { operationName = "GetWatchlistHub", query = WatchlistQuery, variables = new { user = new { id = uuid }, first, after } };

    private static async Task<JsonElement> WatchlistAsync(SimHost host, string uuid, int first, string? after) =>
        (await PostAsync(host, host.Owner.AccountToken, Body(uuid, first, after))).GetProperty("data").GetProperty("userV2").GetProperty("watchlist");

    private static async Task<JsonElement> PostAsync(SimHost host, string token, object body)
    {
        using var http = host.Client(host.Sim.CommunityUri, token, true);
        using var response = await http.PostAsJsonAsync(new Uri("api", UriKind.Relative), body);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
