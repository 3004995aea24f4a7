using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Marquee.Bench.Infrastructure;
using Marquee.Core.Notifications;
using Marquee.Core.Webhooks;
using Marquee.Simulators.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Bench.Live;

/// <summary>
/// (6) Webhook ingest: a load generator in this process posts Plex-shaped multipart webhooks to a real Marquee server
/// on 127.0.0.1 for a fixed time (bounded in count too), while the inbox processor drains them. Measures requests/s,
/// errors and store growth, and checks that every accepted delivery is in the inbox. With <paramref name="notify"/>
/// (scenario <c>webhook-ingest-notify</c>), a Discord channel (simulated, no rate limit) has every trigger on, so each
/// scrobble also makes a "finished" message while the load runs: the ingest rate beside the plain run's shows what
/// notifications cost it.
/// </summary>
public sealed class WebhookIngestScenario(bool notify = false) : IBenchScenario
{
    private const string Secret = "bench-webhook-secret-7f3a9c";
    private const string Endpoint = "POST /webhooks/plex/{secret}";

    public string Name => notify ? "webhook-ingest-notify" : "webhook-ingest";

    public string Title => notify ? "webhook ingest with notifications on, 60 s" : "webhook ingest, 60 s";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var duration = context.Quick ? TimeSpan.FromSeconds(6) : TimeSpan.FromSeconds(60);
        var maxRequests = context.Quick ? 60_000 : 600_000;
        const int Concurrency = 16;
        var config = new Dictionary<string, string?>
        {
            ["Marquee:Webhooks:Secret"] = Secret,
            ["Marquee:Webhooks:ProcessorPollSeconds"] = "0.2",

            // The default limit protects a home server; the benchmark measures what the ingest path can take.
            ["Marquee:Webhooks:RateLimit:PermitLimit"] = "100000000",
            ["Marquee:Webhooks:RateLimit:WindowSeconds"] = "1",
        };
        await using var discord = notify ? await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, cancellationToken) : null;
        if (notify)
        {
            config["Marquee:Outbox:PollSeconds"] = "0.2";
        }

        await using var app = await BenchHost.StartAsync(context.DataFolder, config, cancellationToken);
        if (discord is not null)
        {
            await NotificationScenario.CreateChannelAsync(app, discord, [.. NotificationTriggers.All], cancellationToken);
        }

        var url = new Uri(app.Address, $"/webhooks/plex/{Secret}");
        var inbox = app.Services.GetRequiredService<IInboxStore>();
        var before = await inbox.CountAsync(cancellationToken);
        var sizeBefore = FolderBytes(context.DataFolder);
        await using var generator = LoadGenerator.Create(Concurrency);
        context.Log.WriteLine($"{Name}: posting webhooks for {duration.TotalSeconds} s with {Concurrency} connections");

        var sampler = new BacklogSampler(app.Services.GetRequiredService<InboxBacklog>());
        var loadStart = TimeProvider.System.GetUtcNow();
        var m = Measurement.Start();
        var load = await generator.RunAsync(url, duration, maxRequests, Body, cancellationToken);
        m.Stop();
        var deliveredAtEnd = discord?.State.Messages.Count ?? 0;
        var deferredAtEnd = app.Services.GetRequiredService<NotificationDeferral>().Status();

        var drain = Stopwatch.StartNew();
        InboxCounts after;
        do
        {
            after = await inbox.CountAsync(cancellationToken);
            if (after.Count(InboxStatus.Pending) == 0)
            {
                break;
            }

            await Task.Delay(100, cancellationToken);
        }
        while (drain.Elapsed < TimeSpan.FromSeconds(120));
        drain.Stop();
        await sampler.DisposeAsync();
        (TimeSpan? ResumedAfter, double PerSecond)? catchUp = discord is null ? null : await CatchUpAsync(app, discord, context.Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(30), cancellationToken);
        var stored = after.ByStatus.Values.Sum() - before.ByStatus.Values.Sum();
        var growth = FolderBytes(context.DataFolder) - sizeBefore;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["requests/s"] = Math.Round(load.Accepted / Math.Max(load.Elapsed.TotalSeconds, 1e-6), 1),
            ["accepted"] = load.Accepted,
            ["errors"] = load.Errors,
            ["stored deliveries"] = stored,
            ["live events"] = after.LiveEvents - before.LiveEvents,
            ["latency p50 ms"] = load.Percentile(0.50),
            ["latency p95 ms"] = load.Percentile(0.95),
            ["latency p99 ms"] = load.Percentile(0.99),
            ["store growth MB"] = Math.Round(growth / 1048576.0, 2),
            ["store bytes per delivery"] = stored > 0 ? Math.Round((double)growth / stored) : 0,
            ["drain after load s"] = Math.Round(drain.Elapsed.TotalSeconds, 2),
            ["pending after drain"] = after.Count(InboxStatus.Pending),
            ["inbox backlog max"] = sampler.Max,
        };
        if (discord is not null)
        {
            metrics["notifications delivered by the end of the load"] = deliveredAtEnd;
            metrics["notifications delivered by the end of the drain"] = discord.State.Messages.Count;
            metrics["notification deferrals (inbox behind)"] = deferredAtEnd.Deferrals;
            metrics["notifications deferred at the end of the load"] = deferredAtEnd.Deferred ? 1 : 0;
            if (deferredAtEnd.Since is { } since)
            {
                metrics["notifications deferred from s into the load"] = Math.Round((since - loadStart).TotalSeconds, 2);
            }

            if (catchUp is { } c)
            {
                metrics["notifications resumed s after the drain"] = c.ResumedAfter is { } resumed ? Math.Round(resumed.TotalSeconds, 2) : -1;
                metrics["notifications/s after the drain"] = Math.Round(c.PerSecond, 1);
            }
        }

        var checks = new List<Check>
        {
            new("no errors", load.Errors == 0, load.Errors == 0 ? $"{load.Accepted} accepted" : $"{load.Errors} errors: {string.Join(", ", load.ErrorKinds.Select(e => $"{e.Key} x{e.Value}"))}"),
            new("nothing lost: every accepted delivery is in the inbox", stored == load.Accepted, $"{stored} stored, {load.Accepted} accepted"),
            new("the inbox drains (nothing left pending)", after.Count(InboxStatus.Pending) == 0, string.Join(", ", after.ByStatus.Select(p => $"{p.Key} {p.Value}"))),
        };
        return new ScenarioResult
        {
            Name = Name,
            Title = Title,
            Status = checks.All(c => c.Passed) ? ScenarioStatus.Ok : ScenarioStatus.Failed,
            Quick = context.Quick,
            Size = new Dictionary<string, long>(StringComparer.Ordinal) { ["seconds"] = (long)duration.TotalSeconds, ["max requests"] = maxRequests, ["connections"] = Concurrency },
            WallSeconds = Math.Round(m.Wall.TotalSeconds, 3),
            CpuSeconds = Math.Round(m.Cpu.TotalSeconds, 3),
            PeakRssBytes = m.PeakRss,
            BaselineRssBytes = m.BaselineRss,
            Requests = new Dictionary<string, long>(StringComparer.Ordinal) { [Endpoint] = load.Sent },
            TotalRequests = load.Sent,
            FloorRequests = load.Accepted,
            Metrics = metrics,
            Checks = checks,
        };
    }

    /// <summary>
    /// Watches the notifications after the inbox has drained, for <paramref name="watch"/>: when the feed stops waiting
    /// for the webhooks, and how many messages a second then arrive (the flood's notifications catching up).
    /// </summary>
    private static async Task<(TimeSpan? ResumedAfter, double PerSecond)> CatchUpAsync(BenchHost app, DiscordSimulator discord, TimeSpan watch, CancellationToken cancellationToken)
    {
        var deferral = app.Services.GetRequiredService<NotificationDeferral>();
        var clock = Stopwatch.StartNew();
        TimeSpan? resumed = null;
        var atResume = 0;
        while (clock.Elapsed < watch)
        {
            if (resumed is null && !deferral.Status().Deferred)
            {
                resumed = clock.Elapsed;
                atResume = discord.State.Messages.Count;
            }

            await Task.Delay(100, cancellationToken);
        }

        var since = resumed is { } r ? clock.Elapsed - r : TimeSpan.Zero;
        return (resumed, since > TimeSpan.Zero ? (discord.State.Messages.Count - atResume) / since.TotalSeconds : 0);
    }

    /// <summary>A media.scrobble as Plex posts it (multipart, payload part only); each one for another item so no two are identical.</summary>
    private static HttpContent Body(long n)
    {
        var payload = string.Create(
            CultureInfo.InvariantCulture,
            $$$"""{"event":"media.scrobble","user":true,"owner":true,"Account":{"id":8472915,"title":"owner"},"Server":{"title":"bench","uuid":"bench-server"},"Player":{"local":true,"title":"TV","uuid":"bench-player"},"Metadata":{"ratingKey":"{{{100_000 + n}}}","guid":"plex://movie/5d776b59ad5437{{{n:x10}}}","type":"movie","title":"Bench {{{n}}}","duration":6960000,"lastViewedAt":{{{1_750_000_000 + n}}}}}""");
        return Multipart(payload, "--------------------------bench" + n.ToString("x8", CultureInfo.InvariantCulture));
    }

    /// <summary>A Plex webhook as Plex posts it: multipart with the JSON in its <c>payload</c> part.</summary>
    internal static HttpContent Multipart(string payload, string boundary)
    {
        var content = new MultipartFormDataContent(boundary);
        var part = new StringContent(payload, Encoding.UTF8);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Add(part, "payload");
        return content;
    }

    private static long FolderBytes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
}
