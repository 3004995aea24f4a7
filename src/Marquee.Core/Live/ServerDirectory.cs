using System.Collections.Concurrent;

namespace Marquee.Core.Live;

/// <summary>Which connections point at which server (machine identifier), as the live listeners learn it.</summary>
public sealed class ServerDirectory
{
    private readonly ConcurrentDictionary<long, string> _servers = new();

    public void Register(long connectionId, string? serverId)
    {
        if (serverId is { Length: > 0 })
        {
            _servers[connectionId] = serverId;
        }
    }

    /// <summary>Returns true when the server of the connection is known.</summary>
    public bool Knows(long connectionId) => _servers.ContainsKey(connectionId);

    /// <summary>Returns the connections of a server, or null when no connection is known to point at it.</summary>
    public IReadOnlyList<long>? ConnectionsOf(string? serverId)
    {
        var ids = _servers.Where(p => serverId is not null && p.Value == serverId).Select(p => p.Key).ToList();
        return ids.Count == 0 ? null : ids;
    }
}
