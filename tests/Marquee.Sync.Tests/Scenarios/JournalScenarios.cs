using System.Collections.Concurrent;
using Marquee.Core.Sync;
using Marquee.Data.Stores;
using Marquee.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>
/// How a run uses its journal (Plex to Plex, real store): the plan's earlier rows are read once, each write is journaled
/// planned before it is sent, and the outcomes are stored many per transaction, also when the run is stopped.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class JournalScenarios
{
    [Fact]
    public async Task AFullRun_ReadsItsJournalOnce_AndStoresTheOutcomes_ManyPerTransaction()
    {
        var counted = new CountingRunStore();
        await using var f = new PlexToPlexFixture { Register = counted.Register };
        var (movies, flow) = await WatchedOnTheSourceAsync(f);

        // Each write's planned row is stored before it is sent: the target shows none of them when their rows are stored.
        var shownBeforeStored = new ConcurrentBag<string>();
        counted.Planned = rows =>
        {
            foreach (var row in rows.Where(r => f.Target.View(f.Target.Owner, r.LocalKey!).ViewCount > 0))
            {
                shownBeforeStored.Add(row.LocalKey!);
            }
        };

        var first = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Done, first.Run.Status);
        Assert.Equal(movies.Count, first.Run.Written);
        Assert.Empty(shownBeforeStored);
        Assert.Equal(movies.Count, counted.Calls.GetValueOrDefault("planned"));
        Assert.Equal(0, counted.Calls.GetValueOrDefault(nameof(IRunStore.InsertWriteAsync)));
        Assert.InRange(counted.Calls.GetValueOrDefault(nameof(IRunStore.InsertWritesAsync)), 1, movies.Count);
        Assert.Equal(0, counted.Calls.GetValueOrDefault(nameof(IRunStore.FindWriteAsync)));
        Assert.Equal(1, counted.Calls.GetValueOrDefault(nameof(IRunStore.FindWritesAsync)));
        Assert.Equal(0, counted.Calls.GetValueOrDefault(nameof(IRunStore.UpdateWriteAsync)));
        Assert.Equal(movies.Count, counted.Calls.GetValueOrDefault("outcomes"));
        Assert.InRange(counted.Calls.GetValueOrDefault(nameof(IRunStore.UpdateWritesAsync)), 1, movies.Count - 1);
        var journal = await f.WithAsync(s => s.GetRequiredService<IRunStore>().ListWritesAsync(first.Run.Id, CancellationToken.None));
        Assert.Equal(movies.Count, journal.Count);
        Assert.All(journal, w => Assert.Equal(WriteStatus.Written, w.Status));
        Assert.All(movies, m => Assert.Equal(1, f.Target.View(f.Target.Owner, f.OnTarget(m)).ViewCount));

        // The baselines were stored with the outcomes: the next run sees its own writes and makes none.
        f.AdvanceClock(TimeSpan.FromHours(1));
        var rerun = await f.SyncAsync(flow, new SyncOptions { Trigger = "test", Force = true });
        Assert.Equal((RunStatus.Done, 0, 0), (rerun.Run.Status, rerun.Run.Planned, rerun.Run.Written));
    }

    [Fact]
    public async Task PlannedRowsTheStoreRefuses_StopTheRun_AndNoWriteIsSentWithoutItsRow()
    {
        var counted = new CountingRunStore();
        await using var f = new PlexToPlexFixture { Register = counted.Register };
        var (movies, flow) = await WatchedOnTheSourceAsync(f);

        // Each transaction of planned rows takes a while, so the writes that arrive meanwhile are planned together.
        var refused = f.OnTarget(movies[12]);
        counted.PlanDelay = TimeSpan.FromMilliseconds(30);
        counted.Refuse = row => row.LocalKey == refused;

        var run = await f.SyncAsync(flow);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains("the store refused a planned row", run.Run.Message, StringComparison.Ordinal);
        Assert.True(counted.Calls.GetValueOrDefault("planned together") > 1, "no transaction held more than one planned row");
        var journal = await f.WithAsync(s => s.GetRequiredService<IRunStore>().ListWritesAsync(run.Run.Id, CancellationToken.None));
        var shown = movies.Select(f.OnTarget).Where(m => f.Target.View(f.Target.Owner, m).ViewCount > 0).ToList();
        Assert.DoesNotContain(refused, shown);
        Assert.All(shown, m => Assert.Contains(journal, w => w.LocalKey == m && w.Status is WriteStatus.Written or WriteStatus.Planned));
        Assert.True(journal.Count < movies.Count, $"{journal.Count} rows journaled");
    }

    [Fact]
    public async Task AStoppedRun_StillJournalsEveryOutcomeItHad()
    {
        await using var f = new PlexToPlexFixture();
        var (movies, flow) = await WatchedOnTheSourceAsync(f);
        f.Target.SetWriteLatency(40);
        var onTarget = movies.Select(m => f.OnTarget(m)).ToList();
        var inFlight = new SyncRules().Concurrency;
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && onTarget.Count(m => f.Target.View(f.Target.Owner, m).ViewCount > 0) < inFlight + 4)
            {
                await Task.Delay(5);
            }

            await stop.CancelAsync();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.SyncAsync(flow, null, stop.Token));
        await watcher;

        var shown = onTarget.Where(m => f.Target.View(f.Target.Owner, m).ViewCount > 0).ToHashSet(StringComparer.Ordinal);
        Assert.InRange(shown.Count, inFlight + 4, movies.Count - 1);
        var runs = await f.WithAsync(s => s.GetRequiredService<IRunStore>().ListAsync(1, CancellationToken.None));
        var journal = await f.WithAsync(s => s.GetRequiredService<IRunStore>().ListWritesAsync(runs[0].Id, CancellationToken.None));
        var written = journal.Where(w => w.Status == WriteStatus.Written).ToList();

        // Every outcome the run had is stored: only the calls cut off in flight may stay planned (the next run re-reads them).
        Assert.All(written, w => Assert.Contains(w.LocalKey!, shown));
        Assert.InRange(written.Count, shown.Count - inFlight, shown.Count);
        Assert.All(journal, w => Assert.Contains(w.Status, new[] { WriteStatus.Written, WriteStatus.Planned, WriteStatus.Failed }));
    }

    /// <summary>Starts the fixture with 30 movies watched on the source only, and a flow of watched marks for the owner.</summary>
    private static async Task<(List<string> Movies, Core.Flows.Flow Flow)> WatchedOnTheSourceAsync(PlexToPlexFixture f)
    {
        await f.StartAsync();
        var movies = f.SharedMovies().Take(30).ToList();
        foreach (var movie in movies)
        {
            f.Source.Mark(f.Source.Owner, movie, true);
        }

        return (movies, await f.AddFlowAsync(features: ["watched"], profiles: ["owner"]));
    }

    /// <summary>The real run store, with each call counted by name (and the rows of batched outcome updates as "outcomes").</summary>
    private sealed class CountingRunStore
    {
        public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

        public void Register(IServiceCollection services) =>
            services.AddSingleton<IRunStore>(s => new Counted(s.GetRequiredService<RunStore>(), this));

        /// <summary>Gets or sets how long each transaction of planned rows takes beyond the store's own time.</summary>
        public TimeSpan PlanDelay { get; set; }

        /// <summary>Gets or sets which planned rows the store refuses (their whole transaction fails, as a broken constraint would).</summary>
        public Func<RunWrite, bool>? Refuse { get; set; }

        /// <summary>Gets or sets what is told of each transaction of planned rows, once it is stored.</summary>
        public Action<IReadOnlyList<RunWrite>>? Planned { get; set; }

        private void Count(string name, int by = 1) => Calls.AddOrUpdate(name, by, (_, n) => n + by);

        private sealed class Counted(IRunStore inner, CountingRunStore counts) : IRunStore
        {
            public Task<long> StartAsync(long? flowId, string flowName, string trigger, string? options, DateTimeOffset now, CancellationToken cancellationToken) =>
                inner.StartAsync(flowId, flowName, trigger, options, now, cancellationToken);

            public Task FinishAsync(SyncRun run, CancellationToken cancellationToken) => inner.FinishAsync(run, cancellationToken);

            public Task<IReadOnlyList<SyncRun>> ListAsync(int limit, CancellationToken cancellationToken) => inner.ListAsync(limit, cancellationToken);

            public Task<UndoStart> StartUndoAsync(long runId, long? flowId, string flowName, DateTimeOffset now, CancellationToken cancellationToken) =>
                inner.StartUndoAsync(runId, flowId, flowName, now, cancellationToken);

            public Task<SyncRun?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

            public Task<bool> HasCompletedRunAsync(long flowId, CancellationToken cancellationToken) => inner.HasCompletedRunAsync(flowId, cancellationToken);

            public Task<int> MarkInterruptedAsync(long flowId, DateTimeOffset now, CancellationToken cancellationToken) => inner.MarkInterruptedAsync(flowId, now, cancellationToken);

            public Task<RunWrite?> FindWriteAsync(string idempotencyKey, CancellationToken cancellationToken)
            {
                counts.Count(nameof(FindWriteAsync));
                return inner.FindWriteAsync(idempotencyKey, cancellationToken);
            }

            public Task<IReadOnlyDictionary<string, RunWrite>> FindWritesAsync(IReadOnlyCollection<string> idempotencyKeys, CancellationToken cancellationToken)
            {
                counts.Count(nameof(FindWritesAsync));
                return inner.FindWritesAsync(idempotencyKeys, cancellationToken);
            }

            public Task<IReadOnlyList<RunWrite>> ListUncertainWritesAsync(long flowId, CancellationToken cancellationToken) => inner.ListUncertainWritesAsync(flowId, cancellationToken);

            public Task<RunWrite?> FindLastWriteAsync(long connectionId, long accountId, string localKey, CancellationToken cancellationToken) =>
                inner.FindLastWriteAsync(connectionId, accountId, localKey, cancellationToken);

            public Task<long> InsertWriteAsync(RunWrite write, CancellationToken cancellationToken)
            {
                counts.Count(nameof(InsertWriteAsync));
                return inner.InsertWriteAsync(write, cancellationToken);
            }

            public async Task<IReadOnlyList<long>> InsertWritesAsync(IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken)
            {
                counts.Count(nameof(InsertWritesAsync));
                counts.Count("planned", writes.Count);
                if (writes.Count > 1)
                {
                    counts.Count("planned together", writes.Count);
                }

                await Task.Delay(counts.PlanDelay, cancellationToken);
                if (counts.Refuse is { } refuse && writes.Any(refuse))
                {
                    throw new InvalidOperationException("the store refused a planned row");
                }

                var ids = await inner.InsertWritesAsync(writes, cancellationToken);
                counts.Planned?.Invoke(writes);
                return ids;
            }

            public Task UpdateWriteAsync(long id, long runId, string status, string? after, string? error, DateTimeOffset? writtenAt, CancellationToken cancellationToken)
            {
                counts.Count(nameof(UpdateWriteAsync));
                return inner.UpdateWriteAsync(id, runId, status, after, error, writtenAt, cancellationToken);
            }

            public Task UpdateWritesAsync(IReadOnlyList<WriteOutcome> outcomes, CancellationToken cancellationToken)
            {
                counts.Count(nameof(UpdateWritesAsync));
                counts.Count("outcomes", outcomes.Count);
                return inner.UpdateWritesAsync(outcomes, cancellationToken);
            }

            public Task SetNotTakenAsync(long id, int notTaken, CancellationToken cancellationToken) => inner.SetNotTakenAsync(id, notTaken, cancellationToken);

            public Task ReplanWriteAsync(long id, long runId, string? before, string? after, CancellationToken cancellationToken) => inner.ReplanWriteAsync(id, runId, before, after, cancellationToken);

            public Task<IReadOnlyList<RunWrite>> ListWritesAsync(long runId, CancellationToken cancellationToken) => inner.ListWritesAsync(runId, cancellationToken);
        }
    }
}
