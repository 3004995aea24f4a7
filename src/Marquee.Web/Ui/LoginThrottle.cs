using Marquee.Hosting;
using Marquee.Hosting.Security;

namespace Marquee.Web.Ui;

/// <summary>
/// Locks the login after Marquee:Ui:LockoutAttempts wrong passwords in a row, for Marquee:Ui:LockoutMinutes, whoever sends them
/// (there is one account, so guessing from many addresses counts too). A password reset (<c>marquee admin reset</c>) lifts it.
/// </summary>
public sealed class LoginThrottle(MarqueeOptions options, AdminAccount admin, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private int _failures;
    private DateTimeOffset? _lockedUntil;
    private string? _lockedStamp;

    /// <summary>Returns when the login opens again, or null when it is open.</summary>
    public DateTimeOffset? LockedUntil()
    {
        lock (_lock)
        {
            if (_lockedUntil is { } until && (until <= clock.GetUtcNow() || !string.Equals(_lockedStamp, admin.Stamp, StringComparison.Ordinal)))
            {
                _lockedUntil = null;
                _failures = 0;
            }

            return _lockedUntil;
        }
    }

    /// <summary>Counts a wrong password; returns true when this one locked the login.</summary>
    public bool Failed()
    {
        lock (_lock)
        {
            _failures++;
            if (_failures < options.Ui.LockoutAttempts)
            {
                return false;
            }

            _lockedUntil = clock.GetUtcNow().AddMinutes(options.Ui.LockoutMinutes);
            _lockedStamp = admin.Stamp;
            return true;
        }
    }

    public void Succeeded()
    {
        lock (_lock)
        {
            _failures = 0;
        }
    }
}
