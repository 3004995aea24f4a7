using Marquee.Hosting;
using Marquee.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Bench.Live;

/// <summary>A real Marquee server (Kestrel on 127.0.0.1, port chosen by the system) over a data folder, as the live scenarios use it.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<BenchHost> StartAsync(string dataFolder, IDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var builder = MarqueeBuilder.CreateBuilder();
        builder.Configuration.AddEnvironmentVariables(MarqueeConfiguration.EnvironmentPrefix);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Marquee:DataFolder"] = dataFolder,
            ["Marquee:Server:Urls"] = "http://127.0.0.1:0",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddMarquee(_ => null);
        var app = builder.Build();
        app.UseMarquee();
        await app.Services.GetRequiredService<MarqueeStartup>().InitializeAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        if (!address.IsLoopback)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException("the benchmark only targets 127.0.0.1");
        }

        return new BenchHost(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
