using Marquee.Core.Providers;
using Marquee.Providers.Arr;
using Marquee.Simulators.Arr;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Providers.Tests.Arr;

/// <summary>Bulk reads and the writes of the Radarr and Sonarr provider, over real HTTP against the simulators.</summary>
public sealed class ArrLibraryTests
{
    [Fact]
    public async Task Radarr_ReadsEveryMovie_InOneListing_WithTheirIds()
    {
        await using var sim = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Movies = 60 }, CancellationToken.None);
        var provider = (RadarrProvider)Provider("radarr", sim, new RequestCounts());

        var library = await ArrLibraries.ReadAsync(provider, CancellationToken.None);

        Assert.Equal(sim.State.Movies().Count, library.Movies.Count);
        Assert.All(library.Movies, m => Assert.True(m.TmdbId > 0 && m.Monitored));
        Assert.Equal(sim.State.Movies().Select(m => m.ImdbId).Order(), library.Movies.Select(m => m.ImdbId).Order());
        Assert.Equal(1, sim.Control.RequestCounts["GET /api/v3/movie"]);
        Assert.Equal(1, sim.Control.RequestCounts["GET /api/v3/tag"]);
        Assert.Equal(2, sim.Control.RequestCounts.Values.Sum());
    }

    [Fact]
    public async Task Sonarr_ReadsSeriesInOneListing_AndEpisodesOnePagePerSeries()
    {
        await using var sim = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Sonarr, Shows = 12 }, CancellationToken.None);
        var provider = (SonarrProvider)Provider("sonarr", sim, new RequestCounts());

        var library = await ArrLibraries.ReadAsync(provider, CancellationToken.None);

        var series = sim.State.Series();
        Assert.Equal(series.Count, library.Series.Count);
        Assert.Equal(sim.State.Episodes(_ => true).Count, library.Episodes.Values.Sum(e => e.Count));
        Assert.All(library.Series, s => Assert.True(s.TvdbId > 0 && s.Seasons is { Count: > 0 }));
        Assert.Equal(1, sim.Control.RequestCounts["GET /api/v3/series"]);
        Assert.Equal(series.Count, sim.Control.RequestCounts["GET /api/v3/episode"]);
        Assert.Equal(2 + series.Count, sim.Control.RequestCounts.Values.Sum());
    }

    [Fact]
    public async Task SeveralInstances_AreReadAtOnce_EachFromItsOwnServer()
    {
        await using var main = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Movies = 20, Missing = 0 }, CancellationToken.None);
        await using var fourK = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Movies = 5, Missing = 0, InstanceName = "Radarr 4K" }, CancellationToken.None);
        await using var sonarr = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Sonarr, Shows = 3 }, CancellationToken.None);

        var libraries = await ArrLibraries.ReadAllAsync([Provider("radarr", main, new RequestCounts(), "movies"), Provider("radarr", fourK, new RequestCounts(), "movies-4k"), Provider("sonarr", sonarr, new RequestCounts(), "tv")], CancellationToken.None);

        Assert.Equal(["movies", "movies-4k", "tv"], libraries.Select(l => l.ConnectionName));
        Assert.Equal(main.State.Movies().Count, libraries[0].Movies.Count);
        Assert.Equal(fourK.State.Movies().Count, libraries[1].Movies.Count);
        Assert.NotEqual(libraries[0].Movies.Count, libraries[1].Movies.Count);
        Assert.Equal(sonarr.State.Series().Count, libraries[2].Series.Count);
    }

    [Fact]
    public async Task Tags_AddedAndRemoved_KeepTheTagsMarqueeDoesNotOwn()
    {
        await using var sim = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Movies = 5, Missing = 0 }, CancellationToken.None);
        var theirs = sim.Control.AddMovie("Arrival", 2016, 329865, "tt2543164", ["kids"]);
        var other = sim.State.Movies().First(m => m.Id != theirs.Id);
        var provider = (RadarrProvider)Provider("radarr", sim, new RequestCounts());

        await provider.AddTagAsync("Alice", [theirs.Id, other.Id], CancellationToken.None);
        await provider.AddTagAsync("alice", [theirs.Id], CancellationToken.None);

        Assert.Equal(["alice", "kids"], sim.State.Labels(sim.State.Movie(theirs.Id)!.Tags));
        Assert.Equal(["alice"], sim.State.Labels(sim.State.Movie(other.Id)!.Tags));
        Assert.Single(sim.State.Tags(), t => t.Label == "alice");

        await provider.RemoveTagAsync("alice", [theirs.Id, other.Id], CancellationToken.None);

        Assert.Equal(["kids"], sim.State.Labels(sim.State.Movie(theirs.Id)!.Tags));
        Assert.Empty(sim.State.Movie(other.Id)!.Tags);
    }

    [Fact]
    public async Task Sonarr_Tags_KeepTheSeriesOtherTags()
    {
        await using var sim = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Sonarr, Shows = 2 }, CancellationToken.None);
        var series = sim.Control.AddSeries("Severance", 2022, 371980, 2, 3, ["bob"]);
        var provider = (SonarrProvider)Provider("sonarr", sim, new RequestCounts());

        await provider.AddTagAsync("marquee-watched", [series.Id], CancellationToken.None);
        Assert.Equal(["bob", "marquee-watched"], sim.State.Labels(sim.State.OneSeries(series.Id)!.Tags));

        await provider.RemoveTagAsync("marquee-watched", [series.Id], CancellationToken.None);
        Assert.Equal(["bob"], sim.State.Labels(sim.State.OneSeries(series.Id)!.Tags));
    }

    [Fact]
    public async Task Radarr_UnmonitorsSeveralMovies_InOneRequest()
    {
        await using var sim = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Movies = 8, Missing = 0 }, CancellationToken.None);
        var ids = sim.State.Movies().Take(3).Select(m => m.Id).ToList();
        var provider = (RadarrProvider)Provider("radarr", sim, new RequestCounts());

        await provider.SetMonitoredAsync(ids, false, CancellationToken.None);

        Assert.All(sim.State.Movies(), m => Assert.Equal(!ids.Contains(m.Id), m.Monitored));
        Assert.Equal(1, sim.Control.RequestCounts["PUT /api/v3/movie/editor"]);
    }

    [Fact]
    public async Task Sonarr_UnmonitorsEpisodes_AndASeason()
    {
        await using var sim = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Sonarr, Shows = 0, Missing = 0 }, CancellationToken.None);
        var series = sim.Control.AddSeries("Severance", 2022, 371980, 2, 4, []);
        var provider = (SonarrProvider)Provider("sonarr", sim, new RequestCounts());
        var first = sim.State.Episodes(e => e.SeriesId == series.Id && e.SeasonNumber == 1).OrderBy(e => e.EpisodeNumber).First();

        await provider.SetEpisodesMonitoredAsync([first.Id], false, CancellationToken.None);
        Assert.False(sim.State.Episodes(e => e.Id == first.Id).Single().Monitored);
        Assert.Equal(7, sim.State.Episodes(e => e.SeriesId == series.Id && e.Monitored).Count);

        await provider.SetSeasonMonitoredAsync(series.Id, 2, false, CancellationToken.None);
        Assert.False(sim.State.OneSeries(series.Id)!.Seasons[2]);
        Assert.True(sim.State.OneSeries(series.Id)!.Seasons[1]);
        Assert.All(sim.State.Episodes(e => e.SeriesId == series.Id && e.SeasonNumber == 2), e => Assert.False(e.Monitored));
    }

    internal static ArrProvider Provider(string kind, ArrSimulator sim, RequestCounts requests, string name = "arr")
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).AddArr().Configure<ArrOptions>(o => o.RetryDelay = TimeSpan.FromMilliseconds(20)).BuildServiceProvider();
        var descriptor = services.GetServices<IProviderDescriptor>().Single(d => d.Kind == kind);
        return (ArrProvider)descriptor.Create(new ArrSettings { Url = sim.ApplicationUri, ApiKey = sim.ApiKey }, new ProviderContext(1, name, services, requests));
    }
}
