using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Marquee.Hosting.Security;

/// <summary>How the server is reachable: which addresses are open to the network without TLS, and what to print for a wildcard.</summary>
public static class Exposure
{
    /// <summary>Returns the listening addresses reachable from the network over plain HTTP with no reverse proxy declared.</summary>
    public static IReadOnlyList<string> PlainHttpOnNetwork(IEnumerable<string> addresses, ServerOptions server) =>
        server.ReverseProxy
            ? []
            : addresses.Where(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !IsLoopback(HostAllowList.HostOf(a))).ToList();

    /// <summary>Returns the warning lines for <see cref="PlainHttpOnNetwork"/>, or none.</summary>
    public static IReadOnlyList<string> Warnings(IEnumerable<string> addresses, ServerOptions server)
    {
        var open = PlainHttpOnNetwork(addresses, server);
        return open.Count == 0
            ? []
            : [
                $"WARNING: Marquee listens on {string.Join(", ", open)} over plain HTTP: anyone on that network can read the API key, the webhook secret and the API's answers in transit.",
                "WARNING: Put a reverse proxy with TLS in front (then set Marquee:Server:ReverseProxy=true), listen on an https URL, or listen on 127.0.0.1 only. See README, Security.",
            ];
    }

    /// <summary>
    /// Returns <paramref name="address"/> with a wildcard host (0.0.0.0, [::], *, +) replaced by an address of this machine on
    /// the network (127.0.0.1 when it has none), so a printed URL is one that can be reached.
    /// </summary>
    public static string Reachable(string address)
    {
        var host = HostAllowList.HostOf(address);
        if (!HostAllowList.IsWildcard(host))
        {
            return address;
        }

        // scheme://host:port/path: what follows the host (the port and path) is kept.
        var start = address.IndexOf("://", StringComparison.Ordinal) + 3;
        var hostEnd = address[start] == '[' ? address.IndexOf(']', start) + 1 : start + host.Length;
        return string.Concat(address.AsSpan(0, start), NetworkAddress(), address.AsSpan(hostEnd));
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    private static string NetworkAddress()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString() ?? "127.0.0.1";
        }
        catch (NetworkInformationException)
        {
            return "127.0.0.1";
        }
    }
}
