using System.Net;

namespace Marquee.Hosting.Security;

/// <summary>
/// The names a request's Host header may carry (against DNS rebinding, where a foreign name resolves to this machine):
/// loopback names and addresses, the hosts of the configured URLs and Marquee:Server:AllowedHosts. When a URL listens on
/// every interface, the machine's name and any address by number are accepted too (a rebinding page always uses a name).
/// </summary>
public sealed class HostAllowList
{
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _suffixes = [];
    private readonly bool _any;
    private readonly bool _anyAddress;

    public HostAllowList(MarqueeOptions options)
    {
        _names.Add("localhost");
        _suffixes.Add(".localhost");
        foreach (var url in Split(options.Server.Urls))
        {
            var host = HostOf(url);
            if (IsWildcard(host))
            {
                _anyAddress = true;
                _names.Add(Dns.GetHostName());
            }
            else if (host.Length > 0)
            {
                _names.Add(host);
            }
        }

        foreach (var entry in Split(options.Server.AllowedHosts))
        {
            if (entry == "*")
            {
                _any = true;
            }
            else if (entry.StartsWith("*.", StringComparison.Ordinal))
            {
                _suffixes.Add(entry[1..]);
            }
            else
            {
                _names.Add(HostOf(entry.Contains("://", StringComparison.Ordinal) ? entry : "http://" + entry));
            }
        }
    }

    /// <summary>Returns whether a request whose Host header names <paramref name="host"/> (without the port) may be answered.</summary>
    public bool Allows(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        var bare = host.Trim('[', ']').TrimEnd('.');
        if (_any || _names.Contains(bare) || _suffixes.Exists(s => bare.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return IPAddress.TryParse(bare, out var address) && (IPAddress.IsLoopback(address) || _anyAddress || _names.Contains(address.ToString()));
    }

    /// <summary>Returns whether <paramref name="host"/> (from a URL to listen on) means every interface.</summary>
    public static bool IsWildcard(string host) => host is "*" or "+" or "0.0.0.0" or "::" or "[::]";

    /// <summary>Returns the host of a URL to listen on (<c>http://*:8754</c> gives <c>*</c>), without brackets or port.</summary>
    public static string HostOf(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var end = rest.IndexOf('/', StringComparison.Ordinal);
        rest = end >= 0 ? rest[..end] : rest;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? rest[..(close + 1)] is "[::]" ? "::" : rest[1..close] : rest;
        }

        var colon = rest.LastIndexOf(':');
        return colon >= 0 ? rest[..colon] : rest;
    }

    /// <summary>Returns the entries of a list separated by ";" or ",".</summary>
    public static string[] Split(string? list) =>
        (list ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
