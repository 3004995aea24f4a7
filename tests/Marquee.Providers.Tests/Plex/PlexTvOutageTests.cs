using System.Globalization;
using Marquee.Core.Connections;
using Marquee.Simulators.Plex;

namespace Marquee.Providers.Tests.Plex;

/// <summary>
/// Issue 13, finding 10: with plex.tv down (connections refused, or 500 to everything) a direct connection (URL and
/// owner token) still lists its owner, under the id it was stored with, and the accounts whose server tokens are
/// cached; only accounts that need plex.tv now are skipped, with the reason.
/// </summary>
public sealed class PlexTvOutageTests : IAsyncLifetime
{
    private PlexTestServer _server = null!;

    public static TheoryData<PlexTvOutage> Outages => new() { PlexTvOutage.Unreachable, PlexTvOutage.Error500 };

    public async Task InitializeAsync() => _server = await PlexTestServer.StartAsync(withStore: true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task PlexTvUnreachable_KnownAccountsActWithCachedTokens_OwnerKeepsItsId(PlexTvOutage outage)
    {
        var before = await _server.Provider().ListAccountsAsync(CancellationToken.None);
        await _server.Control.SetPlexTvOutageAsync(outage);

        var provider = _server.Provider();
        var accounts = await provider.ListAccountsAsync(CancellationToken.None);

        var owner = Assert.Single(accounts, a => a.Kind == Account.KindOwner);
        Assert.Equal(_server.OwnerSim.PlexTvId.ToString(CultureInfo.InvariantCulture), owner.ExternalId);
        Assert.Equal(before.Single(a => a.Kind == Account.KindOwner).ExternalId, owner.ExternalId);
        Assert.True(owner.CanAct);
        Assert.True(accounts.Single(a => a.Name == _server.Kid.Name).CanAct);
        Assert.True(accounts.Single(a => a.Name == _server.Bob.Name).CanAct);
        var partner = accounts.Single(a => a.Name == _server.Partner.Name);
        Assert.False(partner.CanAct);
        Assert.Contains("plex.tv", partner.Reason, StringComparison.Ordinal);
        Assert.Equal(before.Count, accounts.Count);

        // The owner and a cached account read their libraries from the server itself.
        Assert.Equal(4, (await provider.ListLibrariesAsync(owner, CancellationToken.None)).Count);
        Assert.NotEmpty(await provider.ListLibrariesAsync(accounts.Single(a => a.Name == _server.Kid.Name), CancellationToken.None));
        var stored = await _server.Store!.ListAccountsAsync(_server.ConnectionId, CancellationToken.None);
        Assert.Single(stored, a => a.Kind == Account.KindOwner);
    }

    [Fact]
    public async Task PlexTvUnreachable_FirstListing_OwnerStillActs_AndKeepsThatIdWhenPlexTvIsBack()
    {
        await _server.Control.SetPlexTvOutageAsync(PlexTvOutage.Unreachable);

        var accounts = await _server.Provider().ListAccountsAsync(CancellationToken.None);

        var owner = Assert.Single(accounts);
        Assert.Equal(Account.KindOwner, owner.Kind);
        Assert.True(owner.CanAct);
        Assert.Equal(4, (await _server.Provider().ListLibrariesAsync(owner, CancellationToken.None)).Count);

        await _server.Control.SetPlexTvOutageAsync(PlexTvOutage.None);
        var later = await _server.Provider().ListAccountsAsync(CancellationToken.None);

        Assert.Equal(owner.ExternalId, Assert.Single(later, a => a.Kind == Account.KindOwner).ExternalId);
        Assert.True(later.Single(a => a.Name == _server.Kid.Name).CanAct);
        Assert.Single(await _server.Store!.ListAccountsAsync(_server.ConnectionId, CancellationToken.None), a => a.Kind == Account.KindOwner);
    }

    [Fact]
    public async Task PlexTvOutageControl_RefusesThenServesAgainOnTheSamePort()
    {
        using var http = new HttpClient();
        var ping = new Uri(_server.Sim.PlexTvUri, "api/v2/ping");

        await _server.Control.SetPlexTvOutageAsync(PlexTvOutage.Unreachable);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(ping));
        await _server.Control.SetPlexTvOutageAsync(PlexTvOutage.Error500);
        Assert.Equal(500, (int)(await http.GetAsync(ping)).StatusCode);
        await _server.Control.SetPlexTvOutageAsync(PlexTvOutage.None);
        Assert.NotEqual(500, (int)(await http.GetAsync(ping)).StatusCode);
    }
}
