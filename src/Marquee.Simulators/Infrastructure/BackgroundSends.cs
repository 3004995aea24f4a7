namespace Marquee.Simulators.Infrastructure;

/// <summary>Deliveries a simulator makes in the background: started fire-and-forget, awaited by tests and on shutdown.</summary>
public sealed class BackgroundSends : IAsyncDisposable
{
    private readonly List<Task> _pending = [];
    private readonly Lock _gate = new();

    /// <summary>Starts <paramref name="send"/> on the thread pool and tracks it.</summary>
    public void Start(Func<Task> send)
    {
        lock (_gate)
        {
            _pending.RemoveAll(t => t.IsCompleted);
            _pending.Add(Task.Run(send));
        }
    }

    /// <summary>Waits until every send started so far has finished.</summary>
    public async Task WaitIdleAsync(CancellationToken ct)
    {
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _pending];
        }

        await Task.WhenAll(pending).WaitAsync(ct);
    }

    /// <summary>Gives running sends two seconds; a receiver that never answers does not hold up shutdown.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await WaitIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            // Abandoned: the simulator is going away.
        }
    }
}
