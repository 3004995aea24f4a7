namespace Marquee.Core.Providers;

/// <summary>Why a call to an external system failed, in the terms a user can act on.</summary>
public enum ProviderFailure
{
    /// <summary>The server answered with an HTTP error status (other than 401/403).</summary>
    Http,

    /// <summary>Nothing could be reached at the address: connection refused, unknown host, network unreachable.</summary>
    Refused,

    /// <summary>The server accepted the connection but gave no answer in time.</summary>
    TimedOut,

    /// <summary>The TLS handshake failed (wrong scheme, untrusted or broken certificate).</summary>
    Tls,

    /// <summary>The server redirected elsewhere (another origin, a loop, or a write).</summary>
    Redirect,

    /// <summary>The answer is not what this kind of server sends (another product, an HTML page, garbled JSON).</summary>
    WrongContent,

    /// <summary>The token, key or password was refused (401/403).</summary>
    Unauthorized,

    /// <summary>The answer was larger than the configured limit.</summary>
    TooLarge,

    /// <summary>The connection broke while the answer was being read.</summary>
    Dropped,
}
