using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Core.Notifications;
using Marquee.Core.Webhooks;
using Marquee.Simulators.Discord;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Notifications;

/// <summary>
/// Webhooks first: while the webhook inbox is behind, the notification feed waits (its cursor stays, nothing reaches
/// Discord), and then tells everything once, in order; a wait is bounded by <c>MaxDeferSeconds</c>.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class NotificationDeferralTests
{
    private static readonly string[] Events = ["media.play", "media.pause", "media.resume", "media.stop"];
    private static readonly string[] Verbs = ["started", "paused", "resumed", "stopped"];

    [Fact]
    public async Task WhileTheInboxIsBehind_NothingIsNotified_ThenEveryMessageArrivesOnceInOrder()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        var gate = new GateSink();
        await using var app = await StartAsync(gate, maxDeferSeconds: 600);
        await CreateChannelAsync(app, discord);
        var cursorBefore = await CursorAsync(app);
        await HoldInboxAsync(app, gate);

        // Assert: the stored play is not told while the inbox is behind, however long that lasts.
        await Task.Delay(2500);
        Assert.Empty(discord.State.Messages);
        Assert.Equal(cursorBefore, await CursorAsync(app));
        var status = await app.Client.GetFromJsonAsync<JsonElement>("/api/notifications/feed");
        Assert.True(status.GetProperty("deferred").GetBoolean(), status.ToString());
        Assert.Equal(7, status.GetProperty("inboxPending").GetInt64());
        Assert.Contains(app.Logs.Entries, e => e.Message.StartsWith("Notifications wait for the webhooks: ", StringComparison.Ordinal));

        // Act: the inbox catches up.
        gate.Release();
        await WebhookKit.WaitHandledAsync(app, 8);
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 8, "every message");
        await Task.Delay(1000);

        // Assert: every message once, each playback's in the order of its events.
        var titles = Titles(discord);
        Assert.Equal(8, titles.Count);
        Assert.Equal(8, titles.Distinct(StringComparer.Ordinal).Count());
        foreach (var movie in new[] { "Flood 0", "Flood 1" })
        {
            Assert.Equal(Verbs.Select(v => $"bob {v} {movie}"), titles.Where(t => t.EndsWith(movie, StringComparison.Ordinal)));
        }

        Assert.True(await CursorAsync(app) > cursorBefore);
        Assert.Contains(app.Logs.Entries, e => e.Message.StartsWith("Notifications resume after waiting", StringComparison.Ordinal));
        Assert.False((await app.Client.GetFromJsonAsync<JsonElement>("/api/notifications/feed")).GetProperty("deferred").GetBoolean());
    }

    [Fact]
    public async Task AnInboxThatStaysBehind_HoldsNotificationsNoLongerThanMaxDeferSeconds()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        var gate = new GateSink();
        await using var app = await StartAsync(gate, maxDeferSeconds: 3);
        await CreateChannelAsync(app, discord);
        await HoldInboxAsync(app, gate);
        var held = System.Diagnostics.Stopwatch.StartNew();

        // Act: the inbox stays behind; the stored play waits 3 s at most, then is told anyway.
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 1, "the play after the longest wait");
        var waited = held.Elapsed;

        // Assert
        Assert.True(waited >= TimeSpan.FromSeconds(2), $"told after {waited.TotalSeconds:0.0} s: it did not wait");
        Assert.Equal("bob started Flood 0", Assert.Single(Titles(discord)));
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("the longest allowed (Marquee:Notifications:MaxDeferSeconds)", StringComparison.Ordinal));

        // The rest follows once the inbox goes on, each once.
        gate.Release();
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 8, "every message");
        await Task.Delay(1000);
        Assert.Equal(8, Titles(discord).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(8, discord.State.Messages.Count);
    }

    [Fact]
    public async Task WhileWebhooksArriveFasterThanTheRateLimit_NothingIsNotified_ThenEveryMessageArrivesOnce()
    {
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(
            ("Marquee:Webhooks:ProcessorPaused", "true"),
            ("Marquee:Notifications:DeferWhileInboxBehind", "0"),
            ("Marquee:Notifications:DeferAboveWebhooksPerSecond", "1"),
            ("Marquee:Notifications:DeferWindowSeconds", "6"),
            ("Marquee:Notifications:FeedPollSeconds", "0.2")));
        await CreateChannelAsync(app, discord);

        // Arrange: eight webhooks within a moment (1.3 per second over the 6 s window, the limit is 1), handled at once.
        await PostPlaybacksAsync(app);
        await ResumeProcessorAsync(app);
        await WebhookKit.WaitHandledAsync(app, 8);
        await Task.Delay(TimeSpan.FromSeconds(1));

        // Assert: the flood is not over (every webhook is within the window), so nothing is told yet.
        var early = discord.State.Messages.Count;
        var status = await app.Client.GetFromJsonAsync<JsonElement>("/api/notifications/feed");
        Assert.Equal(0, early);
        Assert.True(status.GetProperty("deferred").GetBoolean(), status.ToString());
        Assert.Contains(app.Logs.Entries, e => e.Message.StartsWith("Notifications wait for the webhooks: ", StringComparison.Ordinal));

        // Once the rate is down to half the limit (at most 3 webhooks in the window), everything follows, each once.
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= 8, "every message");
        await Task.Delay(1000);
        var titles = Titles(discord);
        Assert.Equal(8, titles.Count);
        Assert.Equal(8, titles.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(app.Logs.Entries, e => e.Message.StartsWith("Notifications resume after waiting", StringComparison.Ordinal));
    }

    private static async Task<MarqueeApp> StartAsync(GateSink gate, double maxDeferSeconds) => await MarqueeApp.StartAsync(
        NotifyKit.Settings(
            ("Marquee:Webhooks:ProcessorPaused", "true"),
            ("Marquee:Notifications:DeferWhileInboxBehind", "3"),
            ("Marquee:Notifications:DeferAboveWebhooksPerSecond", "0"),
            ("Marquee:Notifications:MaxDeferSeconds", maxDeferSeconds.ToString(CultureInfo.InvariantCulture)),
            ("Marquee:Notifications:FeedPollSeconds", "0.2")),
        services => services.AddSingleton<ILiveEventSink>(gate));

    private static Task<long> CreateChannelAsync(MarqueeApp app, DiscordSimulator discord) =>
        NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "play", "pause", "resume", "stop" } });

    /// <summary>
    /// Two playbacks of four events each are accepted while the processor waits; it then handles the first delivery (its
    /// event is stored) and is held there by <paramref name="gate"/>, seven deliveries behind (more than the limit of 3).
    /// </summary>
    private static async Task HoldInboxAsync(MarqueeApp app, GateSink gate)
    {
        await PostPlaybacksAsync(app);
        await ResumeProcessorAsync(app);
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Two playbacks (play, pause, resume, stop each) posted one after the other: eight deliveries.</summary>
    private static async Task PostPlaybacksAsync(MarqueeApp app)
    {
        for (var n = 0; n < 2; n++)
        {
            foreach (var (name, step) in Events.Select((e, i) => (e, i)))
            {
                using var response = await app.Anonymous.PostAsync(WebhookKit.Path(), WebhookKit.Multipart(Payload(name, n, 600_000 + (step * 300_000)), thumb: false));
                Assert.True(response.IsSuccessStatusCode);
            }
        }

        Assert.Equal(8, app.Services.GetRequiredService<InboxBacklog>().Pending);
    }

    /// <summary>Turns <c>ProcessorPaused</c> off in the running server's configuration.</summary>
    private static Task ResumeProcessorAsync(MarqueeApp app)
    {
        var configuration = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();
        configuration["Marquee:Webhooks:ProcessorPaused"] = "false";
        configuration.Reload();
        return Task.CompletedTask;
    }

    private static Task<long> CursorAsync(MarqueeApp app) => app.Services.GetRequiredService<INotifyFeedStore>().GetCursorAsync(CancellationToken.None);

    private static List<string> Titles(DiscordSimulator discord) =>
        [.. discord.State.Messages.Select(m => m.Body!["embeds"]![0]!["title"]!.GetValue<string>())];

    private static string Payload(string name, int n, long offset) => string.Create(
        CultureInfo.InvariantCulture,
        $$$"""{"event":"{{{name}}}","user":true,"owner":true,"Account":{"id":1,"title":"bob"},"Server":{"title":"s","uuid":"abc"},"Player":{"local":true,"title":"TV","uuid":"p1"},"Metadata":{"ratingKey":"{{{4000 + n}}}","guid":"plex://movie/5d776b59ad5437001f79d{{{n:x3}}}","type":"movie","title":"Flood {{{n}}}","duration":6960000,"viewOffset":{{{offset}}}}}""");

    /// <summary>
    /// One more consumer of live events (after the notification feed), which holds the inbox processor at the first
    /// delivery it is given until released: the deliveries behind it stay pending, as in a flood.
    /// </summary>
    private sealed class GateSink : ILiveEventSink
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        public Task Reached => _reached.Task;

        public void Release() => _released.TrySetResult();

        public async Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _held, 1) == 0)
            {
                _reached.TrySetResult();
                await _released.Task.WaitAsync(cancellationToken);
            }
        }
    }
}
