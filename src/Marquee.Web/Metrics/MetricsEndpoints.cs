using System.Diagnostics;
using System.Globalization;
using System.Text;
using Marquee.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Web.Metrics;

/// <summary>Prometheus text format 0.0.4: process, HTTP and store.</summary>
internal static class MetricsEndpoints
{
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", async (HttpMetrics http, IDatabase database, CancellationToken ct) =>
        {
            var text = new StringBuilder();
            WriteProcess(text);
            WriteHttp(text, http);
            await WriteStoreAsync(text, database, ct);
            return TypedResults.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
        })
        .WithTags("Health")
        .ExcludeFromDescription();

    private static void WriteProcess(StringBuilder text)
    {
        using var process = Process.GetCurrentProcess();
        Metric(text, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", process.TotalProcessorTime.TotalSeconds);
        Metric(text, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", process.WorkingSet64);
        Metric(text, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        Metric(text, "process_num_threads", "gauge", "Number of OS threads in the process.", process.Threads.Count);
        Metric(text, "dotnet_gc_heap_bytes", "gauge", "Bytes currently allocated on the managed heap.", GC.GetTotalMemory(false));
        text.Append("# HELP dotnet_gc_collections_total Garbage collections by generation.\n# TYPE dotnet_gc_collections_total counter\n");
        for (var gen = 0; gen <= GC.MaxGeneration; gen++)
        {
            text.Append(CultureInfo.InvariantCulture, $"dotnet_gc_collections_total{{generation=\"{gen}\"}} {GC.CollectionCount(gen)}\n");
        }
    }

    private static void WriteHttp(StringBuilder text, HttpMetrics http)
    {
        text.Append("# HELP http_server_requests_total HTTP requests handled, by method, route and status.\n# TYPE http_server_requests_total counter\n");
        var series = http.Snapshot().ToList();
        foreach (var (key, s) in series)
        {
            text.Append(CultureInfo.InvariantCulture, $"http_server_requests_total{{{Labels(key)}}} {s.Count}\n");
        }

        text.Append("# HELP http_server_request_duration_seconds HTTP request durations.\n# TYPE http_server_request_duration_seconds histogram\n");
        foreach (var (key, s) in series)
        {
            var labels = Labels(key);
            var buckets = s.BucketCounts();
            for (var i = 0; i < HttpMetrics.Buckets.Length; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"http_server_request_duration_seconds_bucket{{{labels},le=\"{HttpMetrics.Buckets[i]}\"}} {buckets[i]}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"http_server_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {s.Count}\n");
            text.Append(CultureInfo.InvariantCulture, $"http_server_request_duration_seconds_sum{{{labels}}} {s.Sum}\n");
            text.Append(CultureInfo.InvariantCulture, $"http_server_request_duration_seconds_count{{{labels}}} {s.Count}\n");
        }
    }

    private static async Task WriteStoreAsync(StringBuilder text, IDatabase database, CancellationToken ct)
    {
        StoreStatistics? stats = null;
        try
        {
            stats = await database.GetStatisticsAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An unavailable store is reported as marquee_store_up 0 rather than failing the scrape.
        }

        Metric(text, "marquee_store_up", "gauge", "1 when the store answers queries.", stats is null ? 0 : 1, $"engine=\"{database.Engine}\"");
        if (stats is null)
        {
            return;
        }

        Metric(text, "marquee_store_schema_version", "gauge", "Highest applied store migration.", stats.SchemaVersion);
        if (stats.SizeBytes is { } size)
        {
            Metric(text, "marquee_store_size_bytes", "gauge", "Size of the store on disk, including the write-ahead log.", size);
        }

        text.Append("# HELP marquee_store_rows Rows per table.\n# TYPE marquee_store_rows gauge\n");
        foreach (var (table, rows) in stats.Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"marquee_store_rows{{table=\"{table}\"}} {rows}\n");
        }
    }

    private static string Labels((string Method, string Route, int Status) key) =>
        $"method=\"{key.Method}\",route=\"{Escape(key.Route)}\",status=\"{key.Status}\"";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static void Metric(StringBuilder text, string name, string type, string help, double value, string? labels = null)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
        text.Append(CultureInfo.InvariantCulture, $"{name}{(labels is null ? string.Empty : "{" + labels + "}")} {value}\n");
    }
}
