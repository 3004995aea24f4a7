using Marquee.Bench.Sync;
using Marquee.Core.Sync;

namespace Marquee.Bench.Tests;

/// <summary>
/// The journal knows a write by its idempotency key: a key planned twice in one run would take the second write for the
/// first (found already written, or journaled over the first's row), so one of them would be lost or sent twice. The
/// plan makes one entry per item, side and feature (an item's copies on one server are one entry, written to the base
/// version), so a two-way first sync over diverged accounts of a library with editions and 4K copies plans each key once
/// and each listed copy at most once per feature, and sends every write it plans.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class PlanKeyTests
{
    [Fact]
    public async Task TwoWayFirstSync_WithEditionsAndCopies_PlansEachKeyOnce()
    {
        await using var set = await TwoWayWorld.StartAsync(new WorldSize(Movies: 150, Shows: 6, LatencyMs: 0, Differing: 0.1), diverge: (0.2, 3));
        var (world, flow) = (set.World, set.Flow);

        var report = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, report.Run.Status);
        var sent = report.Plan.Where(w => w.SkipReason is null).ToList();
        Assert.True(sent.Count > 100, $"{sent.Count} writes planned");
        Assert.True(sent.Select(w => w.AccountId).Distinct().Count() > 2, "writes for more than two accounts");
        var repeatedKeys = report.Plan.GroupBy(w => w.IdempotencyKey, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(repeatedKeys);
        var repeatedCopies = report.Plan.GroupBy(w => (w.ConnectionId, w.AccountId, w.LocalKey, w.Feature)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(repeatedCopies);
        Assert.All(sent, w => Assert.Equal(WriteStatus.Written, report.Outcomes[w.IdempotencyKey]));
        Assert.Equal(sent.Count, report.Run.Written);
    }
}
