using System.Globalization;
using Marquee.Simulators.Discord;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;

namespace Marquee.Web.Tests.Notifications;

/// <summary>
/// The outbox sends one channel's messages about different playbacks side by side (lanes), each playback's in order and
/// each message once; a 429 holds the whole webhook.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class NotificationLaneTests
{
    private const string Endpoint = "POST /api/webhooks/{webhookId}/{token}";
    private const int LatencyMs = 300;
    private static readonly string[] Events = ["media.play", "media.pause", "media.resume", "media.stop"];
    private static readonly string[] Verbs = ["started", "paused", "resumed", "stopped"];

    [Fact]
    public async Task ManyPlaybacks_GoSideBySide_EachPlaybacksMessagesInOrder_EachOnce()
    {
        // Every answer of Discord takes 300 ms: one message at a time leaves at least that much between two arrivals.
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0, LatencyMs = LatencyMs }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(("Marquee:Outbox:LanesPerTarget", "4")));
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "play", "pause", "resume", "stop" } });
        const int Playbacks = 6;

        // Act: six playbacks, their events interleaved as they happen.
        foreach (var (name, step) in Events.Select((e, i) => (e, i)))
        {
            for (var n = 0; n < Playbacks; n++)
            {
                await PostAsync(app, Payload(name, n, 600_000 + (step * 300_000)));
            }
        }

        await WebhookKit.WaitHandledAsync(app, Events.Length * Playbacks);
        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= Events.Length * Playbacks, "every message", TimeSpan.FromSeconds(60));
        await Task.Delay(1000);

        // Assert: each message once; each playback's in the order of its events.
        var messages = discord.State.Messages;
        var titles = messages.Select(m => m.Body!["embeds"]![0]!["title"]!.GetValue<string>()).ToList();
        Assert.Equal(Events.Length * Playbacks, titles.Count);
        Assert.Equal(titles.Count, titles.Distinct(StringComparer.Ordinal).Count());
        for (var n = 0; n < Playbacks; n++)
        {
            var movie = $"Lane {n}";
            Assert.Equal(Verbs.Select(v => $"bob {v} {movie}"), titles.Where(t => t.EndsWith(movie, StringComparison.Ordinal)));
        }

        // Side by side: some two messages arrived closer together than one answer takes.
        var gaps = messages.Zip(messages.Skip(1), (a, b) => (b.ReceivedAt - a.ReceivedAt).TotalMilliseconds).ToList();
        Assert.True(gaps.Min() < LatencyMs / 2.0, $"the closest two arrivals were {gaps.Min():0} ms apart: one at a time");

        // At most four at once: a request holds its lane's slot until its answer, so any five arrivals span at least one
        // answer's time.
        var arrivals = messages.Select(m => m.ReceivedAt).Order().ToList();
        var fiveSpan = arrivals.Zip(arrivals.Skip(4), (a, b) => (b - a).TotalMilliseconds).Min();
        Assert.True(fiveSpan >= LatencyMs * 2 / 3.0, $"five arrivals within {fiveSpan:0} ms: more than four requests at once");
        Assert.Equal(titles.Count, discord.Harness.RequestCounts[Endpoint]);
    }

    [Fact]
    public async Task A429_HoldsTheWholeWebhook_NotJustItsLane_AndEveryMessageArrivesOnce()
    {
        // Five messages per 3 s: the first five playbacks pass, the sixth meets a 429 asking to wait for the window, while
        // other lanes are under way (one of them may pass after the 429: it must not end the wait).
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 5, RateWindowSeconds = 3, LatencyMs = 100 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(NotifyKit.Settings(("Marquee:Outbox:LanesPerTarget", "4"), ("Marquee:Outbox:Jitter", "0")));
        await NotifyKit.CreateChannelAsync(app, new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers = new[] { "play" } });
        const int Playbacks = 8;

        for (var n = 0; n < Playbacks; n++)
        {
            await PostAsync(app, Payload("media.play", n, 60_000));
        }

        await NotifyKit.WaitForAsync(() => discord.State.Messages.Count >= Playbacks, "every message", TimeSpan.FromSeconds(60));
        await Task.Delay(1000);

        // Assert: after the first 429, no lane sends until the window has passed: only requests already under way then
        // arrive (within the simulator's latency); a lane that ignored the wait would be refused again and again.
        var executions = discord.State.Executions;
        var first = executions.First(e => e.Status is 200 or 204).ReceivedAt;
        var limited = executions.First(e => e.Status == 429).ReceivedAt;
        var early = executions.Where(e => e.ReceivedAt > limited.AddMilliseconds(500) && e.ReceivedAt < first.AddSeconds(2.9)).ToList();
        Assert.True(early.Count == 0, $"{early.Count} requests within the wait Discord asked for");
        Assert.InRange(executions.Count(e => e.Status == 429), 1, 4);
        var titles = discord.State.Messages.Select(m => m.Body!["embeds"]![0]!["title"]!.GetValue<string>()).ToList();
        if (titles.Count != Playbacks || titles.Distinct(StringComparer.Ordinal).Count() != Playbacks)
        {
            Assert.Fail(await StoryAsync(app, executions));
        }
    }

    // What Discord received and what the outbox recorded, for a failure's message.
    private static async Task<string> StoryAsync(MarqueeApp app, IReadOnlyList<DiscordExecution> executions)
    {
        var start = executions.Count > 0 ? executions[0].ReceivedAt : default;
        var received = executions.Select(e => string.Create(
            CultureInfo.InvariantCulture,
            $"+{(e.ReceivedAt - start).TotalMilliseconds:0} ms {e.Status} {e.Body?["embeds"]?[0]?["title"]?.GetValue<string>() ?? e.Error}"));
        var outbox = await app.Client.GetStringAsync("/api/outbox?limit=50");
        var log = app.Logs.Entries.Where(e => e.Category.Contains("Outbox", StringComparison.Ordinal) || e.Category.Contains("Notification", StringComparison.Ordinal) || e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        return "Discord received:\n" + string.Join("\n", received) + "\nthe outbox: " + outbox + "\nthe log:\n" + string.Join("\n", log);
    }

    private static async Task PostAsync(MarqueeApp app, string payload)
    {
        using var response = await app.Anonymous.PostAsync(WebhookKit.Path(), WebhookKit.Multipart(payload, thumb: false));
        Assert.True(response.IsSuccessStatusCode);
    }

    private static string Payload(string name, int n, long offset) => string.Create(
        CultureInfo.InvariantCulture,
        $$$"""{"event":"{{{name}}}","user":true,"owner":true,"Account":{"id":1,"title":"bob"},"Server":{"title":"s","uuid":"abc"},"Player":{"local":true,"title":"TV","uuid":"p1"},"Metadata":{"ratingKey":"{{{3000 + n}}}","guid":"plex://movie/5d776b59ad5437001f79c{{{n:x3}}}","type":"movie","title":"Lane {{{n}}}","duration":6960000,"viewOffset":{{{offset}}}}}""");
}
