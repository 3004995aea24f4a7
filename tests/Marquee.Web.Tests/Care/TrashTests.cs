using System.Net.Http.Json;
using Marquee.Core.Care;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Care;

/// <summary>Trash emptying against the Plex simulator: under the maximum it empties once when due; above it, or when the server fails, nothing is deleted.</summary>
[Trait("Category", "Scenario")]
public sealed class TrashTests
{
    private const string EmptyTrash = "PUT /library/sections/{id}/emptyTrash";

    [Fact]
    public async Task UnderTheMaximum_IsEmptiedOnceAtTheScheduledTime()
    {
        await using var kit = await CareKit.StartAsync();
        await PutSettingAsync(kit, new { library = "Movies", frequency = "daily", at = "03:00", maxItems = 50 });
        var removed = FilesRemoved(kit, 3);
        var scheduler = kit.App.Services.GetRequiredService<CareScheduler>();
        var night = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

        // Seen at noon: due at 03:00 the next day; nothing before it, once at it, not again the same night.
        Assert.Empty(await scheduler.RunDueTrashAsync(night, CancellationToken.None));
        Assert.Empty(await scheduler.RunDueTrashAsync(night.AddHours(14).AddMinutes(59), CancellationToken.None));
        Assert.Equal(0, Calls(kit, EmptyTrash));
        var done = Assert.Single(await scheduler.RunDueTrashAsync(night.AddHours(15), CancellationToken.None));
        Assert.Empty(await scheduler.RunDueTrashAsync(night.AddHours(15).AddMinutes(30), CancellationToken.None));

        Assert.Equal(("empty", "done", 3), (done.Action, done.Outcome, done.Count));
        Assert.Equal(1, Calls(kit, EmptyTrash));
        Assert.All(removed, key => Assert.Null(kit.Sim.State.Item(key)));
        Assert.Equal(0, await CountAsync(kit, "Movies"));
    }

    [Fact]
    public async Task AboveTheMaximum_DeletesNothing_AndNotifiesAndLogsTheCount()
    {
        await using var kit = await CareKit.StartAsync();
        await using var receiver = await Marquee.TestKit.ReceivingServer.StartAsync();
        using var channel = await kit.App.PostJsonAsync("/api/notifications", new { name = "admin", kind = "webhook", url = new Uri(receiver.BaseUri, "/care").ToString(), triggers = new[] { "trash-refused" } });
        channel.EnsureSuccessStatusCode();
        await PutSettingAsync(kit, new { library = "Movies", schedule = "0 3 * * *", maxItems = 2 });
        var removed = FilesRemoved(kit, 3);

        using var response = await kit.App.Client.PostAsync(new Uri("/api/trash/Movies/empty", UriKind.Relative), null);
        var action = await kit.App.JsonAsync(response);

        Assert.Equal(("refuse", "refused", 3), (action.GetProperty("action").GetString(), action.GetProperty("outcome").GetString(), action.GetProperty("count").GetInt32()));
        Assert.Equal(0, Calls(kit, EmptyTrash));
        Assert.All(removed, key => Assert.NotNull(kit.Sim.State.Item(key)));
        Assert.Contains("Trash of Movies not emptied: 3 items, more than the maximum of 2", kit.App.Logs.AllText(), StringComparison.Ordinal);
        var notice = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Contains("holds 3 items, more than the maximum of 2", notice.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerFailingBetweenCountAndEmpty_EmptiesNothing_AndIsNotRetried()
    {
        await using var kit = await CareKit.StartAsync();
        var removed = FilesRemoved(kit, 2);
        kit.Control.SetFault(EmptyTrash, new FaultSpec { Error500 = 1, Times = 1 });

        using var response = await kit.App.Client.PostAsync(new Uri("/api/trash/Movies/empty?maxItems=10", UriKind.Relative), null);
        var action = await kit.App.JsonAsync(response);

        Assert.StartsWith("failed: ", action.GetProperty("outcome").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, Calls(kit, EmptyTrash));
        Assert.All(removed, key => Assert.NotNull(kit.Sim.State.Item(key)));
        Assert.Equal(2, await CountAsync(kit, "Movies"));
    }

    [Fact]
    public async Task CountFailing_NeverEmpties()
    {
        await using var kit = await CareKit.StartAsync(settings: new Dictionary<string, string?> { ["Marquee:Plex:MaxRetries"] = "0" });
        FilesRemoved(kit, 2);
        kit.Control.SetFault("GET /library/sections/{id}/all", new FaultSpec { Error500 = 1 });

        using var response = await kit.App.Client.PostAsync(new Uri("/api/trash/Movies/empty", UriKind.Relative), null);
        var action = await kit.App.JsonAsync(response);

        Assert.StartsWith("failed: ", action.GetProperty("outcome").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, Calls(kit, EmptyTrash));
    }

    [Fact]
    public async Task DryRun_CountsAndRecords_DeletesNothing()
    {
        await using var kit = await CareKit.StartAsync();
        var removed = FilesRemoved(kit, 2);

        using var response = await kit.App.Client.PostAsync(new Uri("/api/trash/Movies/empty?dryRun=true", UriKind.Relative), null);
        var action = await kit.App.JsonAsync(response);
        var counts = await kit.App.JsonAsync(await kit.App.Client.GetAsync(new Uri("/api/trash", UriKind.Relative)));

        Assert.Equal(("dry-run", 2), (action.GetProperty("outcome").GetString(), action.GetProperty("count").GetInt32()));
        Assert.Equal(0, Calls(kit, EmptyTrash));
        Assert.All(removed, key => Assert.NotNull(kit.Sim.State.Item(key)));
        Assert.Equal(2, counts.EnumerateArray().Single(c => c.GetProperty("library").GetString() == "Movies").GetProperty("count").GetInt32());
        Assert.Equal(0, counts.EnumerateArray().Single(c => c.GetProperty("library").GetString() == "TV Shows").GetProperty("count").GetInt32());
    }

    private static List<int> FilesRemoved(CareKit kit, int count)
    {
        var keys = kit.Sim.State.ItemsOfType(1, ItemType.Movie).Take(count).Select(m => m.RatingKey).ToList();
        keys.ForEach(k => kit.Control.MarkUnavailable(k));
        return keys;
    }

    private static long Calls(CareKit kit, string endpoint) => kit.Control.RequestCounts.GetValueOrDefault(endpoint);

    private static async Task PutSettingAsync(CareKit kit, object setting)
    {
        using var response = await kit.App.Client.PutAsJsonAsync("/api/trash/settings", setting);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<int> CountAsync(CareKit kit, string library)
    {
        var counts = await kit.App.JsonAsync(await kit.App.Client.GetAsync(new Uri($"/api/trash?library={library}", UriKind.Relative)));
        return counts[0].GetProperty("count").GetInt32();
    }
}
