using Marquee.Core.Connections;
using Marquee.Core.Profiles;
using Marquee.Core.Sync;
using Marquee.Simulators.Plex;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Profiles;

/// <summary>
/// A link kept under a typed name because the accounts could not be listed (marquee.yaml applied while a server was
/// down): a run leaves that profile out and names it, done with warnings, not done; linking again resolves it.
/// </summary>
public sealed class SkippedProfileTests
{
    [Fact]
    [Trait("Category", "Scenario")]
    public async Task AProfileWithAPendingLink_IsNamed_AndTheRunIsDoneWithWarnings_UntilLinkingAgainResolvesIt()
    {
        var options = (int variant, string name) => new PlexSimulatorOptions { Seed = 7, Variant = variant, Movies = 10, Shows = 1, HomeUsers = 1, Friends = 1, ServerName = name };
        await using var left = await PlexSimulator.StartAsync(options(0, "plex-a"), CancellationToken.None);
        await using var right = await PlexSimulator.StartAsync(options(1, "plex-b"), CancellationToken.None);
        await using var plexTv = await PlexTvFederation.StartAsync([left, right], CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:Plex:PlexTvUrl"] = plexTv.Uri.ToString(), ["Marquee:Scheduler:Enabled"] = "false" });
        await app.CreatePlexAsync("plex-a", token: left.Owner.AccountToken, url: left.BaseUri.ToString());
        await app.CreatePlexAsync("plex-b", token: right.Owner.AccountToken, url: right.BaseUri.ToString());
        Assert.True((await app.PostJsonAsync("/api/profiles", new { name = "robert" })).IsSuccessStatusCode);

        // The friend's name typed while the accounts could not be listed: kept under that name, kind unknown.
        var friend = left.Accounts.First(a => a.Kind == SimAccountKind.Friend).Name;
        await PendingLinkAsync(app, "robert", "plex-a", friend);
        await PendingLinkAsync(app, "robert", "plex-b", friend);
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
        Assert.Contains($"account '{friend}' of plex-a", message, StringComparison.Ordinal);

        // Linking again, with the servers reachable, finds the real accounts; the next run syncs robert.
        Assert.True((await app.PostJsonAsync("/api/profiles/robert/accounts", new { connection = "plex-a", account = friend })).IsSuccessStatusCode);
        Assert.True((await app.PostJsonAsync("/api/profiles/robert/accounts", new { connection = "plex-b", account = friend })).IsSuccessStatusCode);
        var profile = await app.JsonAsync(await app.Client.GetAsync("/api/profiles/robert"));
        Assert.All(profile.GetProperty("accounts").EnumerateArray(), a => Assert.Equal("friend", a.GetProperty("accountKind").GetString()));
        var again = await app.PostJsonAsync("/api/sync", new { flows = new[] { "ab" } });
        Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
        var latest = (await app.JsonAsync(await app.Client.GetAsync("/api/runs")))[0];
        Assert.Equal(RunStatus.Done, latest.GetProperty("status").GetString());
        Assert.DoesNotContain("robert", latest.GetProperty("message").GetString() ?? string.Empty, StringComparison.Ordinal);
    }

    /// <summary>What a link made while the connection's accounts could not be listed leaves in the store.</summary>
    private static async Task PendingLinkAsync(MarqueeApp app, string profile, string connection, string account)
    {
        using var scope = app.Services.CreateScope();
        var connections = scope.ServiceProvider.GetRequiredService<IConnectionStore>();
        var profiles = scope.ServiceProvider.GetRequiredService<IProfileStore>();
        var connectionId = (await connections.FindByNameAsync(connection, CancellationToken.None))!.Id;
        var placeholder = await connections.UpsertAccountAsync(connectionId, account, account, Account.KindUnknown, null, CancellationToken.None);
        var profileId = (await profiles.FindByNameAsync(profile, CancellationToken.None))!.Id;
        await profiles.LinkAsync(profileId, placeholder.Id, ProfileService.OriginManual, CancellationToken.None);
    }
}
