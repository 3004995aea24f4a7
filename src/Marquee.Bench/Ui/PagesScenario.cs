using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Marquee.Bench.Infrastructure;
using Marquee.Bench.Live;
using Marquee.Core.Sync;
using Marquee.Core.Webhooks;
using Marquee.Hosting.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Bench.Ui;

/// <summary>
/// (8) Web UI pages over a full store: 10,000 runs and 50,000 live events; every page (lists are paged) must render in under
/// 100 ms, measured as the round trip on loopback (server time plus a little). Quick: a tenth of the store.
/// </summary>
public sealed partial class PagesScenario : IBenchScenario
{
    private const int Repeats = 20;
    private const string Password = "bench password 1";

    public string Name => "ui-pages";

    public string Title => "web UI pages, 10,000 runs and 50,000 live events";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var runs = context.Quick ? 1_000 : 10_000;
        var events = context.Quick ? 5_000 : 50_000;
        await using var app = await BenchHost.StartAsync(context.DataFolder, new Dictionary<string, string?> { ["Marquee:Scheduler:Enabled"] = "false", ["Marquee:Care:Enabled"] = "false" }, cancellationToken);
        context.Log.WriteLine($"{Name}: filling the store with {runs} runs and {events} live events");
        var lastRun = await FillRunsAsync(app.Services.GetRequiredService<IRunStore>(), runs, cancellationToken);
        await FillEventsAsync(app.Services.GetRequiredService<IInboxStore>(), events, cancellationToken);
        app.Services.GetRequiredService<AdminAccount>().TryCreate("admin", Password);

        // A browser's client: its own cookie jar (the session), no redirects followed.
        await using var services = new ServiceCollection().AddHttpClient("ui").ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer(), UseProxy = false }).Services.BuildServiceProvider();
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("ui");
        client.BaseAddress = app.Address;
        await LogInAsync(client, cancellationToken);
        string[] pages =
        [
            "/", "/runs", $"/runs?before={lastRun / 2}", $"/runs/{lastRun}", "/events", $"/events?before={events / 2}", "/unresolved", "/deliveries",
            "/connections", "/flows", "/profiles", "/notifications", "/care",
        ];

        var m = Measurement.Start();
        var slowest = new Dictionary<string, double>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var page in pages)
        {
            var times = new List<double>();
            for (var i = 0; i < Repeats + 2; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.GetAsync(page, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                watch.Stop();
                if (response.StatusCode != HttpStatusCode.OK || !body.Contains("<main", StringComparison.Ordinal))
                {
                    failures.Add($"{page}: {(int)response.StatusCode}");
                    break;
                }

                // The first two warm the page up (JIT, SQLite's cache).
                if (i >= 2)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            slowest[page] = times.Count == 0 ? double.NaN : Percentile(times, 0.95);
        }

        m.Stop();
        var worst = slowest.Values.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Max();
        var worstPage = slowest.MaxBy(p => p.Value).Key;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (page, ms) in slowest)
        {
            metrics[$"{page} p95 ms"] = Math.Round(ms, 2);
        }

        var checks = new List<Check>
        {
            new("every page answers 200 with its content", failures.Count == 0, failures.Count == 0 ? $"{pages.Length} pages" : string.Join("; ", failures)),
            new("every page under 100 ms (p95)", worst < 100, $"slowest {worstPage}: p95 {worst:0.##} ms"),
        };
        return new ScenarioResult
        {
            Name = Name,
            Title = Title,
            Status = checks.All(c => c.Passed) ? ScenarioStatus.Ok : ScenarioStatus.Failed,
            Quick = context.Quick,
            Size = new Dictionary<string, long>(StringComparer.Ordinal) { ["runs"] = runs, ["live events"] = events, ["pages"] = pages.Length, ["requests per page"] = Repeats },
            WallSeconds = Math.Round(m.Wall.TotalSeconds, 3),
            CpuSeconds = Math.Round(m.Cpu.TotalSeconds, 3),
            PeakRssBytes = m.PeakRss,
            BaselineRssBytes = m.BaselineRss,
            Metrics = metrics,
            Checks = checks,
        };
    }

    private static async Task<long> FillRunsAsync(IRunStore store, int count, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        long last = 0;
        for (var i = 0; i < count; i++)
        {
            var at = start.AddMinutes(i * 15);
            last = await store.StartAsync(null, $"flow-{i % 5}", "schedule", null, at, cancellationToken);
            await store.FinishAsync(
                new SyncRun(last, null, $"flow-{i % 5}", "schedule", i % 50 == 0 ? RunStatus.Failed : RunStatus.Done, at, at.AddSeconds(30), 10, 8, 1, 1, 0, new Dictionary<string, long> { ["plex-a GET /library/sections/{id}/all"] = 6 }, null),
                cancellationToken);
        }

        return last;
    }

    private static async Task FillEventsAsync(IInboxStore store, int count, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        const int Batch = 1_000;
        for (var i = 0; i < count; i += Batch)
        {
            var batch = Enumerable.Range(i, Math.Min(Batch, count - i))
                .Select(n => new LiveEvent("plex", "webhook", "server-1", $"{n % 40}", $"user-{n % 40}", $"/library/metadata/{n}", $"plex://movie/{n}", "movie", "watched", "true", start.AddSeconds(n * 30))
                {
                    EventType = n % 3 == 0 ? LiveEventType.Play : LiveEventType.Scrobble,
                    Title = $"Movie {n}",
                })
                .ToList();
            await store.AddEventsAsync(batch, cancellationToken);
        }
    }

    private static async Task LogInAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var page = await client.GetStringAsync("/login", cancellationToken);
        var token = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__token"] = token, ["user"] = "admin", ["password"] = Password });
        using var response = await client.PostAsync("/login", form, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"the benchmark could not log in: {(int)response.StatusCode}");
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    [GeneratedRegex("name=\"__token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
