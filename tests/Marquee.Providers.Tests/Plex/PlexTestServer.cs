using System.Globalization;
using Marquee.Core.Connections;
using Marquee.Core.Providers;
using Marquee.Core.Storage;
using Marquee.Data;
using Marquee.Data.Sqlite;
using Marquee.Data.Stores;
using Marquee.Providers.Plex;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex;
using Marquee.TestKit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marquee.Providers.Tests.Plex;

/// <summary>
/// A Plex simulator on loopback plus the services a provider needs (named HttpClient, options pointing plex.tv and
/// Discover at the simulator, optionally a real SQLite store), and providers bound to a connection named "den".
/// </summary>
internal sealed class PlexTestServer : IAsyncDisposable
{
    public const string ConnectionName = "den";
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    private readonly TempFolder? _folder;

    private PlexTestServer(PlexSimulator sim, ServiceProvider services, TempFolder? folder, long connectionId)
    {
        Sim = sim;
        Services = services;
        _folder = folder;
        ConnectionId = connectionId;
    }

    public PlexSimulator Sim { get; }

    public SimControl Control => Sim.Control;

    public ServiceProvider Services { get; }

    public long ConnectionId { get; }

    public SimAccount OwnerSim => Sim.Owner;

    public SimAccount Kid => Sim.Accounts.First(a => a.Kind == SimAccountKind.Home && a.Pin is null);

    public SimAccount Partner => Sim.Accounts.First(a => a.Kind == SimAccountKind.Home && a.Pin is not null);

    public SimAccount Bob => Sim.Accounts.First(a => a.Kind == SimAccountKind.Friend);

    public IConnectionStore? Store => Services.GetService<IConnectionStore>();

    public AccountCredentials Credentials => new(Services.GetRequiredService<IConnectionStore>(), Services.GetRequiredService<ISecretProtector>());

    public static async Task<PlexTestServer> StartAsync(
        PlexSimulatorOptions? options = null,
        bool withStore = false,
        Action<PlexOptions>? configure = null,
        Action<IServiceCollection>? services = null)
    {
        options ??= new PlexSimulatorOptions { Movies = 40, Shows = 6, HomeUsers = 2, Friends = 1, ClockStart = Start };
        var sim = await PlexSimulator.StartAsync(options, CancellationToken.None);
        sim.Control.Harness.TimeoutHold = TimeSpan.FromSeconds(5);
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Marquee:Plex:PlexTvUrl"] = sim.PlexTvUri.ToString(),
            ["Marquee:Plex:DiscoverUrl"] = sim.DiscoverUri.ToString(),
        }).Build());
        collection.AddPlex();
        collection.Configure<PlexOptions>(o =>
        {
            o.RetryDelay = TimeSpan.FromMilliseconds(50);
            o.RequestTimeout = TimeSpan.FromSeconds(10);
            configure?.Invoke(o);
        });
        TempFolder? folder = null;
        long connectionId = 1;
        if (withStore)
        {
            folder = new TempFolder();
            var provider = new SqliteDatabaseProvider(folder.Path, TimeSpan.FromSeconds(5));
            var database = new Database(provider, TimeProvider.System, NullLogger<Database>.Instance);
            await database.MigrateAsync(CancellationToken.None);
            var store = new ConnectionStore(provider);
            var connection = await store.InsertAsync(ConnectionName, "plex", "{}", Start, CancellationToken.None);
            connectionId = connection!.Id;
            collection.AddSingleton<IConnectionStore>(store);
            collection.AddSingleton<ISecretProtector, TestSecretProtector>();
        }

        services?.Invoke(collection);
        return new PlexTestServer(sim, collection.BuildServiceProvider(), folder, connectionId);
    }

    public PlexSettings Settings(Uri? url = null, string? token = null, int? maxConcurrency = null) => new()
    {
        Url = url ?? Sim.BaseUri,
        Token = token ?? OwnerSim.ServerToken,
        PlexTvToken = OwnerSim.AccountToken,
        ClientIdentifier = "marquee-tests",
        MaxConcurrency = maxConcurrency,
    };

    public PlexProvider Provider(RequestCounts? counts = null, PlexSettings? settings = null) =>
        Services.CreatePlexProvider(settings ?? Settings(), new ProviderContext(ConnectionId, ConnectionName, Services, counts ?? new RequestCounts()));

    public ProviderAccount Account(SimAccount account) => new(
        account.PlexTvId.ToString(CultureInfo.InvariantCulture),
        account.Name,
        account.Kind switch
        {
            SimAccountKind.Owner => Core.Connections.Account.KindOwner,
            SimAccountKind.Home => Core.Connections.Account.KindHome,
            _ => Core.Connections.Account.KindFriend,
        });

    public ProviderAccount Account(string name) => Account(Control.Account(name));

    public long SimCount(string endpoint) => Control.RequestCounts.GetValueOrDefault(endpoint);

    /// <summary>Sets a fault on one endpoint (for every request, or for <see cref="FaultSpec.Times"/> requests).</summary>
    public void Fault(string endpoint, FaultSpec spec) => Control.SetFault(endpoint, spec);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sim.DisposeAsync();
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            _folder.Dispose();
        }
    }
}

/// <summary>Reversible stand-in for the Data Protection protector, so tests can tell stored secrets are not plain text.</summary>
internal sealed class TestSecretProtector : ISecretProtector
{
    public string Protect(string plaintext) => "protected:" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(plaintext));

    public string Unprotect(string protectedText) =>
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(protectedText["protected:".Length..]));
}
