using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Bench.Live;

/// <summary>What a load run did: requests sent, accepted (2xx) and failed, with each request's latency.</summary>
public sealed record LoadResult(long Sent, long Accepted, long Errors, TimeSpan Elapsed, IReadOnlyList<double> LatenciesMs, IReadOnlyDictionary<string, long> ErrorKinds)
{
    public double Percentile(double p) => Percentile(LatenciesMs, p);

    /// <summary>The nearest-rank percentile of <paramref name="values"/>, rounded to 0.01; 0 when there are none.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        return Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 2);
    }
}

/// <summary>A closed-loop HTTP load generator: a fixed number of workers, each sending its next request when the last one answered; bounded in time and count.</summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly int _concurrency;

    private LoadGenerator(ServiceProvider services, int concurrency)
    {
        _services = services;
        _concurrency = concurrency;
    }

    public static LoadGenerator Create(int concurrency)
    {
        var services = new ServiceCollection();
        services.AddHttpClient("load", c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        return new LoadGenerator(services.BuildServiceProvider(), concurrency);
    }

    public async Task<LoadResult> RunAsync(Uri url, TimeSpan duration, long maxRequests, Func<long, HttpContent> body, CancellationToken cancellationToken)
    {
        var http = _services.GetRequiredService<IHttpClientFactory>().CreateClient("load");
        var issued = 0L;
        var accepted = 0L;
        var errors = 0L;
        var kinds = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<List<double>>();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, _concurrency).Select(_ => Task.Run(
            async () =>
            {
                var mine = new List<double>();
                latencies.Add(mine);
                while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref issued);
                    if (n > maxRequests)
                    {
                        Interlocked.Decrement(ref issued);
                        break;
                    }

                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        using var content = body(n);
                        using var response = await http.PostAsync(url, content, cancellationToken);
                        if (response.IsSuccessStatusCode)
                        {
                            Interlocked.Increment(ref accepted);
                        }
                        else
                        {
                            Interlocked.Increment(ref errors);
                            kinds.AddOrUpdate(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, c) => c + 1);
                        }
                    }
                    catch (HttpRequestException ex)
                    {
                        Interlocked.Increment(ref errors);
                        kinds.AddOrUpdate(ex.HttpRequestError.ToString(), 1, (_, c) => c + 1);
                    }
                    catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref errors);
                        kinds.AddOrUpdate("timeout", 1, (_, c) => c + 1);
                    }

                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            },
            cancellationToken)).ToList();
        await Task.WhenAll(workers);
        clock.Stop();
        return new LoadResult(Interlocked.Read(ref issued), accepted, errors, clock.Elapsed, latencies.SelectMany(l => l).ToList(), kinds.ToDictionary(StringComparer.Ordinal));
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
