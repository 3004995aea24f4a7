using Marquee.Core.Providers;

namespace Marquee.Core.Live;

/// <summary>
/// Tells which server a connection of one provider kind points at, so that a live event (which names its server) finds
/// its connection. Implemented by the provider, which already knows how to ask its server.
/// </summary>
public interface IServerIdentity
{
    /// <summary>Gets the provider kind, for example <c>plex</c>.</summary>
    string Kind { get; }

    /// <summary>Returns the server's id from the settings or by asking the server; null when the server does not answer.</summary>
    Task<string?> ServerIdAsync(long connectionId, string connectionName, ProviderSettings settings, CancellationToken cancellationToken);
}
