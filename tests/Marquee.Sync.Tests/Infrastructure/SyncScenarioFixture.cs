using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Sync;
using Marquee.Hosting;
using Marquee.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Sync.Tests.Infrastructure;

/// <summary>
/// Two simulated servers, a real Marquee store (SQLite file in its own folder) and the real providers over HTTP.
/// Subclasses start a pair of servers of some kinds; the scenarios are written against this class only, so other
/// provider pairs reuse them.
/// </summary>
public abstract class SyncScenarioFixture : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private ServiceProvider? _services;

    public IScenarioServer Source { get; private set; } = null!;

    public IScenarioServer Target { get; private set; } = null!;

    public LogCapture Logs { get; } = new();

    /// <summary>Gets the features a scenario's flow carries unless it names its own: all that both sides can write.</summary>
    public virtual IReadOnlyList<string> DefaultFeatures => ["watched", "ratings", "progress"];

    public IServiceProvider Services => _services!;

    /// <summary>Registrations made before Marquee's own (which only fill what is not registered), to put a decorator in place.</summary>
    public Action<IServiceCollection>? Register { get; init; }

    public string DataFolder => _folder.Path;

    public async Task StartAsync()
    {
        var (source, target, settings) = await StartServersAsync();
        Source = source;
        Target = target;
        Source.ClearAllState();
        Target.ClearAllState();
        var config = new Dictionary<string, string?> { ["Marquee:DataFolder"] = _folder.Path, ["Marquee:Plex:RetryDelay"] = "00:00:00.050", ["Marquee:Plex:PageSize"] = "10" };
        foreach (var (key, value) in settings)
        {
            config[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.AddProvider(Logs).SetMinimumLevel(LogLevel.Information));
        services.AddSingleton(Source.Clock);
        Register?.Invoke(services);
        services.AddMarqueeServices(configuration, _ => null);
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<MarqueeStartup>().InitializeAsync(CancellationToken.None);
        await using var scope = _services.CreateAsyncScope();
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        await connections.CreateAsync("left", Source.Kind, Source.ConnectionSettings, CancellationToken.None);
        await connections.CreateAsync("right", Target.Kind, Target.ConnectionSettings, CancellationToken.None);
    }

    /// <summary>Plain movies (no edition, not local, a unique title) on both servers, as source keys.</summary>
    public IReadOnlyList<string> SharedMovies()
    {
        var there = Target.Movies.Select(Target.Title).ToHashSet(StringComparer.Ordinal);
        return Source.Movies.Where(m => there.Contains(Source.Title(m))).ToList();
    }

    /// <summary>The target's key of the source's movie <paramref name="sourceKey"/>.</summary>
    public string OnTarget(string sourceKey) => Target.Movie(Source.Title(sourceKey));

    public void AdvanceClock(TimeSpan by)
    {
        Source.AdvanceClock(by);
        Target.AdvanceClock(by);
    }

    public async Task<Flow> AddFlowAsync(bool twoWay = false, IReadOnlyList<string>? features = null, string mode = FlowMode.Mirror, FlowGuards? guards = null, IReadOnlyList<string>? profiles = null, string name = "main", string editions = EditionPolicy.Edition)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FlowService>().CreateAsync(
            new FlowInput
            {
                Name = name,
                From = "left",
                To = "right",
                TwoWay = twoWay,
                Features = features ?? DefaultFeatures,
                Mode = mode,
                Guards = guards,
                Filters = new FlowFilters { Profiles = profiles ?? [], Editions = editions },
            },
            CancellationToken.None);
    }

    public async Task<SyncReport> SyncAsync(Flow flow, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SyncService>().RunAsync(flow, options ?? new SyncOptions { Trigger = "test" }, null, cancellationToken);
    }

    public async Task<SyncRun> UndoAsync(long runId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UndoService>().UndoAsync(runId, CancellationToken.None);
    }

    public async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await DisposeServersAsync();
        await Source.DisposeAsync();
        await Target.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the two servers; returns them with configuration the providers need (for example plex.tv's address).</summary>
    protected abstract Task<(IScenarioServer Source, IScenarioServer Target, IReadOnlyDictionary<string, string?> Settings)> StartServersAsync();

    protected virtual ValueTask DisposeServersAsync() => ValueTask.CompletedTask;
}

/// <summary>Plex to Plex: two simulators with the same media under other ratingKeys and partly other agents, one plex.tv in front of both.</summary>
public sealed class PlexToPlexFixture : SyncScenarioFixture
{
    private PlexTvFederationHandle? _federation;

    protected override async Task<(IScenarioServer Source, IScenarioServer Target, IReadOnlyDictionary<string, string?> Settings)> StartServersAsync()
    {
        var left = await PlexScenarioServer.StartAsync(variant: 0);
        var right = await PlexScenarioServer.StartAsync(variant: 1);
        _federation = new PlexTvFederationHandle(await Marquee.Simulators.Plex.PlexTvFederation.StartAsync([left.Sim, right.Sim], CancellationToken.None));
        return (left, right, new Dictionary<string, string?> { ["Marquee:Plex:PlexTvUrl"] = _federation.Federation.Uri.ToString() });
    }

    /// <summary>Stops the plex.tv both servers share: from now on its address refuses connections.</summary>
    public async Task StopPlexTvAsync()
    {
        await DisposeServersAsync();
        _federation = null;
    }

    protected override async ValueTask DisposeServersAsync()
    {
        if (_federation is not null)
        {
            await _federation.Federation.DisposeAsync();
        }
    }

    private sealed record PlexTvFederationHandle(Marquee.Simulators.Plex.PlexTvFederation Federation);
}
