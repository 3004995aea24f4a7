namespace Marquee.Core.Webhooks;

/// <summary>
/// How many accepted webhook deliveries wait for the inbox processor, and how many arrived lately, counted in memory so
/// that reading them costs nothing: one more for each pending delivery committed, one less for each the processor
/// handles or gives up on. The processor sets the count from the store when it starts, and back to none when it finds
/// the inbox empty with nothing stored meanwhile. The notification feed reads both to let notifications wait while
/// webhooks pour in or the inbox is behind.
/// </summary>
public sealed class InboxBacklog(TimeProvider clock)
{
    /// <summary>The longest window <see cref="PerSecond"/> looks back over.</summary>
    public const int MaxWindowSeconds = 60;

    private readonly Lock _lock = new();
    private readonly long[] _second = new long[MaxWindowSeconds + 1];
    private readonly long[] _arrived = new long[MaxWindowSeconds + 1];
    private long _pending;
    private long _stored;

    /// <summary>Gets the number of deliveries accepted and not yet handled.</summary>
    public long Pending
    {
        get
        {
            lock (_lock)
            {
                return Math.Max(0, _pending);
            }
        }
    }

    /// <summary>Counts <paramref name="count"/> pending deliveries just committed.</summary>
    public void Stored(int count)
    {
        if (count <= 0)
        {
            return;
        }

        var second = clock.GetUtcNow().ToUnixTimeSeconds();
        lock (_lock)
        {
            _pending += count;
            _stored += count;
            var slot = (int)(second % _second.Length);
            if (_second[slot] != second)
            {
                _second[slot] = second;
                _arrived[slot] = 0;
            }

            _arrived[slot] += count;
        }
    }

    /// <summary>How many deliveries were stored per second on average over the last <paramref name="windowSeconds"/> seconds (1 to 60; the current second is the last of them).</summary>
    public double PerSecond(int windowSeconds)
    {
        var window = Math.Clamp(windowSeconds, 1, MaxWindowSeconds);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        long total = 0;
        lock (_lock)
        {
            for (var i = 0; i < _second.Length; i++)
            {
                if (_second[i] > now - window && _second[i] <= now)
                {
                    total += _arrived[i];
                }
            }
        }

        return total / (double)window;
    }

    /// <summary>One delivery left the pending state (handled, or failed for good).</summary>
    public void Done()
    {
        lock (_lock)
        {
            _pending--;
        }
    }

    /// <summary>Sets the count from the store (at the processor's start).</summary>
    public void Reset(long pending)
    {
        lock (_lock)
        {
            _pending = pending;
        }
    }

    /// <summary>A mark to pass to <see cref="Empty"/>: taken before the processor looks for pending deliveries.</summary>
    public long Mark()
    {
        lock (_lock)
        {
            return _stored;
        }
    }

    /// <summary>The processor found nothing pending: the count is none, unless a delivery was stored since <paramref name="mark"/>.</summary>
    public void Empty(long mark)
    {
        lock (_lock)
        {
            if (_stored == mark)
            {
                _pending = 0;
            }
        }
    }
}
