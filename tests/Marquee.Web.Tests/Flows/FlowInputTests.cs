using System.Net;
using System.Text.Json.Nodes;
using Marquee.Core.Connections;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Flows;

/// <summary>Issue 13, finding 5: input that gave 500 (nulls in lists, races on names and connections) gives a 4xx naming the field.</summary>
public sealed class FlowInputTests
{
    [Theory]
    [InlineData("""{"name":"ab","from":"a","to":"b","features":[null]}""", "features")]
    [InlineData("""{"name":"ab","from":"a","to":"b","features":["watched",null]}""", "features")]
    [InlineData("""{"name":"ab","from":"a","to":"b","features":[""]}""", "features")]
    [InlineData("""{"name":"ab","from":"a","to":"b","filters":{"libraries":[null]}}""", "filters.libraries")]
    [InlineData("""{"name":"ab","from":"a","to":"b","filters":{"profiles":["anna",null]}}""", "filters.profiles")]
    [InlineData("""{"name":"ab","from":"a","to":"b","filters":{"ignoreGuidPrefixes":[null]}}""", "filters.ignoreGuidPrefixes")]
    [InlineData("""{"name":"ab","from":"a","to":"b","filters":{"libraries":["  "]}}""", "filters.libraries")]
    [InlineData("""{"name":"ab","from":"a","to":"b","filters":{"editions":"cut"}}""", "filters.editions")]
    [InlineData("""{"name":"ab","from":"a","to":"b","filters":{"editions":null}}""", "filters.editions")]
    [InlineData("""{"name":"ab","from":"a","to":"b","filters":{"editions":""}}""", "filters.editions")]
    public async Task Finding5_NullEntriesInLists_Return400NamingTheField_AndStoreNothing(string body, string field)
    {
        await using var app = await StartWithConnectionsAsync();

        await app.AssertFieldErrorAsync(await app.PostRawAsync("/api/flows", body), field);

        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/flows"))).GetArrayLength());
    }

    [Fact]
    public async Task Finding5_NullEntriesInLists_OnUpdate_Return400AndKeepTheFlow()
    {
        await using var app = await StartWithConnectionsAsync();
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync("/api/flows", new { name = "ab", from = "a", to = "b" })).StatusCode);

        await app.AssertFieldErrorAsync(await app.PutRawAsync("/api/flows/ab", """{"features":[null]}"""), "features");
        await app.AssertFieldErrorAsync(await app.PutRawAsync("/api/flows/ab", """{"filters":{"libraries":[null]}}"""), "filters.libraries");

        var flow = await app.JsonAsync(await app.Client.GetAsync("/api/flows/ab"));
        Assert.Equal(["watched", "ratings", "progress"], flow.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(0, flow.GetProperty("filters").GetProperty("libraries").GetArrayLength());
    }

    [Fact]
    public async Task Finding5_ConcurrentRenamesToOneName_OneWinsTheOthersGet409()
    {
        await using var app = await StartWithConnectionsAsync();
        const int Flows = 8;
        var ids = new List<long>();
        for (var i = 0; i < Flows; i++)
        {
            var created = await app.PostJsonAsync("/api/flows", new { name = $"f{i}", from = "a", to = "b" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids.Add((await app.JsonAsync(created)).GetProperty("id").GetInt64());
        }

        for (var round = 0; round < 5; round++)
        {
            var target = $"same-{round}";
            using var start = new SemaphoreSlim(0);
            var renames = ids.Select(id => Task.Run(async () =>
            {
                await start.WaitAsync();
                return await app.PutRawAsync($"/api/flows/{id}", $$"""{"name":"{{target}}"}""");
            })).ToList();
            start.Release(Flows);
            var statuses = (await Task.WhenAll(renames)).Select(r => r.StatusCode).ToList();

            Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Conflict, $"round {round}: {string.Join(", ", statuses)}"));
            Assert.Single(statuses, s => s == HttpStatusCode.OK);
            var names = (await app.JsonAsync(await app.Client.GetAsync("/api/flows"))).EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
            Assert.Equal(Flows, names.Count);
            Assert.Single(names, n => n == target);
        }
    }

    [Fact]
    public async Task Finding5_FlowCreatedWhileItsConnectionIsDeleted_Gives409Or400_NeverAnOrphan()
    {
        await using var app = await MarqueeApp.StartAsync();
        await AddPlexAsync(app, "keep");
        for (var round = 0; round < 20; round++)
        {
            var name = $"gone-{round}";
            await AddPlexAsync(app, name);
            using var start = new SemaphoreSlim(0);
            var create = Task.Run(async () =>
            {
                await start.WaitAsync();
                return await app.PostJsonAsync("/api/flows", new { name = $"flow-{round}", from = "keep", to = name });
            });
            var delete = Task.Run(async () =>
            {
                await start.WaitAsync();
                return await app.Client.DeleteAsync($"/api/connections/{name}");
            });
            start.Release(2);
            var (created, deleted) = (await create, await delete);

            Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict or HttpStatusCode.BadRequest, $"create: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
            Assert.True(deleted.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Conflict, $"delete: {(int)deleted.StatusCode} {await deleted.Content.ReadAsStringAsync()}");

            // Exactly one of the two happened: a flow never points at a removed connection.
            Assert.NotEqual(created.StatusCode == HttpStatusCode.Created, deleted.StatusCode == HttpStatusCode.NoContent);
            var connection = await app.Client.GetAsync($"/api/connections/{name}");
            Assert.Equal(created.StatusCode == HttpStatusCode.Created ? HttpStatusCode.OK : HttpStatusCode.NotFound, connection.StatusCode);
        }
    }

    private static async Task<MarqueeApp> StartWithConnectionsAsync()
    {
        var app = await MarqueeApp.StartAsync();
        await AddPlexAsync(app, "a");
        await AddPlexAsync(app, "b");
        return app;
    }

    /// <summary>Stores a connection without the test an API create makes (these tests race on the store, not on servers).</summary>
    private static async Task AddPlexAsync(MarqueeApp app, string name)
    {
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<ConnectionService>().CreateAsync(name, "plex", new JsonObject { ["url"] = "http://127.0.0.1:9", ["token"] = "t" }, CancellationToken.None);
    }
}
