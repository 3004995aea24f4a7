using System.Collections.Concurrent;

namespace Marquee.Core.Webhooks;

/// <summary>
/// Stores webhook deliveries with group commit: the deliveries of requests that arrive while a commit is running are
/// stored together in the next one, so concurrent senders share one transaction instead of queuing for the
/// database's write lock one by one. Each caller still gets its answer only after its own delivery is committed
/// (nothing is acknowledged before it is stored), and a failed commit fails every delivery in it, so each sender
/// retries. No thread of its own: whoever finds no commit running commits what is queued, until the queue is empty.
/// </summary>
public sealed class InboxAppender(IInboxStore store, InboxBacklog? backlog = null)
{
    /// <summary>The most deliveries one transaction stores; a longer queue is committed in several.</summary>
    public const int MaxBatch = 256;

    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _committing;

    /// <summary>Stores <paramref name="delivery"/> and returns its id once it is committed.</summary>
    public Task<long> AddAsync(InboxDelivery delivery, CancellationToken cancellationToken)
    {
        var pending = new Pending(delivery, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _committing, 1, 0) == 0)
        {
            // A short-lived loop of its own rather than this request's: under steady load the queue may not empty for
            // a while, and the request that started the loop must not wait for other requests' commits.
            _ = Task.Run(CommitQueuedAsync, CancellationToken.None);
        }

        // A request that goes away still has its delivery committed (or failed) by the loop; it only stops waiting.
        // The sender sees no answer and sends again, and the payload hash makes the repeat a pointer to the first.
        return pending.Stored.Task.WaitAsync(cancellationToken);
    }

    private async Task CommitQueuedAsync()
    {
        var batch = new List<Pending>();
        while (true)
        {
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch);
                batch.Clear();
                continue;
            }

            // Released before the last look, so a delivery queued after the last dequeue is never left behind: either
            // its own request starts a loop, or this one sees it and takes the commit back.
            Volatile.Write(ref _committing, 0);
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _committing, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        try
        {
            // Not the caller's token: the other deliveries in the batch belong to other requests.
            var ids = await store.AddManyAsync(batch.ConvertAll(p => p.Delivery), CancellationToken.None);
            backlog?.Stored(batch.Count(p => p.Delivery.Status == InboxStatus.Pending));
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Stored.TrySetResult(ids[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Stored.TrySetException(ex);
            }
        }
    }

    private sealed record Pending(InboxDelivery Delivery, TaskCompletionSource<long> Stored);
}
