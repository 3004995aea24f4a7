using Marquee.Core.Sync;
using Marquee.Simulators.Plex;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Profiles;

/// <summary>A profile a run leaves out is named in the run's message, and the run is done with warnings, not done.</summary>
public sealed class SkippedProfileTests
{
    [Fact]
    [Trait("Category", "Scenario")]
    public async Task FriendLinkedBeforeTheAccountsWereListed_IsNamed_AndTheRunIsDoneWithWarnings()
    {
        var options = (int variant, string name) => new PlexSimulatorOptions { Seed = 7, Variant = variant, Movies = 10, Shows = 1, HomeUsers = 1, Friends = 1, ServerName = name };
        await using var left = await PlexSimulator.StartAsync(options(0, "plex-a"), CancellationToken.None);
        await using var right = await PlexSimulator.StartAsync(options(1, "plex-b"), CancellationToken.None);
        await using var plexTv = await PlexTvFederation.StartAsync([left, right], CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:Plex:PlexTvUrl"] = plexTv.Uri.ToString(), ["Marquee:Scheduler:Enabled"] = "false" });
        await app.CreatePlexAsync("plex-a", token: left.Owner.AccountToken, url: left.BaseUri.ToString());
        await app.CreatePlexAsync("plex-b", token: right.Owner.AccountToken, url: right.BaseUri.ToString());
        Assert.True((await app.PostJsonAsync("/api/profiles", new { name = "robert" })).IsSuccessStatusCode);

        // An account id the connection does not have (a name typed before the accounts were listed) on both sides.
        Assert.True((await app.PostJsonAsync("/api/profiles/robert/accounts", new { connection = "plex-a", account = "bobby" })).IsSuccessStatusCode);
        Assert.True((await app.PostJsonAsync("/api/profiles/robert/accounts", new { connection = "plex-b", account = "bobby" })).IsSuccessStatusCode);
        Assert.True((await app.PostJsonAsync("/api/flows", new { name = "ab", from = "plex-a", to = "plex-b" })).IsSuccessStatusCode);

        // Act
        var response = await app.PostJsonAsync("/api/sync", new { flows = new[] { "ab" } });

        // Assert: the API's run says done with warnings and names the profile; the journal keeps the same.
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var runs = await app.JsonAsync(await app.Client.GetAsync("/api/runs"));
        var run = runs[0];
        Assert.Equal(RunStatus.DoneWithWarnings, run.GetProperty("status").GetString());
        var message = run.GetProperty("message").GetString()!;
        Assert.Contains("profile robert skipped", message, StringComparison.Ordinal);
        Assert.Contains("account 'bobby' of plex-a", message, StringComparison.Ordinal);
    }
}
