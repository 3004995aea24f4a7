using System.Collections.Concurrent;

namespace Marquee.Core.Providers;

/// <summary>Counts the requests a provider sends, per endpoint (e.g. "GET /library/sections/{id}/all"), for run reports.</summary>
public sealed class RequestCounts
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public long Total => _counts.Values.Sum();

    public void Count(string endpoint) => _counts.AddOrUpdate(endpoint, 1, (_, n) => n + 1);

    public IReadOnlyDictionary<string, long> Snapshot() =>
        _counts.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
