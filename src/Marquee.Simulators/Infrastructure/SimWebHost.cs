using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Infrastructure;

/// <summary>Starts a small simulator web app on one loopback listener with the harness in front of its endpoints.</summary>
public static class SimWebHost
{
    /// <summary>Builds, maps (<paramref name="map"/> gets the app and a function returning the bound address) and starts the app.</summary>
    public static async Task<(WebApplication App, Uri BaseUri)> StartAsync(
        string host, int port, SimHarness harness, Action<WebApplication, Func<Uri>> map, CancellationToken ct, ILoggerFactory? loggerFactory = null, Action<IServiceCollection>? services = null)
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
        services?.Invoke(builder.Services);
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
}
