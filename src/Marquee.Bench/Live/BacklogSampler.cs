using Marquee.Core.Webhooks;

namespace Marquee.Bench.Live;

/// <summary>Samples the inbox's backlog (accepted deliveries not yet handled) every 20 ms while it runs, and keeps the largest.</summary>
internal sealed class BacklogSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _max;

    public BacklogSampler(InboxBacklog backlog)
    {
        _sampling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                _max = Math.Max(_max, backlog.Pending);
                try
                {
                    await Task.Delay(20, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
    }

    /// <summary>Gets the largest backlog seen so far.</summary>
    public long Max => Volatile.Read(ref _max);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
