using System.Diagnostics;
using Marquee.Core.Providers;
using Marquee.Providers.Arr;
using Marquee.Simulators.Arr;
using Marquee.Simulators.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Providers.Tests.Arr;

/// <summary>Radarr and Sonarr connections tested against the simulators over real HTTP: URL base, API key, the right application.</summary>
public sealed class ArrConnectionTests
{
    [Theory]
    [InlineData("radarr", ArrFlavor.Radarr, "")]
    [InlineData("sonarr", ArrFlavor.Sonarr, "")]
    [InlineData("radarr", ArrFlavor.Radarr, "/radarr")]
    public async Task Test_Passes_AgainstTheApplicationItNames(string kind, ArrFlavor flavor, string urlBase)
    {
        await using var sim = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = flavor, Movies = 5, Shows = 1, UrlBase = urlBase }, CancellationToken.None);
        var requests = new RequestCounts();

        var problems = await Provider(kind, sim.ApplicationUri, sim.ApiKey, requests).TestAsync(CancellationToken.None);

        Assert.Empty(problems);
        Assert.Equal(1, requests.Snapshot()["GET /api/v3/system/status"]);
        Assert.Equal(1, sim.Control.RequestCounts[$"GET {urlBase}/api/v3/system/status"]);
    }

    [Fact]
    public async Task Test_WithAWrongKey_PointsAtTheKey_AndNeverShowsIt()
    {
        await using var sim = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Movies = 1 }, CancellationToken.None);

        var problem = Assert.Single(await Provider("radarr", sim.ApplicationUri, "wrong-key-123", new RequestCounts()).TestAsync(CancellationToken.None));

        Assert.Equal("apiKey", problem.Field);
        Assert.Contains("unauthorised", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-key-123", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_OfASonarrUrlAddedAsRadarr_SaysWhichApplicationItIs()
    {
        await using var sim = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Sonarr, Shows = 1 }, CancellationToken.None);

        var problem = Assert.Single(await Provider("radarr", sim.ApplicationUri, sim.ApiKey, new RequestCounts()).TestAsync(CancellationToken.None));

        Assert.Equal("url", problem.Field);
        Assert.Contains("Sonarr", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'sonarr' connection", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_WithoutTheUrlBase_IsNotARadarr()
    {
        await using var sim = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Movies = 1, UrlBase = "/radarr" }, CancellationToken.None);

        var problem = Assert.Single(await Provider("radarr", sim.BaseUri, sim.ApiKey, new RequestCounts()).TestAsync(CancellationToken.None));

        Assert.Equal("url", problem.Field);
        Assert.Contains("not a Radarr server", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_OfAServerThatAlwaysFails_AnswersWithinTheTestBudget_NamingTheConnection()
    {
        await using var sim = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = ArrFlavor.Radarr, Movies = 1 }, CancellationToken.None);
        sim.Control.SetFault("GET /api/v3/system/status", new FaultSpec { Error500 = 1 });
        var watch = Stopwatch.StartNew();

        var problem = Assert.Single(await Provider("radarr", sim.ApplicationUri, sim.ApiKey, new RequestCounts()).TestAsync(CancellationToken.None));

        Assert.Equal("url", problem.Field);
        Assert.Contains("Radarr 'movies'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("500", problem.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("ftp://host/radarr", "key", "url")]
    [InlineData("http://host:7878/?apikey=abc", "key", "url")]
    [InlineData("http://host:7878", "", "apiKey")]
    [InlineData("http://host:7878", "two words", "apiKey")]
    public void Settings_Malformed_NameTheField(string url, string apiKey, string field)
    {
        var problems = ArrSettingsValidator.Validate(new ArrSettings { Url = new Uri(url), ApiKey = apiKey });

        Assert.Equal(field, Assert.Single(problems).Field);
    }

    private static IProvider Provider(string kind, Uri url, string apiKey, RequestCounts requests)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).AddArr().Configure<ArrOptions>(o => o.RetryDelay = TimeSpan.FromMilliseconds(20)).BuildServiceProvider();
        var descriptor = services.GetServices<IProviderDescriptor>().Single(d => d.Kind == kind);
        return descriptor.Create(new ArrSettings { Url = url, ApiKey = apiKey }, new ProviderContext(1, "movies", services, requests));
    }
}
