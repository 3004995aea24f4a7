using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Infrastructure;

/// <summary>
/// Cross-cutting simulator behaviour shared by every fake server: request counts per endpoint,
/// latency and fault injection. Endpoints are named "METHOD /route/pattern".
/// </summary>
public sealed class SimHarness
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FaultSpec> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _remaining = new(StringComparer.Ordinal);
    private readonly Lock _randomGate = new();
    private readonly Random _random;

    public SimHarness(int seed, int latencyMs, double faultRate)
    {
        _random = new Random(seed);
        LatencyMs = latencyMs;
        DefaultFault = faultRate > 0 ? FaultSpec.FromRate(faultRate) : null;
    }

    public int LatencyMs { get; set; }

    /// <summary>Applies to every endpoint without its own entry, except the control API.</summary>
    public FaultSpec? DefaultFault { get; set; }

    /// <summary>How long a "timeout" fault holds the request before dropping it.</summary>
    public TimeSpan TimeoutHold { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Answers a write met by <see cref="FaultSpec.AcknowledgeWithoutApplying"/> as if it had succeeded; the
    /// default is 200 with an empty body. The request never reaches the endpoint.
    /// </summary>
    public Func<HttpContext, Task> Acknowledge { get; set; } = context =>
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    };

    public IReadOnlyDictionary<string, long> RequestCounts => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, FaultSpec> Faults => new SortedDictionary<string, FaultSpec>(_faults, StringComparer.Ordinal);

    public void ResetCounts() => _counts.Clear();

    /// <summary>Sets the faults of one endpoint ("GET /library/sections/{id}/all", or "*" for the default).</summary>
    public void SetFault(string endpoint, FaultSpec? spec)
    {
        if (spec?.Times is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Times, "times must be 0 or more");
        }

        if (spec?.Times is { } times)
        {
            _remaining[endpoint] = times;
        }
        else
        {
            _remaining.TryRemove(endpoint, out _);
        }

        if (endpoint == "*")
        {
            DefaultFault = spec;
        }
        else if (spec is null)
        {
            _faults.TryRemove(endpoint, out _);
        }
        else
        {
            _faults[endpoint] = spec;
        }
    }

    public void ClearFaults()
    {
        _faults.Clear();
        _remaining.Clear();
        DefaultFault = null;
    }

    public static string EndpointName(HttpContext context, string host = "")
    {
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "/";
        if (!pattern.StartsWith('/'))
        {
            pattern = "/" + pattern;
        }

        return host + context.Request.Method + " " + pattern;
    }

    /// <summary>
    /// Adds the counting, latency and fault middleware; call after UseRouting. <paramref name="host"/>
    /// prefixes endpoint names of secondary hosts ("plextv:", "discover:").
    /// </summary>
    public void Use(IApplicationBuilder app, string controlPrefix, string host = "")
    {
        app.Use(async (context, next) =>
        {
            var name = EndpointName(context, host);
            _counts.AddOrUpdate(name, 1, static (_, n) => n + 1);
            if (context.Request.Path.StartsWithSegments(controlPrefix, StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            var spec = _faults.TryGetValue(name, out var own) ? own : DefaultFault;
            if (spec?.Times is not null && !TakeOne(own is not null ? name : "*"))
            {
                spec = null;
            }

            var latency = LatencyMs + (spec?.LatencyMs ?? 0);
            if (latency > 0)
            {
                await Task.Delay(latency, context.RequestAborted);
            }

            if (spec is not null && await ApplyFaultAsync(context, spec))
            {
                return;
            }

            await next(context);
        });
    }

    /// <summary>Counts one request against a spec with <see cref="FaultSpec.Times"/>; false once it is used up.</summary>
    private bool TakeOne(string key)
    {
        while (_remaining.TryGetValue(key, out var left))
        {
            if (left <= 0)
            {
                return false;
            }

            if (_remaining.TryUpdate(key, left - 1, left))
            {
                return true;
            }
        }

        return false;
    }

    private double Roll()
    {
        lock (_randomGate)
        {
            return _random.NextDouble();
        }
    }

    private async Task<bool> ApplyFaultAsync(HttpContext context, FaultSpec spec)
    {
        var roll = Roll();
        if ((roll -= spec.Error500) < 0)
        {
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error");
            return true;
        }

        if ((roll -= spec.Error503) < 0)
        {
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable");
            return true;
        }

        if ((roll -= spec.TooManyRequests) < 0)
        {
            context.Response.Headers.RetryAfter = spec.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "Too Many Requests");
            return true;
        }

        if ((roll -= spec.Timeout) < 0)
        {
            try
            {
                await Task.Delay(TimeoutHold, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return true;
            }

            context.Abort();
            return true;
        }

        if ((roll -= spec.ConnectionReset) < 0)
        {
            context.Abort();
            return true;
        }

        if ((roll -= spec.MalformedJson) < 0)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"MediaContainer\":{\"size\":1,\"Metadata\":[{\"ratingKey\":", Encoding.UTF8, context.RequestAborted);
            return true;
        }

        if ((roll -= spec.AcknowledgeWithoutApplying) < 0)
        {
            await Acknowledge(context);
            return true;
        }

        if ((roll -= spec.Unauthorized) < 0)
        {
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized");
            return true;
        }

        return false;
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string title)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync($"<html><head><title>{title}</title></head><body><h1>{status} {title}</h1></body></html>", context.RequestAborted);
    }
}
