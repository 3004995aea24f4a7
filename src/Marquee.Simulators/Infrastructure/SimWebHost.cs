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
    /// <summary>
    /// Makes every simulator's web app builder. By default a host watches its content root, the working folder, and every
    /// folder under it for changes to its settings files: started from a home folder or a repository that was an inotify
    /// watch per folder for each simulated server (691 folders each for the five servers of <c>marquee sim plex</c> run
    /// in Marquee's own repository), and every write of a store under it an event the simulator had to handle. A
    /// simulator reads no settings file, so nothing is watched.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder() =>
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });

    /// <summary>Builds, maps (<paramref name="map"/> gets the app and a function returning the bound address) and starts the app.</summary>
    public static async Task<(WebApplication App, Uri BaseUri)> StartAsync(
        string host, int port, SimHarness harness, Action<WebApplication, Func<Uri>> map, CancellationToken ct, ILoggerFactory? loggerFactory = null, Action<IServiceCollection>? services = null)
    {
        Uri? address = null;
        var builder = CreateBuilder();
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
