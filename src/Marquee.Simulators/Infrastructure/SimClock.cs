namespace Marquee.Simulators.Infrastructure;

/// <summary>A clock that follows the system clock until it is set or advanced.</summary>
public sealed class SimClock : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly Lock _gate = new();
    private DateTimeOffset? _frozen;
    private TimeSpan _offset;

    public SimClock(TimeProvider? inner = null, DateTimeOffset? start = null)
    {
        _inner = inner ?? System;
        _frozen = start;
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _frozen ?? _inner.GetUtcNow() + _offset;
        }
    }

    public long UnixSeconds => GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Freezes the clock at <paramref name="now"/>; it then only moves through <see cref="Advance"/>.</summary>
    public void Set(DateTimeOffset now)
    {
        lock (_gate)
        {
            _frozen = now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            if (_frozen is { } frozen)
            {
                _frozen = frozen + by;
            }
            else
            {
                _offset += by;
            }
        }
    }
}
