namespace Marquee.Core.Webhooks;

/// <summary>A delivery as the live UI shows it: what arrived, what was answered, and what became of it.</summary>
public sealed record DeliverySummary(long Id, string Source, DateTimeOffset ReceivedAt, string? Event, int Status, string InboxStatus, string? Error, int Bytes);

/// <summary>The last N deliveries, in memory, newest first. Older ones drop off; the inbox table keeps everything.</summary>
public sealed class DeliveryHistory
{
    private readonly LinkedList<DeliverySummary> _items = new();
    private readonly Lock _lock = new();
    private readonly int _capacity;

    public DeliveryHistory(Microsoft.Extensions.Options.IOptions<WebhookOptions> options)
    {
        _capacity = Math.Max(1, options.Value.HistorySize);
    }

    public int Capacity => _capacity;

    public void Add(DeliverySummary summary)
    {
        lock (_lock)
        {
            _items.AddFirst(summary);
            while (_items.Count > _capacity)
            {
                _items.RemoveLast();
            }
        }
    }

    /// <summary>Updates the inbox status of a delivery still in the history.</summary>
    public void Update(long id, string inboxStatus, string? error)
    {
        lock (_lock)
        {
            for (var node = _items.First; node is not null; node = node.Next)
            {
                if (node.Value.Id == id)
                {
                    node.Value = node.Value with { InboxStatus = inboxStatus, Error = error };
                    return;
                }
            }
        }
    }

    public IReadOnlyList<DeliverySummary> Snapshot()
    {
        lock (_lock)
        {
            return [.. _items];
        }
    }
}

/// <summary>Wakes the inbox processor when a delivery is stored, so it does not wait for its next poll.</summary>
public sealed class InboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
