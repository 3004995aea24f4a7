using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Marquee.Core.Providers;
using Marquee.Providers.Jellyfin;
using Marquee.Providers.Plex;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Providers.Tests.Http;

/// <summary>A real Kestrel listener on loopback, port 0, answering with <c>handler</c> and recording every request's headers.</summary>
internal sealed class TestHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestHttpServer(WebApplication app, Uri uri)
    {
        _app = app;
        Uri = uri;
    }

    public Uri Uri { get; }

    public string Origin => Uri.GetLeftPart(UriPartial.Authority);

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Requests { get; } = new();

    public static async Task<TestHttpServer> StartAsync(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        TestHttpServer? server = null;
        app.Run(async context =>
        {
            server!.Requests.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            await handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new TestHttpServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    /// <summary>A loopback port on which nothing listens (bound, then released).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Services with the real providers; <paramref name="settings"/> go into configuration (e.g. <c>Marquee:Providers:MaxResponseBytes</c>).</summary>
    public static ServiceProvider Services(IDictionary<string, string?>? settings = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Marquee:Plex:MaxRetries"] = "0",
            ["Marquee:Jellyfin:MaxRetries"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        collection.AddProviders();
        return collection.BuildServiceProvider();
    }

    public static PlexProvider Plex(IServiceProvider services, Uri url, string token = "secret-plex-token") =>
        services.CreatePlexProvider(new PlexSettings { Url = url, Token = token, PlexTvToken = token }, new ProviderContext(1, "den", services, new RequestCounts()));

    public static JellyfinApiProvider Jellyfin(IServiceProvider services, Uri url, string apiKey = "secret-api-key") =>
        services.CreateJellyfinProvider("jellyfin", new JellyfinSettings { Url = url, ApiKey = apiKey }, new ProviderContext(1, "media", services, new RequestCounts()));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
