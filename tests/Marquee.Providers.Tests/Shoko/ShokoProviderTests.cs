using Marquee.Core.Providers;
using Marquee.Providers.Shoko;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Shoko;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Providers.Tests.Shoko;

/// <summary>The Shoko provider against the Shoko simulator over real HTTP: accounts, settings, and every failure named with the connection.</summary>
public sealed class ShokoProviderTests : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private ShokoSimulator? _sim;

    public ShokoProviderTests()
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        collection.AddShoko();
        collection.Configure<ShokoOptions>(o =>
        {
            o.RetryDelay = TimeSpan.FromMilliseconds(50);
            o.RequestTimeout = TimeSpan.FromSeconds(5);
        });
        _services = collection.BuildServiceProvider();
    }

    [Fact]
    public async Task Administrator_ListsEveryUser_UsersWithAPasswordNeedIt_OwnerIsTheFirstAdmin()
    {
        var sim = await StartAsync(password: string.Empty);
        sim.State.Users[2].Password = "secret";
        var provider = Provider(new ShokoSettings { Url = sim.BaseUri, User = "admin", Password = string.Empty });

        var accounts = await provider.ListAccountsAsync(CancellationToken.None);

        Assert.Equal(["admin", "anna", "bob"], accounts.Select(a => a.Name));
        Assert.Equal("owner", accounts[0].Kind);
        Assert.True(accounts[1].CanAct);
        Assert.False(accounts[2].CanAct);
        Assert.Contains("userPasswords", accounts[2].Reason, StringComparison.Ordinal);

        var withPassword = Provider(new ShokoSettings { Url = sim.BaseUri, User = "admin", Password = string.Empty, UserPasswords = "bob=secret" });
        Assert.True((await withPassword.ListAccountsAsync(CancellationToken.None))[2].CanAct);
    }

    [Fact]
    public async Task WrongCredentials_AndWrongKey_AreTestProblemsOnTheCredentialField_NamingTheConnection()
    {
        var sim = await StartAsync(password: "pw");

        var wrongPassword = await Provider(new ShokoSettings { Url = sim.BaseUri, User = "anna", Password = "nope" }).TestAsync(CancellationToken.None);
        var wrongKey = await Provider(new ShokoSettings { Url = sim.BaseUri, ApiKey = "7d1e2c5a-8f3b-4c61-9a0e-2b6f4d9c1e77" }).TestAsync(CancellationToken.None);
        var right = await Provider(new ShokoSettings { Url = sim.BaseUri, User = "anna", Password = "pw" }).TestAsync(CancellationToken.None);

        Assert.Equal("password", Assert.Single(wrongPassword).Field);
        Assert.Contains("Shoko server 'anime'", wrongPassword[0].Message, StringComparison.Ordinal);
        Assert.Contains("unauthorised", wrongPassword[0].Message, StringComparison.Ordinal);
        Assert.Equal("apiKey", Assert.Single(wrongKey).Field);
        Assert.Empty(right);
    }

    [Fact]
    public async Task HtmlErrorPage_NotStartedServer_AndAnotherProduct_AreClearTestProblems()
    {
        var sim = await StartAsync();
        var provider = Provider(new ShokoSettings { Url = sim.BaseUri, User = "admin" });
        sim.Control.Harness.SetFault("GET /api/v3/Init/Status", new FaultSpec { Error500 = 1, Times = 4 });
        var html = Assert.Single(await provider.TestAsync(CancellationToken.None));
        Assert.Equal("url", html.Field);
        Assert.Contains("500 Internal Server Error", html.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("<html>", html.Message, StringComparison.Ordinal);

        sim.Control.Harness.ClearFaults();
        sim.Control.SetMode(ShokoServerMode.NotStarted);
        var waiting = Assert.Single(await provider.TestAsync(CancellationToken.None));
        Assert.StartsWith("not started", waiting.Message, StringComparison.Ordinal);

        var notShoko = Assert.Single(await Provider(new ShokoSettings { Url = new Uri(sim.BaseUri, "/_sim/"), User = "admin" }).TestAsync(CancellationToken.None));
        Assert.Equal("url", notShoko.Field);
    }

    [Fact]
    public async Task MissingEpisode_AndFilelessEpisode_AreClearErrors_NamingTheConnection()
    {
        var sim = await StartAsync();
        var provider = Provider(new ShokoSettings { Url = sim.BaseUri, User = "admin" });
        var account = (await provider.ListAccountsAsync(CancellationToken.None))[0];
        var series = sim.State.Catalog.Series[2];
        var fileless = sim.State.Catalog.Episodes.First(e => sim.State.FilesOf(e).Count == 0);

        var missing = await Assert.ThrowsAsync<ProviderException>(() => provider.MarkWatchedAsync(account, $"{series.Id}:99999", null, CancellationToken.None));
        var noFile = await Assert.ThrowsAsync<ProviderException>(() => provider.MarkWatchedAsync(account, $"{series.Id}:{fileless.Id}", null, CancellationToken.None));
        var badKey = await Assert.ThrowsAsync<ProviderException>(() => provider.MarkWatchedAsync(account, "nonsense", null, CancellationToken.None));

        Assert.Contains("Shoko server 'anime'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("episode 99999 does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Contains("has no file", noFile.Message, StringComparison.Ordinal);
        Assert.Contains("not a Shoko item key", badKey.Message, StringComparison.Ordinal);
        Assert.Null(await provider.ReadItemAsync(account, $"{series.Id}:99999", CancellationToken.None));
    }

    [Fact]
    public async Task RevokedKey_LogsInAgainOnce_AndTheWriteGoesThrough()
    {
        var sim = await StartAsync();
        var provider = Provider(new ShokoSettings { Url = sim.BaseUri, User = "anna" });
        var account = Assert.Single(await provider.ListAccountsAsync(CancellationToken.None));
        using var http = new HttpClient { BaseAddress = sim.BaseUri };
        (await http.PostAsync(new Uri("/_sim/keys/revoke", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var episode = sim.State.Catalog.Episodes.First(e => sim.State.FilesOf(e).Count == 1 && sim.State.FilesOf(e)[0].File.Episodes.Count == 1);

        await provider.MarkWatchedAsync(account, $"{episode.SeriesId}:{episode.Id}", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), CancellationToken.None);

        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), sim.Control.View("anna", episode.Id).Watched);
        Assert.Equal(2, sim.Control.RequestCounts["POST /api/auth"]);
    }

    [Theory]
    [InlineData(null, null, null, "apiKey")]
    [InlineData("k", "anna", null, "user")]
    [InlineData(null, "anna", "bob", "userPasswords")]
    public void Settings_Malformed_NameTheField(string? apiKey, string? user, string? passwords, string field)
    {
        var problems = ShokoSettingsValidator.Validate(new ShokoSettings { Url = new Uri("http://shoko:8111"), ApiKey = apiKey, User = user, UserPasswords = passwords });
        Assert.Contains(problems, p => p.Field == field);
        Assert.Contains(ShokoSettingsValidator.Validate(new ShokoSettings { Url = new Uri("ftp://shoko"), ApiKey = "k" }), p => p.Field == "url");
    }

    public async ValueTask DisposeAsync()
    {
        if (_sim is not null)
        {
            await _sim.DisposeAsync();
        }

        await _services.DisposeAsync();
    }

    [Theory]
    [InlineData(ShokoVersionBody.Set, "auto", "PUT /api/v3/Episode/{episodeID}/UserData")]
    [InlineData(ShokoVersionBody.List, "auto", "PUT /api/v3/Episode/{episodeID}/UserData")]
    [InlineData(ShokoVersionBody.None, "6", "PUT /api/v3/Episode/{episodeID}/UserData")]
    [InlineData(ShokoVersionBody.Set, "5", "PUT /api/v3/File/{fileID}/UserStats")]
    public async Task ServerLine_ReadFromEitherVersionBody_OrFixedBySetting_PicksTheDatedWrite(ShokoVersionBody body, string serverVersion, string write)
    {
        var sim = await StartAsync(version: ShokoServerVersion.V6);
        sim.State.VersionBody = body;
        var provider = Provider(new ShokoSettings { Url = sim.BaseUri, User = "anna", ServerVersion = serverVersion });
        var account = Assert.Single(await provider.ListAccountsAsync(CancellationToken.None));
        var episode = sim.State.Catalog.Episodes.First(e => sim.State.FilesOf(e).Count == 1 && sim.State.FilesOf(e)[0].File.Episodes.Count == 1);
        var at = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

        await provider.MarkWatchedAsync(account, $"{episode.SeriesId}:{episode.Id}", at, CancellationToken.None);

        Assert.True(sim.Control.RequestCounts.GetValueOrDefault(write) >= 1, string.Join(", ", sim.Control.RequestCounts.Keys));
        Assert.Equal(at, sim.Control.View("anna", episode.Id).Watched);
        Assert.Equal(serverVersion == "auto" ? 1 : 0, sim.Control.RequestCounts.GetValueOrDefault("GET /api/v3/Init/Version"));
    }

    [Theory]
    [InlineData("""{"Server":{"Version":"5.1.0","ReleaseChannel":"Stable"}}""", 5)]
    [InlineData("""{"server":{"version":"6.0.0-dev.412"}}""", 6)]
    [InlineData("""[{"Name":"Commons","Version":"1.0"},{"Name":"Server","Version":"v6.1"}]""", 6)]
    [InlineData("""{"Server":{"ReleaseChannel":"Dev"}}""", null)]
    [InlineData("""{"Server":{"Version":6}}""", null)]
    [InlineData("""{"Server":"6.0.0"}""", null)]
    [InlineData("""[{"Name":"Server"}]""", null)]
    [InlineData("\"6.0.0\"", null)]
    [InlineData("""{"Server":{"Version":"beta"}}""", null)]
    public void ServerLine_OfEachBody(string json, int? line)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(line, ShokoProvider.ServerLine(document.RootElement));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("six")]
    [InlineData("")]
    public void ServerVersionSetting_Malformed_NamesTheField(string value)
    {
        var problems = ShokoSettingsValidator.Validate(new ShokoSettings { Url = new Uri("http://shoko:8111"), User = "anna", ServerVersion = value });
        Assert.Contains(problems, p => p.Field == "serverVersion");
    }

    private async Task<ShokoSimulator> StartAsync(string password = "", ShokoServerVersion version = ShokoServerVersion.V5)
    {
        _sim = await ShokoSimulator.StartAsync(new ShokoSimulatorOptions { Password = password, Version = version }, CancellationToken.None);
        return _sim;
    }

    private ShokoProvider Provider(ShokoSettings settings) =>
        _services.CreateShokoProvider(settings, new ProviderContext(1, "anime", _services, new RequestCounts()));
}
