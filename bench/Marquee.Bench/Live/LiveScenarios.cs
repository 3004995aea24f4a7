using Marquee.Core.Webhooks;

namespace Marquee.Bench.Live;

/// <summary>(5) Live event to target written: p50, p95, p99 over 1,000 playbacks.</summary>
public sealed class LiveLatencyScenario : IBenchScenario
{
    public string Name => "live-latency";

    public string Title => "live event to target written";

    /// <summary>Gets why live propagation cannot be measured on this build: events are stored, but no sink takes them to a target.</summary>
    public static string Missing
    {
        get
        {
            var sinks = new[] { typeof(ILiveEventSink).Assembly, typeof(Marquee.Web.MarqueeBuilder).Assembly, typeof(Marquee.Providers.Plex.PlexOptions).Assembly }
                .SelectMany(a => a.GetTypes())
                .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(ILiveEventSink).IsAssignableFrom(t))
                .Select(t => t.Name)
                .ToList();
            return sinks.Count == 0
                ? "webhooks are received and stored as live events (see webhook-ingest), but nothing propagates a live event to a target in this build (no ILiveEventSink implementation)"
                : $"a live event sink exists ({string.Join(", ", sinks)}), but this benchmark has no driver for it yet";
        }
    }

    public Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new ScenarioResult { Name = Name, Title = Title, Status = ScenarioStatus.NotAvailable, Reason = Missing, Quick = context.Quick });
}
