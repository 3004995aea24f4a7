using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Web.Metrics;

/// <summary>Counts requests and their durations by method, route template and status, for /metrics.</summary>
public sealed class HttpMetrics
{
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>The method labels; any other method is counted as OTHER, so a client cannot add series.</summary>
    public static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    private readonly ConcurrentDictionary<(string Method, string Route, int Status), Series> _series = new();

    public IEnumerable<KeyValuePair<(string Method, string Route, int Status), Series>> Snapshot() =>
        _series.OrderBy(s => s.Key.Route, StringComparer.Ordinal).ThenBy(s => s.Key.Method, StringComparer.Ordinal).ThenBy(s => s.Key.Status);

    public async Task TrackAsync(HttpContext context, RequestDelegate next)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            // The route template, not the raw path, and a fixed set of methods keep the number of series bounded.
            // After an exception the handler clears the endpoint; the feature keeps the one that failed.
            var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
            var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            var series = _series.GetOrAdd((MethodLabel(context.Request.Method), route, context.Response.StatusCode), _ => new Series());
            series.Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    /// <summary>Returns the label for <paramref name="method"/>: one of <see cref="Methods"/>, else OTHER.</summary>
    public static string MethodLabel(string method) =>
        Array.Find(Methods, m => m.Equals(method, StringComparison.OrdinalIgnoreCase)) ?? "OTHER";

    public sealed class Series
    {
        private readonly long[] _buckets = new long[Buckets.Length];
        private readonly Lock _lock = new();

        public long Count { get; private set; }

        public double Sum { get; private set; }

        public long[] BucketCounts()
        {
            lock (_lock)
            {
                return (long[])_buckets.Clone();
            }
        }

        public void Observe(double seconds)
        {
            lock (_lock)
            {
                Count++;
                Sum += seconds;
                for (var i = 0; i < Buckets.Length; i++)
                {
                    if (seconds <= Buckets[i])
                    {
                        _buckets[i]++;
                    }
                }
            }
        }
    }
}
