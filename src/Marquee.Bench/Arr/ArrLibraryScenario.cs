using System.Globalization;
using Marquee.Bench.Infrastructure;
using Marquee.Core.Providers;
using Marquee.Providers.Arr;
using Marquee.Simulators.Arr;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Bench.Arr;

/// <summary>
/// Reads a whole Radarr (5,000 movies; quick: 500) and a whole Sonarr (1,000 series of 50 episodes, 50,000 episodes;
/// quick: 100 series) at once through the provider, against the simulators. The requests must not grow with the item
/// count: two for Radarr (tags, movies), and for Sonarr two (tags, series) plus one episode listing per series.
/// </summary>
public sealed class ArrLibraryScenario : IBenchScenario
{
    public string Name => "arr-library";

    public string Title => "read a whole Radarr and Sonarr library (requests per listing)";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var (movies, series, seasons, episodes) = context.Quick ? (500, 100, 5, 10) : (5_000, 1_000, 5, 10);
        context.Log.WriteLine($"  Radarr with {movies} movies, Sonarr with {series} series of {seasons * episodes} episodes");
        await using var radarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Movies = 0, Missing = 0 }, cancellationToken);
        await using var sonarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Sonarr, Shows = 0, Missing = 0 }, cancellationToken);
        for (var i = 1; i <= movies; i++)
        {
            radarr.State.AddMovie($"Movie {i}", 1950 + (i % 70), 100_000 + i, "tt" + (9_000_000 + i).ToString(CultureInfo.InvariantCulture), []);
        }

        for (var i = 1; i <= series; i++)
        {
            sonarr.State.AddSeries($"Series {i}", 1990 + (i % 30), 300_000 + i, null, seasons, episodes, []);
        }

        radarr.Control.Harness.ResetCounts();
        sonarr.Control.Harness.ResetCounts();
        using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).AddArr().BuildServiceProvider();
        var requests = new RequestCounts();
        ArrProvider Provider(string kind, ArrSimulator sim) => (ArrProvider)services.GetServices<IProviderDescriptor>().Single(d => d.Kind == kind)
            .Create(new ArrSettings { Url = sim.ApplicationUri, ApiKey = sim.ApiKey }, new ProviderContext(1, kind, services, requests));

        var m = Measurement.Start();
        var libraries = await ArrLibraries.ReadAllAsync([Provider("radarr", radarr), Provider("sonarr", sonarr)], cancellationToken);
        m.Stop();

        var radarrRequests = radarr.Control.RequestCounts.Values.Sum();
        var sonarrRequests = sonarr.Control.RequestCounts.Values.Sum();
        var episodesRead = libraries[1].Episodes.Values.Sum(e => e.Count);
        var simulator = radarr.Control.RequestCounts.ToDictionary(p => "radarr " + p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (endpoint, count) in sonarr.Control.RequestCounts)
        {
            simulator["sonarr " + endpoint] = count;
        }

        var checks = new List<Check>
        {
            new("every movie read", libraries[0].Movies.Count == movies, $"{libraries[0].Movies.Count} of {movies}"),
            new("every series read", libraries[1].Series.Count == series, $"{libraries[1].Series.Count} of {series}"),
            new("every episode read", episodesRead == series * seasons * episodes, $"{episodesRead} of {series * seasons * episodes}"),
            new("Radarr: 2 requests whatever the movie count", radarrRequests == 2, $"{radarrRequests} requests"),
            new("Sonarr: 2 requests plus one episode listing per series", sonarrRequests == 2 + series, $"{sonarrRequests} requests for {series} series"),
        };
        return new ScenarioResult
        {
            Name = Name,
            Title = Title,
            Status = ScenarioStatus.Ok,
            Quick = context.Quick,
            Size = new Dictionary<string, long>(StringComparer.Ordinal) { ["movies"] = movies, ["series"] = series, ["episodes"] = series * seasons * episodes },
            WallSeconds = Math.Round(m.Wall.TotalSeconds, 3),
            CpuSeconds = Math.Round(m.Cpu.TotalSeconds, 3),
            PeakRssBytes = m.PeakRss,
            BaselineRssBytes = m.BaselineRss,
            Requests = requests.Snapshot(),
            SimulatorRequests = simulator,
            TotalRequests = radarrRequests + sonarrRequests,
            FloorRequests = 4 + series,
            Metrics = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["radarr requests"] = radarrRequests,
                ["sonarr requests"] = sonarrRequests,
                ["items per second"] = Math.Round((movies + series + episodesRead) / Math.Max(0.001, m.Wall.TotalSeconds)),
            },
            Checks = checks,
        };
    }
}
