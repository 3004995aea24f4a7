using System.Net;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Flows;

public sealed class FlowApiTests
{
    private static async Task<MarqueeApp> StartWithConnectionsAsync()
    {
        var app = await MarqueeApp.StartAsync();
        await app.CreatePlexAsync("a");
        await app.CreatePlexAsync("b");
        return app;
    }

    [Fact]
    public async Task Create_WithDefaults_StoresSafeDefaults()
    {
        await using var app = await StartWithConnectionsAsync();

        var response = await app.PostJsonAsync("/api/flows", new { name = "ab", from = "a", to = "b" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var flow = await app.JsonAsync(response);
        Assert.Equal("a", flow.GetProperty("sourceConnection").GetString());
        Assert.Equal("b", flow.GetProperty("targetConnection").GetString());
        Assert.False(flow.GetProperty("twoWay").GetBoolean());
        Assert.Equal("mirror", flow.GetProperty("mode").GetString());
        Assert.Equal(["watched", "ratings", "progress"], flow.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(25, flow.GetProperty("guards").GetProperty("maxRemovals").GetInt32());
        Assert.Equal(10, flow.GetProperty("guards").GetProperty("maxRemovalPercent").GetDouble());
        Assert.Equal("local://", flow.GetProperty("filters").GetProperty("ignoreGuidPrefixes")[0].GetString());
        Assert.Equal("0 3 * * *", flow.GetProperty("schedule").GetString());
        Assert.Equal("15m", flow.GetProperty("incremental").GetString());
    }

    [Fact]
    public async Task Create_Full_RoundTripsEveryMember()
    {
        await using var app = await StartWithConnectionsAsync();

        var response = await app.PostRawAsync("/api/flows", """
            {"name":"ab","from":"a","to":"b","twoWay":true,"features":["history","ratings"],"mode":"add-only","schedule":"0 */6 * * *","incremental":"off",
             "filters":{"libraries":["Movies"],"profiles":["anna"],"ignoreGuidPrefixes":[],"requireExternalIds":false},
             "guards":{"maxRemovals":5,"maxRemovalPercent":2.5},"enabled":false}
            """);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var flow = await app.JsonAsync(await app.Client.GetAsync("/api/flows/ab"));
        Assert.True(flow.GetProperty("twoWay").GetBoolean());
        Assert.Equal(["watched", "ratings"], flow.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("add-only", flow.GetProperty("mode").GetString());
        Assert.Equal("0 */6 * * *", flow.GetProperty("schedule").GetString());
        Assert.Equal("off", flow.GetProperty("incremental").GetString());
        Assert.Equal("Movies", flow.GetProperty("filters").GetProperty("libraries")[0].GetString());
        Assert.False(flow.GetProperty("filters").GetProperty("requireExternalIds").GetBoolean());
        Assert.Equal(2.5, flow.GetProperty("guards").GetProperty("maxRemovalPercent").GetDouble());
        Assert.False(flow.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Update_ChangesOnlyGivenMembers()
    {
        await using var app = await StartWithConnectionsAsync();
        await app.PostJsonAsync("/api/flows", new { name = "ab", from = "a", to = "b", schedule = "@daily" });

        var updated = await app.JsonAsync(await app.PutRawAsync("/api/flows/ab", """{"twoWay":true}"""));

        Assert.True(updated.GetProperty("twoWay").GetBoolean());
        Assert.Equal("@daily", updated.GetProperty("schedule").GetString());
        Assert.Equal("a", updated.GetProperty("sourceConnection").GetString());
    }

    [Fact]
    public async Task Update_WithNoChange_KeepsUpdatedAt()
    {
        await using var app = await StartWithConnectionsAsync();
        var created = await app.JsonAsync(await app.PostJsonAsync("/api/flows", new { name = "ab", from = "a", to = "b" }));
        await Task.Delay(20);

        var same = await app.JsonAsync(await app.PutRawAsync("/api/flows/ab", """{"from":"a","mode":"mirror","features":["watched","ratings","progress"]}"""));

        Assert.Equal(created.GetProperty("updatedAt").GetString(), same.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task Create_WithWatchlist_Returns400SayingWhy_InsteadOfAFlowThatCarriesNothing()
    {
        await using var app = await StartWithConnectionsAsync();

        var response = await app.PostRawAsync("/api/flows", """{"name":"ab","from":"a","to":"b","features":["watched","watchlist"]}""");

        var message = await app.AssertFieldErrorAsync(response, "features");
        Assert.Contains("plex.tv account", message, StringComparison.Ordinal);
        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/flows"))).GetArrayLength());
    }

    [Fact]
    public async Task Create_WithWatchlist_ToAConnectionWithoutOne_Returns400NamingIt()
    {
        await using var app = await StartWithConnectionsAsync();
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync("/api/connections", new { name = "jf", kind = "jellyfin", settings = new { url = "http://127.0.0.1:9", apiKey = "0123456789abcdef0123456789abcdef" } })).StatusCode);

        var response = await app.PostRawAsync("/api/flows", """{"name":"ajf","from":"a","to":"jf","features":["watchlist"]}""");

        var message = await app.AssertFieldErrorAsync(response, "features");
        Assert.Contains("'jf' (jellyfin) keeps no watchlist", message, StringComparison.Ordinal);
        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/flows"))).GetArrayLength());
    }

    [Fact]
    public async Task Delete_Existing_Returns204()
    {
        await using var app = await StartWithConnectionsAsync();
        await app.PostJsonAsync("/api/flows", new { name = "ab", from = "a", to = "b" });

        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync("/api/flows/ab")).StatusCode);
        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/flows"))).GetArrayLength());
    }

    [Theory]
    [InlineData("""{"from":"a","to":"b"}""", "name")]
    [InlineData("""{"name":"ab","to":"b"}""", "from")]
    [InlineData("""{"name":"ab","from":"a"}""", "to")]
    [InlineData("""{"name":"ab","from":"a","to":"nowhere"}""", "to")]
    [InlineData("""{"name":"ab","from":"a","to":"a"}""", "to")]
    [InlineData("""{"name":"ab","from":"a","to":"b","twoWay":"yes"}""", "twoWay")]
    [InlineData("""{"name":"ab","from":"a","to":"b","features":"watched"}""", "features")]
    [InlineData("""{"name":"ab","from":"a","to":"b","features":["watched","teleport"]}""", "features")]
    [InlineData("""{"name":"ab","from":"a","to":"b","features":[]}""", "features")]
    [InlineData("""{"name":"ab","from":"a","to":"b","mode":"yolo"}""", "mode")]
    [InlineData("""{"name":"ab","from":"a","to":"b","schedule":"every day"}""", "schedule")]
    [InlineData("""{"name":"ab","from":"a","to":"b","schedule":"61 * * * *"}""", "schedule")]
    [InlineData("""{"name":"ab","from":"a","to":"b","schedule":""}""", "schedule")]
    [InlineData("""{"name":"ab","from":"a","to":"b","schedule":7}""", "schedule")]
    [InlineData("""{"name":"ab","from":"a","to":"b","incremental":"15x"}""", "incremental")]
    [InlineData("""{"name":"ab","from":"a","to":"b","incremental":"0m"}""", "incremental")]
    [InlineData("""{"name":"ab","from":"a","to":"b","incremental":"sometimes"}""", "incremental")]
    [InlineData("""{"name":"ab","from":"a","to":"b","incremental":" "}""", "incremental")]
    [InlineData("""{"name":"ab","from":"a","to":"b","incremental":["15m"]}""", "incremental")]
    [InlineData("""{"name":"ab","from":"a","to":"b","guards":{"maxRemovals":-1}}""", "guards.maxRemovals")]
    [InlineData("""{"name":"ab","from":"a","to":"b","guards":{"maxRemovalPercent":150}}""", "guards.maxRemovalPercent")]
    [InlineData("""{"name":"ab","from":"a","to":"b","guards":{"maxRemovals":"many"}}""", "guards.maxRemovals")]
    [InlineData("""{"name":"ab","from":"a","to":"b","filters":{"libraries":"Movies"}}""", "filters.libraries")]
    [InlineData("""{"name":"ab","from":"a","to":"b","filters":{"colour":1}}""", "colour")]
    [InlineData("""{"name":"ab","from":"a","to":"b","direction":"up"}""", "direction")]
    public async Task Create_BadInput_Returns400NamingTheField(string body, string field)
    {
        await using var app = await StartWithConnectionsAsync();

        await app.AssertFieldErrorAsync(await app.PostRawAsync("/api/flows", body), field);

        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/flows"))).GetArrayLength());
    }

    [Theory]
    [InlineData("GET", "/api/flows/99")]
    [InlineData("PUT", "/api/flows/ghost")]
    [InlineData("DELETE", "/api/flows/ghost")]
    public async Task UnknownId_Returns404(string method, string path)
    {
        await using var app = await StartWithConnectionsAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT")
        {
            request.Content = new StringContent("""{"twoWay":true}""", System.Text.Encoding.UTF8, "application/json");
        }

        var problem = await app.AssertProblemAsync(await app.Client.SendAsync(request), HttpStatusCode.NotFound);

        Assert.Contains(path.Split('/')[3], problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DuplicateName_Returns409()
    {
        await using var app = await StartWithConnectionsAsync();
        await app.PostJsonAsync("/api/flows", new { name = "ab", from = "a", to = "b" });

        await app.AssertProblemAsync(await app.PostJsonAsync("/api/flows", new { name = "AB", from = "b", to = "a" }), HttpStatusCode.Conflict);
    }
}
