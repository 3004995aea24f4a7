using System.Globalization;
using System.Net.Http.Json;
using Marquee.Core.Webhooks;
using Marquee.Providers.Plex;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Notifications;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>The event stream and the session poller against the simulator, alone and together with webhooks.</summary>
public sealed class LivePathTests
{
    private static readonly (string, string)[] Fast =
    [
        ("Marquee:Webhooks:Live:SessionPollSeconds", "0.3"),
        ("Marquee:Webhooks:Live:ConnectionRefreshSeconds", "0.3"),
    ];

    [Fact]
    public async Task APollWhoseEventsCannotBeStored_KeepsThem_AndStoresThemOnceTheStoreIsBack()
    {
        // Arrange: the poller alone, and a store that gives up on a held lock after 0.2 s.
        const string Sessions = "GET /status/sessions";
        var sink = new RecordingSink();
        await using var sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 5, Shows = 1, HomeUsers = 0, Friends = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(
            WebhookKit.Settings([.. Fast, ("Marquee:Webhooks:Live:EventStream", "false"), ("Marquee:Store:BusyTimeoutSeconds", "0.2")]),
            sink.Register);
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var movie = sim.State.ItemsOfType(1, ItemType.Movie)[2].RatingKey;
        var key = movie.ToString(CultureInfo.InvariantCulture);
        long Polls() => sim.Control.Harness.RequestCounts.GetValueOrDefault(Sessions);
        await NotifyKit.WaitForAsync(() => Polls() >= 1, "the first poll");

        // Act: another process holds the database's write lock while the owner starts the movie and pauses it; the
        // polls see both and cannot store them. Then the lock goes.
        await using (var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(app.DataFolder, "marquee.db")};Pooling=False"))
        {
            await holder.OpenAsync();
            await using var lockIt = holder.CreateCommand();
            lockIt.CommandText = "BEGIN IMMEDIATE";
            await lockIt.ExecuteNonQueryAsync();
            Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie, percent = 30, pause = true })).IsSuccessStatusCode);
            var asked = Polls();
            await NotifyKit.WaitForAsync(() => Polls() >= asked + 3, "three polls while the lock is held");
            Assert.DoesNotContain(sink.Events, e => e.LocalKey == key);
            lockIt.CommandText = "ROLLBACK";
            await lockIt.ExecuteNonQueryAsync();
        }

        // Assert: the start and the pause the failed polls saw reach the consumers once each.
        await sink.WaitAsync(e => e.LocalKey == key && e.Kind == LiveEventKind.Play, "the start");
        await sink.WaitAsync(e => e.LocalKey == key && e.Kind == LiveEventType.Pause, "the pause");
        var asked2 = Polls();
        await NotifyKit.WaitForAsync(() => Polls() >= asked2 + 2, "two more polls");
        Assert.Single(sink.Events, e => e.LocalKey == key && e.Kind == LiveEventKind.Play);
        Assert.Single(sink.Events, e => e.LocalKey == key && e.Kind == LiveEventType.Pause);
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("kept for the next attempt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutWebhooks_PollerAndStream_SeeStartAndFinish()
    {
        await using var sim = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 20, Shows = 2, HomeUsers = 1, Friends = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(Fast));
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var movie = sim.State.ItemsOfType(1, ItemType.Movie)[3].RatingKey;
        var key = movie.ToString(CultureInfo.InvariantCulture);

        // Act: the owner starts a movie, then plays past 90 % and keeps the player open (no stop, no webhook).
        await WaitForAsync(app, async () => (await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie, percent = 10 })).IsSuccessStatusCode
            && (await WebhookKit.EventsAsync(app)).Any(e => e.Kind == LiveEventKind.Play && e.LocalKey == key));
        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie, percent = 95 })).IsSuccessStatusCode);

        // Assert
        await WaitForAsync(app, async () => (await WebhookKit.EventsAsync(app)).Any(e => e.Kind == LiveEventKind.Watched && e.LocalKey == key));
        var events = (await WebhookKit.EventsAsync(app)).Where(e => e.LocalKey == key).ToList();
        Assert.Single(events, e => e.Kind == LiveEventKind.Play);
        var watched = Assert.Single(events, e => e.Kind == LiveEventKind.Watched);
        Assert.Equal(PlexWebhookEvents.OwnerAccount, watched.AccountId);
        Assert.Contains(watched.Origin, new[] { LiveEventOrigin.Poll, LiveEventOrigin.EventStream });
        Assert.Equal(sim.MachineIdentifier, watched.ServerId);
        Assert.Empty(sim.Control.Webhooks.Deliveries);
    }

    [Fact]
    public async Task SamePlayback_ThroughWebhookStreamAndPoller_IsOneEventPerKind()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(Fast));
        await using var sim = await WebhookKit.StartSimAsync(app);
        await app.CreatePlexAsync("home", token: sim.Owner.AccountToken, url: sim.BaseUri.ToString());
        using var control = new HttpClient { BaseAddress = sim.BaseUri };
        var movie = sim.State.ItemsOfType(1, ItemType.Movie)[4].RatingKey;
        var key = movie.ToString(CultureInfo.InvariantCulture);
        await WaitForAsync(app, () => StreamUpAsync(app));

        // Act: start, pause, play past the threshold, hold (so the poller sees it), then stop.
        foreach (var step in new object[]
        {
            new { account = "owner", ratingKey = movie, percent = 20 },
            new { account = "owner", ratingKey = movie, percent = 40, pause = true },
            new { account = "owner", ratingKey = movie, percent = 95 },
        })
        {
            Assert.True((await control.PostAsJsonAsync("/_sim/play", step)).IsSuccessStatusCode);
            await Task.Delay(800);
        }

        Assert.True((await control.PostAsJsonAsync("/_sim/play", new { account = "owner", ratingKey = movie, percent = 96, stop = true })).IsSuccessStatusCode);
        await sim.Control.WaitForWebhooksAsync(CancellationToken.None);
        await WebhookKit.WaitHandledAsync(app, sim.Control.Webhooks.Deliveries.Count);
        await Task.Delay(1000);

        // Assert: webhooks (play, pause, scrobble, stop), stream messages and polls all saw it; one event of each kind.
        var events = (await WebhookKit.EventsAsync(app)).Where(e => e.LocalKey == key).ToList();
        Assert.Single(events, e => e.Kind == LiveEventKind.Play);
        Assert.Single(events, e => e.Kind == LiveEventKind.Watched);
        var progress = Assert.Single(events, e => e.Kind == LiveEventKind.Progress);
        Assert.All(events, e => Assert.Equal(PlexWebhookEvents.OwnerAccount, e.AccountId));
        Assert.InRange(long.Parse(progress.Value!, CultureInfo.InvariantCulture), 1, long.MaxValue);
    }

    private static Task<bool> StreamUpAsync(MarqueeApp app) =>
        Task.FromResult(app.Logs.Entries.Any(e => e.Message.Contains("event stream of Plex connection", StringComparison.Ordinal) && e.Message.Contains(" connected", StringComparison.Ordinal)));

    private static async Task WaitForAsync(MarqueeApp app, Func<Task<bool>> condition)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "timed out; events: " + string.Join("; ", (await WebhookKit.EventsAsync(app)).Select(e => $"{e.Origin} {e.Kind} {e.LocalKey} {e.AccountId}")));
            await Task.Delay(100);
        }
    }
}
