using Marquee.Bench.Live;
using Marquee.Bench.Sync;

namespace Marquee.Bench;

/// <summary>Every scenario, in the order they run.</summary>
public static class BenchScenarios
{
    public static IReadOnlyList<IBenchScenario> All { get; } =
    [
        new FirstSyncScenario(),
        new NoChangeScenario(),
        new OnePercentScenario(),
        new WritesScenario(),
        new PlexJellyfinScenario(),
        new ServeMemoryScenario(),
        new LiveLatencyScenario(),
        new WebhookIngestScenario(),
        new WebhookIngestScenario(notify: true),
        new NotificationScenario(),
        new Arr.ArrLibraryScenario(),
        new Care.SessionRulesScenario(),
        new Labels.LabelSyncScenario(),
        new TraktScenario(),
        new Ui.PagesScenario(),
    ];

    public static IBenchScenario? Find(string name) => All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
