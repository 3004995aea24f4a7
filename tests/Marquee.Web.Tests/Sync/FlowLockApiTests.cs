using System.Net;
using Marquee.Simulators.Plex;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;

namespace Marquee.Web.Tests.Sync;

/// <summary>One run per flow at a time through the API: a second run of a running flow is a 409 naming it, and writes nothing.</summary>
public sealed class FlowLockApiTests
{
    [Fact]
    public async Task TwoRunsOfOneFlowAtOnce_OneRuns_TheOtherIsA409()
    {
        var options = (int variant, string name) => new PlexSimulatorOptions { Seed = 7, Variant = variant, Movies = 30, Shows = 2, HomeUsers = 0, Friends = 0, ServerName = name };
        await using var left = await PlexSimulator.StartAsync(options(0, "plex-a"), CancellationToken.None);
        await using var right = await PlexSimulator.StartAsync(options(1, "plex-b"), CancellationToken.None);
        await using var plexTv = await PlexTvFederation.StartAsync([left, right], CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Plex:PlexTvUrl", plexTv.Uri.ToString())));
        await app.CreatePlexAsync("plex-a", token: left.Owner.AccountToken, url: left.BaseUri.ToString());
        await app.CreatePlexAsync("plex-b", token: right.Owner.AccountToken, url: right.BaseUri.ToString());
        var flow = await app.PostJsonAsync("/api/flows", new { name = "ab", from = "plex-a", to = "plex-b", features = new[] { "watched" } });
        Assert.True(flow.IsSuccessStatusCode, await flow.Content.ReadAsStringAsync());
        right.Control.SetLatency(400);

        // Act: the same flow twice at once.
        var first = app.PostJsonAsync("/api/sync", new { flows = new[] { "ab" } });
        await Task.Delay(300);
        var second = await app.PostJsonAsync("/api/sync", new { flows = new[] { "ab" } });

        // Assert: the second is refused while the first runs to its end; the journal holds one run.
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await app.JsonAsync(second);
        Assert.Contains("Flow 'ab' is already running", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var done = await first;
        Assert.True(done.IsSuccessStatusCode, await done.Content.ReadAsStringAsync());
        var runs = await app.JsonAsync(await app.Client.GetAsync("/api/runs"));
        Assert.Equal(1, runs.GetArrayLength());
    }
}
