namespace Marquee.Bench.Live;

/// <summary>What this build offers for live events; the live scenarios measure only what exists and say what does not.</summary>
internal static class LiveFeatures
{
    /// <summary>Gets why webhook ingest cannot be measured on this build, or null when it can.</summary>
    public static string? WebhookIngestMissing =>
        typeof(Marquee.Web.MarqueeBuilder).Assembly.GetType("Marquee.Web.Webhooks.WebhookEndpoints") is null
            ? "webhook ingest (POST /webhooks/plex/{secret}, issue live-events) is not in this build"
            : "webhook ingest exists in this build, but this benchmark has no driver for it yet";

    /// <summary>Gets why live propagation cannot be measured on this build, or null when it can.</summary>
    public static string? LivePropagationMissing =>
        typeof(Marquee.Core.Sync.SyncService).Assembly.GetType("Marquee.Core.Webhooks.InboxProcessor") is null
            ? "live events with targeted propagation (issue live-events) are not in this build"
            : "live events exist in this build, but this benchmark has no driver for them yet";
}

/// <summary>(5) Live event to target written: p50, p95, p99 over 1,000 playbacks.</summary>
public sealed class LiveLatencyScenario : IBenchScenario
{
    public string Name => "live-latency";

    public string Title => "live event to target written";

    public Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new ScenarioResult { Name = Name, Title = Title, Status = ScenarioStatus.NotAvailable, Reason = LiveFeatures.LivePropagationMissing, Quick = context.Quick });
}

/// <summary>(6) Webhook ingest for 60 s from a load generator on loopback.</summary>
public sealed class WebhookIngestScenario : IBenchScenario
{
    public string Name => "webhook-ingest";

    public string Title => "webhook ingest, 60 s";

    public Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new ScenarioResult { Name = Name, Title = Title, Status = ScenarioStatus.NotAvailable, Reason = LiveFeatures.WebhookIngestMissing, Quick = context.Quick });
}
