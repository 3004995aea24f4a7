using System.Net;
using System.Net.Http.Json;
using Marquee.Core.Labels;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Care;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Labels;

/// <summary><c>/api/labels</c>: settings with malformed input, a sync with progress, and the schedule (cron, or a time of day on days).</summary>
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
        { """{"at":"25:00"}""", "at" },
        { """{"at":"3pm"}""", "at" },
        { """{"at":3}""", "at" },
        { """{"at":"03:00","days":["mon","funday"]}""", "days" },
        { """{"at":"03:00","days":"mon"}""", "days" },
        { """{"at":"03:00","days":null}""", "days" },
        { """{"days":["mon"]}""", "days" },
        { """{"schedule":"0 3 * * *","at":"03:00"}""", "schedule" },
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
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stored.GetProperty("at").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stored.GetProperty("schedule").ValueKind);
        Assert.Equal(0, stored.GetProperty("days").GetArrayLength());
    }

    [Fact]
    public async Task Schedule_AtTimeOfDayOnDays_IsStored_AndTheSyncRunsAtTheComputedTime()
    {
        await using var kit = await CareKit.StartAsync(settings: new Dictionary<string, string?> { ["Marquee:Labels:Enabled"] = "false" }, discover: true);
        var movies = kit.Sim.State.ItemsOfType(1, ItemType.Movie);
        await LinkOwnerAsync(kit, "alice");
        using (var put = await kit.App.Client.PutAsJsonAsync("/api/labels/settings", new { at = "03:00", days = new[] { "fri", "monday" } }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var stored = await kit.App.JsonAsync(await kit.App.Client.GetAsync(new Uri("/api/labels/settings", UriKind.Relative)));
        Assert.Equal("03:00", stored.GetProperty("at").GetString());
        Assert.Equal(["fri", "monday"], stored.GetProperty("days").EnumerateArray().Select(d => d.GetString()));

        // 2026-12-03 is a Thursday: the next run is Friday 03:00, then Monday 03:00 (not Saturday, not Sunday).
        var scheduler = kit.App.Services.GetRequiredService<LabelScheduler>();
        var thursday = new DateTimeOffset(2026, 12, 3, 4, 0, 0, TimeSpan.Zero);
        Watchlist(kit.Sim, movies[0]);
        Assert.False(await scheduler.RunIfDueAsync(thursday, CancellationToken.None));
        Assert.False(await scheduler.RunIfDueAsync(thursday.AddHours(22).AddMinutes(59), CancellationToken.None));
        Assert.DoesNotContain("marquee:alice", Labels(kit.Sim, movies[0]));
        Assert.True(await scheduler.RunIfDueAsync(thursday.AddHours(23), CancellationToken.None));
        Assert.Contains("marquee:alice", Labels(kit.Sim, movies[0]));

        Watchlist(kit.Sim, movies[1]);
        Assert.False(await scheduler.RunIfDueAsync(thursday.AddDays(1).AddHours(23), CancellationToken.None));
        Assert.False(await scheduler.RunIfDueAsync(thursday.AddDays(2).AddHours(23), CancellationToken.None));
        Assert.DoesNotContain("marquee:alice", Labels(kit.Sim, movies[1]));
        Assert.True(await scheduler.RunIfDueAsync(thursday.AddDays(3).AddHours(23), CancellationToken.None));
        Assert.Contains("marquee:alice", Labels(kit.Sim, movies[1]));
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
        await LinkOwnerAsync(kit, "alice");

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

    private static async Task LinkOwnerAsync(CareKit kit, string profile)
    {
        using (var created = await kit.App.PostJsonAsync("/api/profiles", new { name = profile }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        using var link = await kit.App.PostJsonAsync($"/api/profiles/{profile}/accounts", new { connection = "home", account = "owner" });
        Assert.True(link.IsSuccessStatusCode, await link.Content.ReadAsStringAsync());
    }

    private static void Watchlist(PlexSimulator sim, PlexItem item) =>
        sim.State.Watchlist(sim.Owner, item.PrimaryGuid[(item.PrimaryGuid.LastIndexOf('/') + 1)..], add: true);

    private static List<string> Labels(PlexSimulator sim, PlexItem item) => [.. sim.State.Item(item.RatingKey)!.Labels.Select(sim.State.LabelName)];
}
