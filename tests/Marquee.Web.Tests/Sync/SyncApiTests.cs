using System.Net;
using Marquee.Core.Sync;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Sync;

public sealed class SyncApiTests
{
    [Fact]
    public async Task Runs_Empty_ReturnsAnEmptyList()
    {
        await using var app = await MarqueeApp.StartAsync();

        var response = await app.Client.GetAsync("/api/runs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await app.JsonAsync(response)).GetArrayLength());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    public async Task Runs_BadLimit_NamesTheField(string limit)
    {
        await using var app = await MarqueeApp.StartAsync();

        await app.AssertFieldErrorAsync(await app.Client.GetAsync($"/api/runs?limit={limit}"), "limit");
    }

    [Fact]
    public async Task Run_Unknown_Is404()
    {
        await using var app = await MarqueeApp.StartAsync();

        await app.AssertProblemAsync(await app.Client.GetAsync("/api/runs/42"), HttpStatusCode.NotFound);
        await app.AssertProblemAsync(await app.Client.PostAsync("/api/runs/42/undo", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Undo_Twice_IsA409Problem_NamingTheEarlierUndo()
    {
        await using var app = await MarqueeApp.StartAsync();
        var store = app.Services.GetRequiredService<IRunStore>();
        var now = DateTimeOffset.UtcNow;
        var runId = await store.StartAsync(null, "main", "test", null, now, CancellationToken.None);
        await store.FinishAsync(new SyncRun(runId, null, "main", "test", RunStatus.Done, now, now, 0, 0, 0, 0, 0, new Dictionary<string, long>(), null), CancellationToken.None);

        var first = await app.Client.PostAsync($"/api/runs/{runId}/undo", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var undoId = (await app.JsonAsync(first)).GetProperty("id").GetInt64();
        var second = await app.Client.PostAsync($"/api/runs/{runId}/undo", null);

        var problem = await app.AssertProblemAsync(second, HttpStatusCode.Conflict);
        Assert.Contains($"already undone by run {undoId}", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Single(await store.ListAsync(10, CancellationToken.None), r => r.Trigger == "undo");
    }

    [Fact]
    public async Task Sync_BadWindow_NamesSince()
    {
        await using var app = await MarqueeApp.StartAsync();

        var message = await app.AssertFieldErrorAsync(await app.PostJsonAsync("/api/sync", new { since = "soon" }), "since");

        Assert.Contains("12h", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_UnknownFlow_NamesFlows()
    {
        await using var app = await MarqueeApp.StartAsync();

        await app.AssertFieldErrorAsync(await app.PostJsonAsync("/api/sync", new { flows = new[] { "nope" } }), "flows");
    }

    [Fact]
    public async Task Sync_MalformedBody_IsAProblem()
    {
        await using var app = await MarqueeApp.StartAsync();

        var response = await app.PostRawAsync("/api/sync", "{\"dryRun\": \"maybe\"");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Sync_NoFlows_ReturnsNoRuns()
    {
        await using var app = await MarqueeApp.StartAsync();

        var response = await app.PostJsonAsync("/api/sync", new { dryRun = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await app.JsonAsync(response)).GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public async Task History_UnknownProfile_Is404_AndBadInputNamesTheField()
    {
        await using var app = await MarqueeApp.StartAsync();
        await app.PostJsonAsync("/api/profiles", new { name = "anna" });

        await app.AssertProblemAsync(await app.Client.GetAsync("/api/profiles/nobody/history"), HttpStatusCode.NotFound);
        await app.AssertFieldErrorAsync(await app.Client.GetAsync("/api/profiles/anna/history?limit=0"), "limit");
        await app.AssertFieldErrorAsync(await app.Client.DeleteAsync("/api/profiles/anna/history?scope=everything"), "scope");
        var history = await app.Client.GetAsync("/api/profiles/anna/history");
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        var deleted = await app.Client.DeleteAsync("/api/profiles/anna/history");
        Assert.Equal(0, (await app.JsonAsync(deleted)).GetProperty("deleted").GetInt32());
    }

    [Fact]
    public async Task Unresolved_Empty_ReturnsAnEmptyList()
    {
        await using var app = await MarqueeApp.StartAsync();

        var response = await app.Client.GetAsync("/api/unresolved");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await app.JsonAsync(response)).GetArrayLength());
    }

    [Fact]
    public async Task OpenApi_DescribesTheSyncEndpoints()
    {
        await using var app = await MarqueeApp.StartAsync();

        var spec = await app.Client.GetStringAsync("/openapi/v1.json");

        foreach (var path in new[] { "/api/runs", "/api/runs/{id}", "/api/runs/{id}/undo", "/api/sync", "/api/profiles/{profile}/history", "/api/unresolved" })
        {
            Assert.Contains($"\"{path}\"", spec, StringComparison.Ordinal);
        }
    }
}
