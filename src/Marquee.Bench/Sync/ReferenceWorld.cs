using System.Text.Json.Nodes;
using Marquee.Bench.Infrastructure;
using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Sync;
using Marquee.Hosting;
using Marquee.Simulators.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Bench.Sync;

/// <summary>Size of the reference library and of the differences between the two servers.</summary>
public sealed record WorldSize(int Movies, int Shows, int LatencyMs, double Differing)
{
    /// <summary>Gets the page size of Marquee's bulk listings in this world (the benchmarks' is <see cref="ReferenceWorld.PageSize"/>).</summary>
    public int ListingPageSize { get; init; } = ReferenceWorld.PageSize;
}

/// <summary>
/// A simulated world (<see cref="ISimWorld"/>: two Plex servers, or Plex and Jellyfin) and Marquee in front of it: the
/// real providers over loopback HTTP and a real SQLite store in its own folder. The simulators run in this process or,
/// when the scenario is given a way to start one (<see cref="ScenarioContext.SimHost"/>), in a process of their own,
/// so the figures of this process are Marquee's alone.
/// </summary>
public sealed class ReferenceWorld : IAsyncDisposable
{
    public const int PageSize = 1000;

    private readonly SimClock _clock = new(start: SimWorldInfo.ClockStart);
    private ServiceProvider? _services;
    private SimProcessStats? _simulatorsAtStart;
    private Dictionary<string, string?> _settings = [];

    private ReferenceWorld(ISimWorld sims, string dataFolder, WorldSize size)
    {
        Sims = sims;
        DataFolder = dataFolder;
        Size = size;
        _clock.Set(sims.Info.Now);
    }

    public ISimWorld Sims { get; }

    /// <summary>Gets a value indicating whether the simulators run in a process of their own.</summary>
    public bool SimulatorsApart => Sims is RemoteSimWorld;

    public string DataFolder { get; }

    public WorldSize Size { get; }

    public PhaseTimer Timer { get; } = new();

    public IReadOnlyList<string> Accounts => Sims.Info.Accounts;

    public string Owner => Sims.Info.Owner;

    /// <summary>Gets the simulators' CPU seconds and peak memory during the last measured part, when they run apart.</summary>
    public SimProcessStats? SimulatorsMeasured { get; private set; }

    public IServiceProvider Services => _services!;

    public DateTimeOffset Now => _clock.GetUtcNow();

    public static async Task<ReferenceWorld> StartAsync(WorldSize size, string dataFolder, CancellationToken cancellationToken) =>
        await StartAsync(PlexPairWorld.Kind, size, dataFolder, null, cancellationToken);

    /// <summary>
    /// Starts the world <paramref name="kind"/> in this process, or in a child of <paramref name="simHost"/> when one is
    /// given; with <paramref name="systemClock"/> the simulators keep the system's time, so a Marquee process of its own
    /// (<see cref="SyncApartAsync"/>) agrees with them.
    /// </summary>
    public static async Task<ReferenceWorld> StartAsync(string kind, WorldSize size, string dataFolder, ChildCommand? simHost, CancellationToken cancellationToken, bool systemClock = false)
    {
        var spec = SimWorldHost.Spec(kind, size, systemClock);
        ISimWorld sims = simHost is null
            ? await SimWorldHost.StartLocalAsync(spec, cancellationToken)
            : await RemoteSimWorld.StartAsync(simHost, spec, cancellationToken);
        var world = new ReferenceWorld(sims, dataFolder, size);
        var config = new Dictionary<string, string?>
        {
            ["Marquee:DataFolder"] = dataFolder,
            ["Marquee:Plex:PageSize"] = size.ListingPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Marquee:Plex:RetryDelay"] = "00:00:00.200",
            ["Marquee:Jellyfin:PageSize"] = size.ListingPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (sims.Info.PlexTvUrl is { } plexTv)
        {
            config["Marquee:Plex:PlexTvUrl"] = plexTv;
        }

        world._settings = config;
        world._services = await StartMarqueeAsync(config, world._clock, world.Timer, cancellationToken);
        await using var scope = world._services.CreateAsyncScope();
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        foreach (var connection in sims.Info.Connections)
        {
            var settings = new JsonObject(connection.Settings.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value)));
            await connections.CreateAsync(connection.Name, connection.Kind, settings, cancellationToken);
        }

        return world;
    }

    /// <summary>Marquee's services over <paramref name="config"/>, on the simulators' clock, its store migrated; <paramref name="timer"/> splits runs into phases.</summary>
    public static async Task<ServiceProvider> StartMarqueeAsync(Dictionary<string, string?> config, TimeProvider clock, PhaseTimer? timer, CancellationToken cancellationToken)
    {
        // MARQUEE__ settings of the environment apply (Marquee:Memory, say), under the world's own.
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables(MarqueeConfiguration.EnvironmentPrefix).AddInMemoryCollection(config).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(clock);
        services.AddMarqueeServices(configuration, _ => null);
        if (timer is not null)
        {
            services.AddPhaseTiming(timer);
        }

        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<MarqueeStartup>().InitializeAsync(cancellationToken);
        return provider;
    }

    public Task SetLatencyAsync(int ms) => Sims.SetLatencyAsync(ms);

    /// <summary>Moves the simulators' clocks and Marquee's together.</summary>
    public async Task AdvanceClockAsync(TimeSpan by)
    {
        await Sims.AdvanceClockAsync(by);
        _clock.Advance(by);
    }

    public async Task ResetCountsAsync()
    {
        await Sims.ResetCountsAsync();
        Timer.Reset();
    }

    /// <summary>Starts measuring: this process's figures, and the simulators' when they run apart (their peak is reset).</summary>
    public async Task<Measurement> StartMeasurementAsync()
    {
        await StartSimulatorsMeasurementAsync();
        return Measurement.Start();
    }

    public async Task StopMeasurementAsync(Measurement measurement)
    {
        measurement.Stop();
        await StopSimulatorsMeasurementAsync();
    }

    /// <summary>Starts measuring the simulators alone, when they run apart (their peak is reset): for a Marquee measured in a process of its own.</summary>
    public async Task StartSimulatorsMeasurementAsync() => _simulatorsAtStart = await Sims.StatsAsync(resetPeak: true);

    /// <summary>Ends the simulators' measurement: <see cref="SimulatorsMeasured"/>.</summary>
    public async Task StopSimulatorsMeasurementAsync()
    {
        var end = await Sims.StatsAsync(resetPeak: false);
        SimulatorsMeasured = end is not null && _simulatorsAtStart is { } start
            ? new SimProcessStats(end.CpuSeconds - start.CpuSeconds, start.RssBytes, end.PeakRssBytes)
            : null;
    }

    public async Task<Flow> AddFlowAsync(bool twoWay, IReadOnlyList<string> features, IReadOnlyList<string>? profiles, CancellationToken cancellationToken)
    {
        await using var scope = Services.CreateAsyncScope();
        var names = Sims.Info.Connections;
        return await scope.ServiceProvider.GetRequiredService<FlowService>().CreateAsync(
            new FlowInput { Name = "bench", From = names[0].Name, To = names[1].Name, TwoWay = twoWay, Features = features, Mode = FlowMode.Mirror, Filters = new FlowFilters { Profiles = profiles ?? [] } },
            cancellationToken);
    }

    public async Task<SyncReport> SyncAsync(Flow flow, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SyncService>().RunAsync(flow, new SyncOptions { Trigger = "bench", Since = since }, null, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="flow"/> as an owner runs it from a schedule of their own: <c>marquee sync FLOW</c>, a process of
    /// its own over this world's data folder and settings, measured from outside (<see cref="ChildRun"/>); the run's
    /// record is then read from the store: null when the command recorded none. The world must keep the system's time
    /// (see <see cref="StartAsync(string, WorldSize, string, ChildCommand?, CancellationToken, bool)"/>).
    /// </summary>
    public async Task<(ChildRun Process, SyncRun? Run)> SyncApartAsync(ChildCommand marquee, Flow flow, CancellationToken cancellationToken)
    {
        var before = await LatestRunAsync(cancellationToken);
        var environment = _settings.ToDictionary(s => MarqueeConfiguration.EnvironmentPrefix + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

        // The data folder is given on the command line; a configuration file of the owner's shell is not this world's.
        environment["MARQUEE_DATA"] = null;
        environment["MARQUEE_CONFIG"] = null;
        var process = await ChildRun.RunAsync(marquee.FileName, [.. marquee.Prefix, "sync", flow.Name, "--data", DataFolder], DataFolder, environment, TimeSpan.FromMinutes(30), cancellationToken);
        var run = await LatestRunAsync(cancellationToken);
        return (process, run is not null && run.Id != before?.Id && run.FlowId == flow.Id ? run : null);
    }

    private async Task<SyncRun?> LatestRunAsync(CancellationToken cancellationToken)
    {
        await using var scope = Services.CreateAsyncScope();
        var runs = await scope.ServiceProvider.GetRequiredService<IRunStore>().ListAsync(1, cancellationToken);
        return runs.Count > 0 ? runs[0] : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await Sims.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
