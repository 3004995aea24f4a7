using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Infrastructure;

/// <summary>Starts a small simulator web app on one loopback listener with the harness in front of its endpoints.</summary>
public static class SimWebHost
{
    /// <summary>Builds, maps (<paramref name="map"/> gets the app and a function returning the bound address) and starts the app.</summary>
    public static async Task<(WebApplication App, Uri BaseUri)> StartAsync(
        string host, int port, SimHarness harness, Action<WebApplication, Func<Uri>> map, CancellationToken ct, ILoggerFactory? loggerFactory = null)
    {
        Uri? address = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Parse(host), port));
        var app = builder.Build();
        app.UseRouting();
        harness.Use(app, "/_sim");
        map(app, () => address!);
        await app.StartAsync(ct);
        var raw = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        address = new Uri(raw.EndsWith('/') ? raw : raw + "/");
        return (app, address);
    }

    /// <summary>Maps <c>GET|PUT|DELETE /faults</c> and <c>GET|DELETE /counts</c> on a control group.</summary>
    public static void MapHarnessControl(this RouteGroupBuilder sim, SimHarness harness)
    {
        sim.MapGet("/faults", () => harness.Faults);
        sim.MapPut("/faults", (FaultRequest r) =>
        {
            if (r.Spec?.Times is < 0)
            {
                return Results.BadRequest(new { error = "spec.times must be 0 or more (null: until cleared)" });
            }

            harness.SetFault(r.Endpoint, r.Spec);
            return Results.Ok();
        });
        sim.MapDelete("/faults", () =>
        {
            harness.ClearFaults();
            return Results.Ok();
        });
        sim.MapGet("/counts", () => harness.RequestCounts);
        sim.MapDelete("/counts", () =>
        {
            harness.ResetCounts();
            return Results.Ok();
        });
    }

    public sealed record FaultRequest(string Endpoint, FaultSpec? Spec);
}
