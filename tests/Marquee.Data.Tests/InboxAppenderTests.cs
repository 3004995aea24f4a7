using System.Text;
using Marquee.Core.Webhooks;
using Marquee.Data.Stores;

namespace Marquee.Data.Tests;

/// <summary>Group commit of webhook deliveries (<see cref="InboxAppender"/>) on a real SQLite file.</summary>
public sealed class InboxAppenderTests : StoreTestBase
{
    [Fact]
    public async Task ConcurrentDeliveries_AreCommittedTogether_AndEachGetsItsOwnStoredRow()
    {
        var store = new GatedStore(new InboxStore(Provider));
        var appender = new InboxAppender(store);

        // The first commit is held until 50 more deliveries are queued behind it.
        var first = appender.AddAsync(Delivery(0), CancellationToken.None);
        await store.FirstCommitStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var rest = Enumerable.Range(1, 50).Select(i => appender.AddAsync(Delivery(i), CancellationToken.None)).ToList();
        store.Open();
        var ids = await Task.WhenAll(rest.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(51, ids.Distinct().Count());
        for (var i = 0; i < ids.Length; i++)
        {
            var stored = await store.GetAsync(ids[i], CancellationToken.None);
            Assert.Equal($"payload {i}", Encoding.UTF8.GetString(stored!.Body));
        }

        // One commit for the first and one for the 50 queued behind it: not one per delivery.
        Assert.Equal(2, store.Commits);
        Assert.Equal([1, 50], store.BatchSizes);
    }

    [Fact]
    public async Task AFailedCommit_FailsEveryDeliveryInIt_AndStoresNone_ThenTheNextCommitWorks()
    {
        var store = new GatedStore(new InboxStore(Provider)) { FailNext = true };
        var appender = new InboxAppender(store);
        var first = appender.AddAsync(Delivery(0), CancellationToken.None);
        await store.FirstCommitStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = Enumerable.Range(1, 5).Select(i => appender.AddAsync(Delivery(i), CancellationToken.None)).ToList();
        store.Open();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        var id = await appender.AddAsync(Delivery(9), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var counts = await store.CountAsync(CancellationToken.None);

        // The queued ones went in the commit after the failed one, and the delivery after that in its own.
        Assert.All(await Task.WhenAll(queued), queuedId => Assert.True(queuedId > 0));
        Assert.Equal(6, counts.Count(InboxStatus.Pending));
        Assert.NotNull(await store.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task ARequestThatStopsWaiting_StillHasItsDeliveryStored()
    {
        var store = new GatedStore(new InboxStore(Provider));
        var appender = new InboxAppender(store);
        using var gone = new CancellationTokenSource();
        var waiting = appender.AddAsync(Delivery(0), gone.Token);
        await store.FirstCommitStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        store.Open();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await store.CountAsync(CancellationToken.None)).Count(InboxStatus.Pending) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, (await store.CountAsync(CancellationToken.None)).Count(InboxStatus.Pending));
    }

    [Fact]
    public async Task AddMany_IsAllOrNothing()
    {
        var store = new InboxStore(Provider);
        var broken = Delivery(1) with { Body = null! };

        await Assert.ThrowsAnyAsync<Exception>(() => store.AddManyAsync([Delivery(0), broken, Delivery(2)], CancellationToken.None));

        Assert.Empty((await store.CountAsync(CancellationToken.None)).ByStatus);
        var ids = await store.AddManyAsync([Delivery(3), Delivery(4)], CancellationToken.None);
        Assert.Equal(2, ids.Count);
        Assert.Equal("payload 4", Encoding.UTF8.GetString((await store.GetAsync(ids[1], CancellationToken.None))!.Body));
    }

    private static InboxDelivery Delivery(int n) =>
        new(0, "plex", Now, "application/json", "{}", Encoding.UTF8.GetBytes($"payload {n}"), $"hash-{n}", InboxStatus.Pending, 0, null, null);

    /// <summary>The real store, with its first commit held at a gate (and optionally failed), counting commits.</summary>
    private sealed class GatedStore(InboxStore inner) : IInboxStore
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource FirstCommitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool FailNext { get; set; }

        public int Commits { get; private set; }

        public List<int> BatchSizes { get; } = [];

        public void Open() => _gate.TrySetResult();

        public async Task<IReadOnlyList<long>> AddManyAsync(IReadOnlyList<InboxDelivery> deliveries, CancellationToken cancellationToken)
        {
            Commits++;
            BatchSizes.Add(deliveries.Count);
            FirstCommitStarted.TrySetResult();
            await _gate.Task;
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("The store failed.");
            }

            return await inner.AddManyAsync(deliveries, cancellationToken);
        }

        public Task<long> AddAsync(InboxDelivery delivery, CancellationToken cancellationToken) => inner.AddAsync(delivery, cancellationToken);

        public Task<IReadOnlyList<InboxDelivery>> ListPendingAsync(int limit, CancellationToken cancellationToken) => inner.ListPendingAsync(limit, cancellationToken);

        public Task StartAttemptAsync(long id, CancellationToken cancellationToken) => inner.StartAttemptAsync(id, cancellationToken);

        public Task<IReadOnlyList<LiveEvent>> CompleteAsync(long id, IReadOnlyList<LiveEvent> events, byte[] keep, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.CompleteAsync(id, events, keep, now, cancellationToken);

        public Task<int> PruneHandledAsync(DateTimeOffset handledBefore, CancellationToken cancellationToken) => inner.PruneHandledAsync(handledBefore, cancellationToken);

        public Task<IReadOnlyList<LiveEvent>> AddEventsAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken) => inner.AddEventsAsync(events, cancellationToken);

        public Task FailAsync(long id, string error, bool giveUp, DateTimeOffset now, CancellationToken cancellationToken) => inner.FailAsync(id, error, giveUp, now, cancellationToken);

        public Task<InboxDelivery?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<InboxCounts> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

        public Task SetOutcomeAsync(long eventId, string outcome, CancellationToken cancellationToken) => inner.SetOutcomeAsync(eventId, outcome, cancellationToken);

        public Task<IReadOnlyList<LiveEvent>> ListEventsAsync(int limit, CancellationToken cancellationToken) => inner.ListEventsAsync(limit, cancellationToken);
    }
}
