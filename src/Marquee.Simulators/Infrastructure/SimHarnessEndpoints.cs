using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Infrastructure;

/// <summary>The control calls every simulator shares: faults, latency and request counts of its <see cref="SimHarness"/>.</summary>
public static class SimHarnessEndpoints
{
    /// <summary>Maps <c>GET/PUT/DELETE faults</c>, <c>PUT latency</c> and <c>GET/DELETE counts</c> on the control group.</summary>
    public static void MapHarness(this RouteGroupBuilder sim, SimHarness harness)
    {
        sim.MapGet("/faults", () => harness.Faults);
        sim.MapPut("/faults", (FaultRequest r) =>
        {
            if (string.IsNullOrWhiteSpace(r.Endpoint))
            {
                return Results.BadRequest(new { error = "endpoint is required (\"GET /api/v3/movie\", or \"*\" for the default)" });
            }

            if (r.Spec?.Problem() is { } problem)
            {
                return Results.BadRequest(new { error = problem });
            }

            harness.SetFault(r.Endpoint, r.Spec);
            return Results.Ok();
        });
        sim.MapDelete("/faults", () =>
        {
            harness.ClearFaults();
            return Results.Ok();
        });
        sim.MapPut("/latency", (LatencyRequest r) =>
        {
            if (r.Ms < 0)
            {
                return Results.BadRequest(new { error = "ms must be 0 or more" });
            }

            harness.LatencyMs = r.Ms;
            return Results.Ok();
        });
        sim.MapGet("/counts", () => harness.RequestCounts);
        sim.MapDelete("/counts", () =>
        {
            harness.ResetCounts();
            return Results.Ok();
        });
    }

    /// <summary>Maps <c>GET/POST clock</c> (Unix seconds; <c>set</c> freezes the clock, <c>advanceSeconds</c> moves it) on the control group.</summary>
    public static void MapClock(this RouteGroupBuilder sim, SimClock clock)
    {
        sim.MapGet("/clock", () => new { now = clock.UnixSeconds });
        sim.MapPost("/clock", (ClockRequest r) =>
        {
            if (r.Set is { } set)
            {
                clock.Set(DateTimeOffset.FromUnixTimeSeconds(set));
            }

            if (r.AdvanceSeconds is { } by)
            {
                clock.Advance(TimeSpan.FromSeconds(by));
            }

            return new { now = clock.UnixSeconds };
        });
    }

    internal sealed record ClockRequest(long? Set, long? AdvanceSeconds);

    internal sealed record FaultRequest(string? Endpoint, FaultSpec? Spec);

    internal sealed record LatencyRequest(int Ms);
}
