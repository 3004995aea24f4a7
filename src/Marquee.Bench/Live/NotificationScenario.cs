using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using Marquee.Bench.Infrastructure;
using Marquee.Core.Notifications;
using Marquee.Core.Outbox;
using Marquee.Core.Webhooks;
using Marquee.Hosting.Security;
using Marquee.Simulators.Discord;
using Marquee.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Bench.Live;

/// <summary>
/// (7) Notifications: playbacks posted as Plex <c>media.play</c> webhooks to a real Marquee server, each turned into a
/// <c>play</c> message on a simulated Discord (no rate limit) through the inbox, the notification sink and the outbox.
/// Measures the time from each webhook's post to its message's arrival, and the requests made; checks that every
/// playback arrives exactly once.
/// </summary>
public sealed class NotificationScenario : IBenchScenario
{
    private const string Secret = "bench-webhook-secret-7f3a9c";
    private const string Endpoint = "POST /webhooks/plex/{secret}";
    private const string DiscordEndpoint = "POST /api/webhooks/{webhookId}/{token}";

    public string Name => "notifications";

    public string Title => "notifications, 1,000 playbacks";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var playbacks = context.Quick ? 100 : 1000;
        const int Concurrency = 8;
        await using var discord = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, cancellationToken);
        var config = new Dictionary<string, string?>
        {
            ["Marquee:Webhooks:Secret"] = Secret,
            ["Marquee:Webhooks:ProcessorPollSeconds"] = "0.2",
            ["Marquee:Webhooks:RateLimit:PermitLimit"] = "100000000",
            ["Marquee:Webhooks:RateLimit:WindowSeconds"] = "1",
            ["Marquee:Outbox:PollSeconds"] = "0.2",
        };
        await using var app = await BenchHost.StartAsync(context.DataFolder, config, cancellationToken);
        await CreateChannelAsync(app, discord, ["play"], cancellationToken);

        var sent = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var generator = LoadGenerator.Create(Concurrency);
        var webhooks = new Uri(app.Address, $"/webhooks/plex/{Secret}");

        // A running server has compiled its code paths long before; a cold process spends much of its first
        // seconds in the JIT. Other playbacks warm it up first and are not counted.
        var warmups = playbacks / 5;
        context.Log.WriteLine($"{Name}: warming up with {warmups} playbacks (not counted)");
        var warm = await generator.RunAsync(webhooks, TimeSpan.FromMinutes(2), warmups, n => Body(n, "Warm", sent: null), cancellationToken);
        await WaitForMessagesAsync(discord, warm.Accepted, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var warmMessages = discord.State.Messages.Count;
        var warmRequests = discord.Harness.RequestCounts.GetValueOrDefault(DiscordEndpoint);
        var measuredFrom = TimeProvider.System.GetUtcNow();

        context.Log.WriteLine($"{Name}: posting {playbacks} playbacks with {Concurrency} connections");
        var deferral = app.Services.GetRequiredService<NotificationDeferral>();
        var deferralsBefore = deferral.Status().Deferrals;
        var sampler = new BacklogSampler(app.Services.GetRequiredService<InboxBacklog>());
        var m = Measurement.Start();
        var load = await generator.RunAsync(webhooks, TimeSpan.FromMinutes(5), playbacks, n => Body(n, "Bench", sent), cancellationToken);
        await WaitForMessagesAsync(discord, warmMessages + load.Accepted, cancellationToken);
        m.Stop();
        await sampler.DisposeAsync();

        // Anything sent twice would arrive within a moment of the rest.
        await Task.Delay(TimeSpan.FromSeconds(context.Quick ? 1 : 2), cancellationToken);
        var messages = discord.State.Messages.Skip(warmMessages).ToList();
        var titles = messages.Select(e => e.Body?["embeds"]?[0]?["title"]?.GetValue<string>() ?? string.Empty).ToList();
        var latencies = messages
            .Select(e => (e.ReceivedAt, Title: e.Body?["embeds"]?[0]?["title"]?.GetValue<string>() ?? string.Empty))
            .Select(e => sent.TryGetValue(e.Title[(e.Title.IndexOf("Bench ", StringComparison.Ordinal) + 6)..], out var at) ? (e.ReceivedAt - at).TotalMilliseconds : double.NaN)
            .Where(d => !double.IsNaN(d))
            .ToList();
        var outboxService = app.Services.GetRequiredService<OutboxService>();
        var outbox = await outboxService.CountAsync(cancellationToken);

        // The outbox's own share: from the row's commit to the answer's record.
        var queued = (await outboxService.ListAsync(OutboxStatus.Delivered, 10_000, cancellationToken))
            .Where(o => o.DoneAt is not null && o.CreatedAt >= measuredFrom)
            .Select(o => (o.DoneAt!.Value - o.CreatedAt).TotalMilliseconds)
            .ToList();
        var discordRequests = discord.Harness.RequestCounts.GetValueOrDefault(DiscordEndpoint) - warmRequests;
        var p95 = LoadResult.Percentile(latencies, 0.95);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["playbacks"] = playbacks,
            ["warm-up playbacks (not counted)"] = warmups,
            ["accepted webhooks"] = load.Accepted,
            ["notifications"] = messages.Count,
            ["discord requests"] = discordRequests,
            ["discord requests per notification"] = messages.Count > 0 ? Math.Round((double)discordRequests / messages.Count, 3) : 0,
            ["notifications/s"] = Math.Round(messages.Count / Math.Max(m.Wall.TotalSeconds, 1e-6), 1),
            ["event to delivery p50 ms"] = Math.Round(LoadResult.Percentile(latencies, 0.50), 1),
            ["event to delivery p95 ms"] = Math.Round(p95, 1),
            ["event to delivery max ms"] = latencies.Count > 0 ? Math.Round(latencies.Max(), 1) : 0,
            ["outbox queued to delivered p50 ms"] = Math.Round(LoadResult.Percentile(queued, 0.50), 1),
            ["outbox queued to delivered p95 ms"] = Math.Round(LoadResult.Percentile(queued, 0.95), 1),
            ["webhooks posted in s"] = Math.Round(load.Elapsed.TotalSeconds, 2),
            ["outbox pending after"] = outbox.Count(OutboxStatus.Pending),
            ["inbox backlog max"] = sampler.Max,
            ["notification deferrals (inbox behind)"] = deferral.Status().Deferrals - deferralsBefore,
        };
        var checks = new List<Check>
        {
            new("every webhook accepted", load.Errors == 0 && load.Accepted == playbacks && warm.Errors == 0, $"{load.Accepted} of {playbacks} accepted, {load.Errors} errors ({warm.Errors} in the warm-up)"),
            new("every playback notified exactly once", titles.Count == playbacks && titles.Distinct(StringComparer.Ordinal).Count() == playbacks, $"{titles.Count} messages, {titles.Distinct(StringComparer.Ordinal).Count()} distinct"),
            new("one Discord request per notification (no retries without a rate limit)", discordRequests == messages.Count, $"{discordRequests} requests for {messages.Count} messages"),
            new("the outbox drains", outbox.Count(OutboxStatus.Pending) == 0 && outbox.Count(OutboxStatus.Failed) == 0, string.Join(", ", outbox.ByStatus.Select(p => $"{p.Key} {p.Value}"))),
        };
        return new ScenarioResult
        {
            Name = Name,
            Title = Title,
            Status = checks.All(c => c.Passed) ? ScenarioStatus.Ok : ScenarioStatus.Failed,
            Quick = context.Quick,
            Size = new Dictionary<string, long>(StringComparer.Ordinal) { ["playbacks"] = playbacks, ["connections"] = Concurrency },
            WallSeconds = Math.Round(m.Wall.TotalSeconds, 3),
            CpuSeconds = Math.Round(m.Cpu.TotalSeconds, 3),
            PeakRssBytes = m.PeakRss,
            BaselineRssBytes = m.BaselineRss,
            Requests = new Dictionary<string, long>(StringComparer.Ordinal) { ["discord " + DiscordEndpoint] = discordRequests },
            SimulatorRequests = new Dictionary<string, long>(StringComparer.Ordinal) { ["marquee " + Endpoint] = load.Sent, ["discord " + DiscordEndpoint] = discordRequests },
            TotalRequests = discordRequests,
            FloorRequests = playbacks,
            Metrics = metrics,
            Checks = checks,
        };
    }

    /// <summary>Creates a Discord channel for <paramref name="triggers"/> through Marquee's API.</summary>
    internal static async Task CreateChannelAsync(BenchHost app, DiscordSimulator discord, string[] triggers, CancellationToken cancellationToken)
    {
        var api = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("bench-notify");
        api.BaseAddress = app.Address;
        api.DefaultRequestHeaders.Add(ApiGuard.HeaderName, app.Services.GetRequiredService<ApiKey>().Value);
        using var created = await api.PostAsJsonAsync("/api/notifications", new { name = "discord", kind = "discord", url = discord.DefaultWebhookUrl.ToString(), triggers }, cancellationToken);
        created.EnsureSuccessStatusCode();
    }

    private static async Task WaitForMessagesAsync(DiscordSimulator discord, long count, CancellationToken cancellationToken)
    {
        var wait = System.Diagnostics.Stopwatch.StartNew();
        while (discord.State.Messages.Count < count && wait.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>
    /// A media.play for another movie each time (one playback each), its post time noted by its number; the warm-up's
    /// movies ("Warm") are others than the measured ones ("Bench").
    /// </summary>
    private static HttpContent Body(long n, string title, ConcurrentDictionary<string, DateTimeOffset>? sent)
    {
        var id = title == "Bench" ? n : 900_000 + n;
        var payload = string.Create(
            CultureInfo.InvariantCulture,
            $$$"""{"event":"media.play","user":true,"owner":true,"Account":{"id":8472915,"title":"owner"},"Server":{"title":"bench","uuid":"bench-server"},"Player":{"local":true,"title":"TV","uuid":"bench-player"},"Metadata":{"ratingKey":"{{{200_000 + id}}}","guid":"plex://movie/5d776b59ad5438{{{id:x10}}}","type":"movie","title":"{{{title}}} {{{n}}}","duration":6960000,"viewOffset":1000}}""");
        if (sent is not null)
        {
            sent[n.ToString(CultureInfo.InvariantCulture)] = TimeProvider.System.GetUtcNow();
        }

        return WebhookIngestScenario.Multipart(payload, "--------------------------notify" + id.ToString("x8", CultureInfo.InvariantCulture));
    }
}
