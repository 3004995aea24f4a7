using System.Runtime.CompilerServices;
using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marquee.Bench.Infrastructure;

/// <summary>Wraps every registered provider kind and the sync stores so a run's wall time can be split into phases.</summary>
public static class TimedProviders
{
    public static IServiceCollection AddPhaseTiming(this IServiceCollection services, PhaseTimer timer)
    {
        var descriptors = services.Where(d => d.ServiceType == typeof(IProviderDescriptor)).ToList();
        foreach (var descriptor in descriptors)
        {
            services.Remove(descriptor);
            services.AddSingleton<IProviderDescriptor>(sp => new TimedDescriptor((IProviderDescriptor)Resolve(sp, descriptor), timer));
        }

        Decorate<ILedgerStore>(services, (inner, _) => new TimedLedgerStore(inner, timer));
        Decorate<IIdentityStore>(services, (inner, _) => new TimedIdentityStore(inner, timer));
        Decorate<IRunStore>(services, (inner, _) => new TimedRunStore(inner, timer));
        return services;
    }

    private static void Decorate<T>(IServiceCollection services, Func<T, IServiceProvider, T> wrap)
        where T : class
    {
        var existing = services.Last(d => d.ServiceType == typeof(T));
        services.RemoveAll<T>();
        services.AddSingleton(sp => wrap((T)Resolve(sp, existing), sp));
    }

    private static object Resolve(IServiceProvider sp, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!);

    private sealed class TimedDescriptor(IProviderDescriptor inner, PhaseTimer timer) : IProviderDescriptor
    {
        public string Kind => inner.Kind;

        public string DisplayName => inner.DisplayName;

        public Type SettingsType => inner.SettingsType;

        public Type ProviderType => inner.ProviderType;

        public ProviderCapabilities Capabilities => inner.Capabilities;

        public IReadOnlyList<FieldProblem> Validate(ProviderSettings settings) => inner.Validate(settings);

        public IProvider Create(ProviderSettings settings, ProviderContext context) => new TimedProvider(inner.Create(settings, context), timer);
    }

    /// <summary>Forwards every write capability; the run asks the inner kind's <see cref="ProviderCapabilities"/> before it uses one.</summary>
    private sealed class TimedProvider(IProvider inner, PhaseTimer timer) : IProvider, IWatchStateSource, IWatchStateSink, IProgressSink, IRatingSink, IAccountDirectory
    {
        public Task<IReadOnlyList<FieldProblem>> TestAsync(CancellationToken cancellationToken) => inner.TestAsync(cancellationToken);

        public Task<IReadOnlyList<ProviderAccount>> ListAccountsAsync(CancellationToken cancellationToken) =>
            ((IAccountDirectory)inner).ListAccountsAsync(cancellationToken);

        public string? Incomplete => ((IAccountDirectory)inner).Incomplete;

        public async IAsyncEnumerable<SourceItemState> ReadAsync(ProviderAccount account, WatchStateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            timer.ListingStarted?.Invoke(account);
            await using var items = ((IWatchStateSource)inner).ReadAsync(account, query, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                timer.StartRead();
                var more = false;
                try
                {
                    more = await items.MoveNextAsync();
                }
                finally
                {
                    timer.EndRead(more ? 1 : 0);
                }
                if (!more)
                {
                    yield break;
                }

                timer.ItemListed?.Invoke(account, items.Current);
                yield return items.Current;
            }
        }

        public Task<SourceItemState?> ReadItemAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken) =>
            ((IWatchStateSource)inner).ReadItemAsync(account, localKey, cancellationToken);

        public Task<IReadOnlyDictionary<string, SourceItemState>> ReadItemsAsync(ProviderAccount account, IReadOnlyCollection<string> localKeys, CancellationToken cancellationToken) =>
            ((IWatchStateSource)inner).ReadItemsAsync(account, localKeys, cancellationToken);

        public Task MarkWatchedAsync(ProviderAccount account, string localKey, DateTimeOffset? watchedAt, CancellationToken cancellationToken) =>
            timer.TimeWriteAsync(() => Sink.MarkWatchedAsync(account, localKey, watchedAt, cancellationToken));

        public Task MarkUnwatchedAsync(ProviderAccount account, string localKey, CancellationToken cancellationToken) =>
            timer.TimeWriteAsync(() => Sink.MarkUnwatchedAsync(account, localKey, cancellationToken));

        public Task SetProgressAsync(ProviderAccount account, string localKey, long positionMs, long durationMs, CancellationToken cancellationToken) =>
            timer.TimeWriteAsync(() => ((IProgressSink)inner).SetProgressAsync(account, localKey, positionMs, durationMs, cancellationToken));

        public Task SetRatingAsync(ProviderAccount account, string localKey, double? rating, DateTimeOffset? ratedAt, CancellationToken cancellationToken) =>
            timer.TimeWriteAsync(() => ((IRatingSink)inner).SetRatingAsync(account, localKey, rating, ratedAt, cancellationToken));

        private IWatchStateSink Sink => (IWatchStateSink)inner;
    }

    private sealed class TimedLedgerStore(ILedgerStore inner, PhaseTimer timer) : ILedgerStore
    {
        public async Task<IReadOnlyDictionary<string, ObservedState>> LoadBaselinesAsync(long accountId, KeyShare? share, CancellationToken cancellationToken)
        {
            var baselines = await timer.TimeStoreAsync(() => inner.LoadBaselinesAsync(accountId, share, cancellationToken));
            timer.BaselinesLoaded?.Invoke(baselines);
            return baselines;
        }

        public Task<IReadOnlyDictionary<string, ObservedState>> LoadBaselinesAsync(long accountId, IReadOnlyCollection<string> localKeys, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.LoadBaselinesAsync(accountId, localKeys, cancellationToken));

        public Task<bool> HasBaselinesAsync(long accountId, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.HasBaselinesAsync(accountId, cancellationToken));

        public Task<IReadOnlyDictionary<long, LedgerState>> LoadStatesAsync(long profileId, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.LoadStatesAsync(profileId, cancellationToken));

        public Task<IReadOnlyDictionary<long, LedgerState>> LoadStatesAsync(long profileId, IReadOnlyCollection<long> itemIds, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.LoadStatesAsync(profileId, itemIds, cancellationToken));

        public Task<ObservedState?> LoadBaselineAsync(long accountId, string localKey, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.LoadBaselineAsync(accountId, localKey, cancellationToken));

        public Task<LedgerState?> LoadStateAsync(long profileId, long itemId, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.LoadStateAsync(profileId, itemId, cancellationToken));

        public Task CommitAsync(LedgerCommit commit, CancellationToken cancellationToken)
        {
            timer.LedgerCommitting?.Invoke(commit);
            return timer.TimeStoreAsync(() => inner.CommitAsync(commit, cancellationToken));
        }

        public Task<IReadOnlyList<LedgerEvent>> HistoryAsync(long profileId, long? itemId, int limit, CancellationToken cancellationToken) =>
            inner.HistoryAsync(profileId, itemId, limit, cancellationToken);

        public Task<int> DeleteProfileDataAsync(long profileId, bool history, bool state, CancellationToken cancellationToken) =>
            inner.DeleteProfileDataAsync(profileId, history, state, cancellationToken);
    }

    private sealed class TimedIdentityStore(IIdentityStore inner, PhaseTimer timer) : IIdentityStore
    {
        public async Task<IdentitySnapshot> LoadAsync(CancellationToken cancellationToken)
        {
            var snapshot = await timer.TimeStoreAsync(() => inner.LoadAsync(cancellationToken));
            timer.SnapshotLoaded?.Invoke(snapshot);
            return snapshot;
        }

        public Task<IdentitySnapshot> LoadForAsync(IReadOnlyCollection<ExternalId> ids, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.LoadForAsync(ids, cancellationToken));

        public Task<IdentitySnapshot> LoadForAsync(long connectionId, string localKey, IReadOnlyCollection<ExternalId> ids, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.LoadForAsync(connectionId, localKey, ids, cancellationToken));

        public Task<IReadOnlyDictionary<long, long>> SaveAsync(IdentityChanges changes, CancellationToken cancellationToken)
        {
            timer.IdentitySaving?.Invoke(changes);
            return timer.TimeStoreAsync(() => inner.SaveAsync(changes, cancellationToken));
        }

        public Task ReplaceUnresolvedAsync(long connectionId, IReadOnlyList<UnresolvedItem> items, DateTimeOffset now, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.ReplaceUnresolvedAsync(connectionId, items, now, cancellationToken));

        public Task<IReadOnlyList<UnresolvedItem>> ListUnresolvedAsync(CancellationToken cancellationToken) => inner.ListUnresolvedAsync(cancellationToken);

        public Task<IReadOnlyDictionary<long, LedgerItem>> GetItemsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.GetItemsAsync(ids, cancellationToken));
    }

    private sealed class TimedRunStore(IRunStore inner, PhaseTimer timer) : IRunStore
    {
        public Task<long> StartAsync(long? flowId, string flowName, string trigger, string? options, DateTimeOffset now, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.StartAsync(flowId, flowName, trigger, options, now, cancellationToken));

        public Task FinishAsync(SyncRun run, CancellationToken cancellationToken) => timer.TimeStoreAsync(() => inner.FinishAsync(run, cancellationToken));

        public Task<IReadOnlyList<SyncRun>> ListAsync(int limit, CancellationToken cancellationToken) => inner.ListAsync(limit, cancellationToken);

        public Task<SyncRun?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<bool> HasCompletedRunAsync(long flowId, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.HasCompletedRunAsync(flowId, cancellationToken));

        public Task<int> MarkInterruptedAsync(long flowId, DateTimeOffset now, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.MarkInterruptedAsync(flowId, now, cancellationToken));

        public Task<RunWrite?> FindWriteAsync(string idempotencyKey, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.FindWriteAsync(idempotencyKey, cancellationToken));

        public Task<IReadOnlyDictionary<string, RunWrite>> FindWritesAsync(IReadOnlyCollection<string> idempotencyKeys, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.FindWritesAsync(idempotencyKeys, cancellationToken));

        public Task UpdateWritesAsync(IReadOnlyList<WriteOutcome> outcomes, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.UpdateWritesAsync(outcomes, cancellationToken));

        public Task<IReadOnlyList<RunWrite>> ListUncertainWritesAsync(long flowId, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.ListUncertainWritesAsync(flowId, cancellationToken));

        public Task<RunWrite?> FindLastWriteAsync(long connectionId, long accountId, string localKey, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.FindLastWriteAsync(connectionId, accountId, localKey, cancellationToken));

        public Task<long> InsertWriteAsync(RunWrite write, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.InsertWriteAsync(write, cancellationToken));

        public Task<IReadOnlyList<long>> InsertWritesAsync(IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.InsertWritesAsync(writes, cancellationToken));

        public Task UpdateWriteAsync(long id, long runId, string status, string? after, string? error, DateTimeOffset? writtenAt, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.UpdateWriteAsync(id, runId, status, after, error, writtenAt, cancellationToken));

        public Task SetNotTakenAsync(long id, int notTaken, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.SetNotTakenAsync(id, notTaken, cancellationToken));

        public Task ReplanWriteAsync(long id, long runId, string? before, string? after, CancellationToken cancellationToken) =>
            timer.TimeStoreAsync(() => inner.ReplanWriteAsync(id, runId, before, after, cancellationToken));

        public Task<UndoStart> StartUndoAsync(long runId, long? flowId, string flowName, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.StartUndoAsync(runId, flowId, flowName, now, cancellationToken);

        public Task<IReadOnlyList<RunWrite>> ListWritesAsync(long runId, CancellationToken cancellationToken) => inner.ListWritesAsync(runId, cancellationToken);
    }
}
