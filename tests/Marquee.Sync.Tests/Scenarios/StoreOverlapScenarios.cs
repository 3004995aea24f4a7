using Marquee.Core.Sync;
using Marquee.Data.Stores;
using Marquee.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>
/// A full run reads a profile's baselines and states from the store while it reads the servers (Plex to Plex, real
/// store): the store is asked before the listings are done, and the run's outcome is that of reading one after the other.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class StoreOverlapScenarios
{
    [Fact]
    public async Task AFullRun_LoadsBaselinesAndStates_WhileTheListingsAreRead()
    {
        Func<long>? listed = null;
        var seen = new List<(string Load, long Listed)>();
        await using var f = new PlexToPlexFixture
        {
            Register = s => s.AddSingleton<ILedgerStore>(p => new Watched(ActivatorUtilities.CreateInstance<LedgerStore>(p), load => { lock (seen) { seen.Add((load, listed?.Invoke() ?? -1)); } })),
        };
        await f.StartAsync();
        listed = () => f.Target.Requests.Where(r => r.Key.EndsWith("/all", StringComparison.Ordinal)).Sum(r => r.Value);
        var movies = f.SharedMovies().Take(3).ToList();
        foreach (var movie in movies)
        {
            f.Source.Mark(f.Source.Owner, movie, true);
        }

        var flow = await f.AddFlowAsync(features: ["watched"], profiles: ["owner"]);
        await f.SyncAsync(flow);
        f.AdvanceClock(TimeSpan.FromHours(1));
        f.Target.ResetRequests();
        lock (seen)
        {
            seen.Clear();
        }

        var full = await f.SyncAsync(flow, new SyncOptions { Trigger = "test", Force = true });

        Assert.Equal((RunStatus.Done, 0), (full.Run.Status, full.Run.Planned));
        var pages = listed();
        Assert.True(pages >= 3, $"the target's listings took {pages} pages");
        Assert.Equal(["baselines", "baselines", "states"], seen.Select(s => s.Load).Order());

        // Asked for while the target was still being listed: before its last listing page was asked for.
        Assert.All(seen, s => Assert.InRange(s.Listed, 0, pages - 1));
        Assert.All(movies, m => Assert.Equal(1, f.Target.View(f.Target.Owner, f.OnTarget(m)).ViewCount));
    }

    /// <summary>The real ledger store, telling each whole-account or whole-profile load as it starts.</summary>
    private sealed class Watched(ILedgerStore inner, Action<string> loading) : ILedgerStore
    {
        public Task<IReadOnlyDictionary<string, ObservedState>> LoadBaselinesAsync(long accountId, KeyShare? share, CancellationToken cancellationToken)
        {
            loading("baselines");
            return inner.LoadBaselinesAsync(accountId, share, cancellationToken);
        }

        public Task<IReadOnlyDictionary<string, ObservedState>> LoadBaselinesAsync(long accountId, IReadOnlyCollection<string> localKeys, CancellationToken cancellationToken) =>
            inner.LoadBaselinesAsync(accountId, localKeys, cancellationToken);

        public Task<bool> HasBaselinesAsync(long accountId, CancellationToken cancellationToken) => inner.HasBaselinesAsync(accountId, cancellationToken);

        public Task<IReadOnlyDictionary<long, LedgerState>> LoadStatesAsync(long profileId, CancellationToken cancellationToken)
        {
            loading("states");
            return inner.LoadStatesAsync(profileId, cancellationToken);
        }

        public Task<IReadOnlyDictionary<long, LedgerState>> LoadStatesAsync(long profileId, IReadOnlyCollection<long> itemIds, CancellationToken cancellationToken) =>
            inner.LoadStatesAsync(profileId, itemIds, cancellationToken);

        public Task<ObservedState?> LoadBaselineAsync(long accountId, string localKey, CancellationToken cancellationToken) => inner.LoadBaselineAsync(accountId, localKey, cancellationToken);

        public Task<LedgerState?> LoadStateAsync(long profileId, long itemId, CancellationToken cancellationToken) => inner.LoadStateAsync(profileId, itemId, cancellationToken);

        public Task CommitAsync(LedgerCommit commit, CancellationToken cancellationToken) => inner.CommitAsync(commit, cancellationToken);

        public Task<IReadOnlyList<LedgerEvent>> HistoryAsync(long profileId, long? itemId, int limit, CancellationToken cancellationToken) => inner.HistoryAsync(profileId, itemId, limit, cancellationToken);

        public Task<int> DeleteProfileDataAsync(long profileId, bool history, bool state, CancellationToken cancellationToken) =>
            inner.DeleteProfileDataAsync(profileId, history, state, cancellationToken);
    }
}
