using System.Collections.Concurrent;
using System.Globalization;
using Marquee.Core.Connections;

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

    /// <summary>
    /// The connection of a server; a connection whose server is not known yet is asked for its identity once. Two
    /// connections to the same server have the same item keys: the first stands for the server.
    /// </summary>
    public async Task<long?> ConnectionOfAsync(IServerIdentity identity, ConnectionService connections, string? serverId, CancellationToken ct)
    {
        if (serverId is null)
        {
            return null;
        }

        if (ConnectionsOf(serverId) is not { } known)
        {
            foreach (var view in (await connections.ListAsync(ct)).Where(c => c.Kind == identity.Kind && !Knows(c.Id)))
            {
                var settings = await connections.GetSettingsAsync(view.Id.ToString(CultureInfo.InvariantCulture), ct);
                Register(view.Id, await identity.ServerIdAsync(view.Id, view.Name, settings, ct));
            }

            known = ConnectionsOf(serverId);
        }

        return known?.Order().First();
    }
}
