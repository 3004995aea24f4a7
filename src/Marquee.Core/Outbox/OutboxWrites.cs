namespace Marquee.Core.Outbox;

/// <summary>
/// The dispatcher's claims and attempt records, written with group commits: a write asked for while another commit is
/// under way joins the next one, so lanes that claim or finish together cost one transaction instead of one each. A
/// caller returns only once its own write is committed: a delivery is sent only after its claim is durable, and nothing
/// is done with an answer before its record is. A failed commit fails every caller in it.
/// </summary>
public sealed class OutboxWrites(IOutboxStore store, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private List<Write> _queue = [];
    private bool _writing;

    /// <summary>Claims a pending delivery (as <see cref="IOutboxStore.ClaimAsync"/>); returns its encrypted payload, or null when it is no longer pending.</summary>
    public async Task<string?> ClaimAsync(long id)
    {
        var write = new Write(id, null, null);
        await RunAsync(write);
        return await write.Claimed.Task;
    }

    /// <summary>Claims several pending deliveries in one commit; returns the encrypted payloads of those claimed, by id.</summary>
    public Task<IReadOnlyDictionary<long, string>> ClaimManyAsync(IReadOnlyList<long> ids) =>
        store.CompleteAndClaimAsync([], ids, clock.GetUtcNow(), CancellationToken.None);

    /// <summary>Records an attempt's outcome (as <see cref="IOutboxStore.CompleteAttemptAsync"/>).</summary>
    public async Task RecordAsync(OutboxMessage message, OutboxAttempt attempt)
    {
        var write = new Write(0, message, attempt);
        await RunAsync(write);
        await write.Claimed.Task;
    }

    private async Task RunAsync(Write write)
    {
        bool lead;
        lock (_lock)
        {
            _queue.Add(write);
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            await WriteAllAsync();
        }
    }

    private async Task WriteAllAsync()
    {
        while (true)
        {
            List<Write> batch;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _writing = false;
                    return;
                }

                batch = _queue;
                _queue = [];
            }

            try
            {
                // Not cancelled: an answer received is recorded even while stopping.
                var claimed = await store.CompleteAndClaimAsync(
                    [.. batch.Where(w => w.Message is not null).Select(w => (w.Message!, w.Attempt!))],
                    [.. batch.Where(w => w.Message is null).Select(w => w.Id)],
                    clock.GetUtcNow(),
                    CancellationToken.None);
                foreach (var w in batch)
                {
                    w.Claimed.TrySetResult(w.Message is null ? claimed.GetValueOrDefault(w.Id) : null);
                }
            }
            catch (Exception ex)
            {
                batch.ForEach(w => w.Claimed.TrySetException(ex));
            }
        }
    }

    private sealed record Write(long Id, OutboxMessage? Message, OutboxAttempt? Attempt)
    {
        public TaskCompletionSource<string?> Claimed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
