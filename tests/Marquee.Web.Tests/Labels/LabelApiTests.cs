using System.Net;
using System.Net.Http.Json;
using Marquee.Core.Labels;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Care;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Labels;

/// <summary><c>/api/labels</c>: settings with malformed input, a sync with progress, and the cron schedule.</summary>
public sealed class LabelApiTests
{
    public static TheoryData<string, string> BadSettings => new()
    {
        { """{"prefix":""}""", "prefix" },
        { """{"prefix":"my labels"}""", "prefix" },
        { """{"prefix":"a:b"}""", "prefix" },
        { """{"removedLabel":"gone away"}""", "removedLabel" },
        { """{"removedMode":"forget"}""", "removedMode" },
        { """{"concurrency":0}""", "concurrency" },
        { """{"concurrency":21}""", "concurrency" },
        { """{"seerr":["nowhere"]}""", "seerr" },
        { """{"tagInstances":["home"]}""", "tagInstances" },
        { """{"plex":"nowhere"}""", "plex" },
        { """{"excludeTags":"(["}""", "excludeTags" },
        { """{"schedule":"every night"}""", "schedule" },
        { """{"aliases":{"alice":"alice@example.org"}}""", "aliases" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task BadSettings_Are400NamingTheField_AndNothingIsStored(string body, string field)
    {
        await using var kit = await CareKit.StartAsync();

        using var response = await kit.App.PutRawAsync("/api/labels/settings", body);

        await kit.App.AssertFieldErrorAsync(response, field);
        var stored = await kit.App.JsonAsync(await kit.App.Client.GetAsync(new Uri("/api/labels/settings", UriKind.Relative)));
        Assert.Equal("marquee", stored.GetProperty("prefix").GetString());
        Assert.Equal(5, stored.GetProperty("concurrency").GetInt32());
    }

    [Fact]
    public async Task NotJson_Is415()
    {
        await using var kit = await CareKit.StartAsync();

        using var response = await kit.App.PutRawAsync("/api/labels/settings", "prefix=x", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Sync_OverTheApi_LabelsTheOwnersWatchlist_StatusShowsNofN_AndTheScheduleRunsIt()
    {
        await using var kit = await CareKit.StartAsync(settings: new Dictionary<string, string?> { ["Marquee:Labels:Enabled"] = "false" }, discover: true);
        var movies = kit.Sim.State.ItemsOfType(1, ItemType.Movie);
        using (var profile = await kit.App.PostJsonAsync("/api/profiles", new { name = "alice" }))
        {
            Assert.True(profile.IsSuccessStatusCode, await profile.Content.ReadAsStringAsync());
        }

        using (var link = await kit.App.PostJsonAsync("/api/profiles/alice/accounts", new { connection = "home", account = "owner" }))
        {
            Assert.True(link.IsSuccessStatusCode, await link.Content.ReadAsStringAsync());
        }

        Watchlist(kit.Sim, movies[0]);
        using (var put = await kit.App.Client.PutAsJsonAsync("/api/labels/settings", new { prefix = "wants", concurrency = 2, schedule = "0 3 * * *" }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        using var synced = await kit.App.Client.PostAsync(new Uri("/api/labels/sync", UriKind.Relative), null);
        var report = await kit.App.JsonAsync(synced);
        var status = await kit.App.JsonAsync(await kit.App.Client.GetAsync(new Uri("/api/labels/status", UriKind.Relative)));

        Assert.Contains("wants:alice", Labels(kit.Sim, movies[0]));
        var changes = report.GetProperty("changes").GetInt32();
        Assert.True(changes >= 1);
        Assert.Equal("done", status.GetProperty("phase").GetString());
        Assert.Equal(changes, status.GetProperty("total").GetInt32());
        Assert.Equal(changes, status.GetProperty("done").GetInt32());

        // The schedule: first seen it is due at its next time; before then nothing runs, at it the sync runs.
        Watchlist(kit.Sim, movies[1]);
        var scheduler = kit.App.Services.GetRequiredService<LabelScheduler>();
        var night = new DateTimeOffset(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);
        Assert.False(await scheduler.RunIfDueAsync(night, CancellationToken.None));
        Assert.False(await scheduler.RunIfDueAsync(night.AddHours(1).AddMinutes(59), CancellationToken.None));
        Assert.DoesNotContain("wants:alice", Labels(kit.Sim, movies[1]));
        Assert.True(await scheduler.RunIfDueAsync(night.AddHours(2), CancellationToken.None));
        Assert.Contains("wants:alice", Labels(kit.Sim, movies[1]));
    }

    private static void Watchlist(PlexSimulator sim, PlexItem item) =>
        sim.State.Watchlist(sim.Owner, item.PrimaryGuid[(item.PrimaryGuid.LastIndexOf('/') + 1)..], add: true);

    private static List<string> Labels(PlexSimulator sim, PlexItem item) => [.. sim.State.Item(item.RatingKey)!.Labels.Select(sim.State.LabelName)];
}
