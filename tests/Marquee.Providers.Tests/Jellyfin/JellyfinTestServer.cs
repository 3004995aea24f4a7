using Marquee.Core.Providers;
using Marquee.Providers.Jellyfin;
using Marquee.Simulators.Jellyfin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Providers.Tests.Jellyfin;

public enum JellyfinAuthMode
{
    ApiKey,
    Password,
}

/// <summary>A Jellyfin or Emby simulator on loopback plus the services a provider needs, and providers bound to a connection named "media".</summary>
internal sealed class JellyfinTestServer : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    private JellyfinTestServer(JellyfinSimulator sim, ServiceProvider services, string kind)
    {
        Sim = sim;
        Services = services;
        Kind = kind;
    }

    public JellyfinSimulator Sim { get; }

    public JellyfinControl Control => Sim.Control;

    public ServiceProvider Services { get; }

    public string Kind { get; }

    public RequestCounts Requests { get; } = new();

    public static async Task<JellyfinTestServer> StartAsync(string kind = "jellyfin", JellyfinSimulatorOptions? options = null, Action<JellyfinOptions>? configure = null)
    {
        options ??= new JellyfinSimulatorOptions { Movies = 30, Shows = 8, Users = 3, ClockStart = Start };
        options = options with { Flavor = kind == "emby" ? JellyfinFlavor.Emby : JellyfinFlavor.Jellyfin };
        var sim = await JellyfinSimulator.StartAsync(options, CancellationToken.None);
        sim.Control.Harness.TimeoutHold = TimeSpan.FromSeconds(15);
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        collection.AddJellyfin();
        collection.Configure<JellyfinOptions>(o =>
        {
            o.RetryDelay = TimeSpan.FromMilliseconds(50);
            // Long enough for a first request on a loaded machine, shorter than the simulator's timeout fault.
            o.RequestTimeout = TimeSpan.FromSeconds(5);
            o.PageSize = 7;
            configure?.Invoke(o);
        });
        return new JellyfinTestServer(sim, collection.BuildServiceProvider(), kind);
    }

    public JellyfinSettings Settings(JellyfinAuthMode mode, string user = "admin") => mode == JellyfinAuthMode.ApiKey
        ? new JellyfinSettings { Url = Sim.BaseUri, ApiKey = Sim.ApiKey }
        : new JellyfinSettings { Url = Sim.BaseUri, User = user, Password = user + "-pw" };

    public JellyfinApiProvider Provider(JellyfinAuthMode mode, string user = "admin") => Provider(Settings(mode, user));

    public JellyfinApiProvider Provider(JellyfinSettings settings) =>
        Services.CreateJellyfinProvider(Kind, settings, new ProviderContext(1, "media", Services, Requests));

    public ProviderAccount Account(string name)
    {
        var user = Control.User(name);
        return new ProviderAccount(user.Id, user.Name, user.IsAdministrator ? "owner" : "user");
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sim.DisposeAsync();
    }
}
