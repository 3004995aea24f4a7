using System.Net;
using Marquee.Core.Connections;
using Marquee.Core.Providers;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Providers.Tests.Plex;

/// <summary>Owner, Home users with and without PIN, friends (with and without an obtainable token); caching; 401 refresh.</summary>
public sealed class PlexAccountTests : IAsyncLifetime
{
    private const string SharedServers = "plextv:GET /api/servers/{machineId}/shared_servers";
    private const string Switch = "plextv:POST /api/v2/home/users/{uuid}/switch";

    private PlexTestServer _server = null!;

    public async Task InitializeAsync() => _server = await PlexTestServer.StartAsync(withStore: true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ListAccounts_OwnerHomeUsersAndFriend_SaysWhoMarqueeCanActFor()
    {
        var accounts = await _server.Provider().ListAccountsAsync(CancellationToken.None);

        var owner = Assert.Single(accounts, a => a.Kind == Account.KindOwner);
        Assert.Equal(_server.OwnerSim.PlexTvId.ToString(System.Globalization.CultureInfo.InvariantCulture), owner.ExternalId);
        Assert.True(owner.CanAct);
        Assert.True(accounts.Single(a => a.Name == _server.Kid.Name).CanAct);
        Assert.Equal(Account.KindHome, accounts.Single(a => a.Name == _server.Kid.Name).Kind);
        var partner = accounts.Single(a => a.Name == _server.Partner.Name);
        Assert.False(partner.CanAct);
        Assert.Contains("set-pin", partner.Reason, StringComparison.Ordinal);
        var bob = accounts.Single(a => a.Name == _server.Bob.Name);
        Assert.Equal(Account.KindFriend, bob.Kind);
        Assert.True(bob.CanAct);
        Assert.Equal(4, accounts.Count);

        var stored = await _server.Store!.ListAccountsAsync(_server.ConnectionId, CancellationToken.None);
        Assert.Equal(4, stored.Count);
        Assert.Equal(Account.StatusNoAccess, stored.Single(a => a.Name == _server.Partner.Name).Status);
        Assert.Equal(Account.StatusOk, stored.Single(a => a.Name == _server.Kid.Name).Status);
    }

    [Fact]
    public async Task HomeUserWithPin_ActsOnceThePinIsGiven()
    {
        var partner = _server.Account(_server.Partner);
        await _server.Store!.UpsertAccountAsync(_server.ConnectionId, partner.ExternalId, partner.Name, partner.Kind, null, CancellationToken.None);
        await _server.Credentials.SetAsync(_server.ConnectionId, partner.ExternalId, new AccountCredential { Pin = _server.Partner.Pin }, PlexTestServer.Start, CancellationToken.None);
        var provider = _server.Provider();

        var accounts = await provider.ListAccountsAsync(CancellationToken.None);
        var movie = _server.Sim.State.ItemsOfType(1, ItemType.Movie).First(m => _server.Sim.State.State(_server.Partner, m).ViewCount == 0 && _server.Sim.State.State(_server.OwnerSim, m).ViewCount == 0);
        await provider.MarkWatchedAsync(partner, PlexProviderTests.Key(movie), null, CancellationToken.None);

        Assert.True(accounts.Single(a => a.ExternalId == partner.ExternalId).CanAct);
        Assert.Equal(1, _server.Sim.State.State(_server.Partner, movie).ViewCount);
        Assert.Equal(0, _server.Sim.State.State(_server.OwnerSim, movie).ViewCount);
    }

    [Fact]
    public async Task HomeUserWithWrongPin_CannotActAndSaysWhy()
    {
        var partner = _server.Account(_server.Partner);
        await _server.Store!.UpsertAccountAsync(_server.ConnectionId, partner.ExternalId, partner.Name, partner.Kind, null, CancellationToken.None);
        await _server.Credentials.SetAsync(_server.ConnectionId, partner.ExternalId, new AccountCredential { Pin = "0000" }, PlexTestServer.Start, CancellationToken.None);

        var accounts = await _server.Provider().ListAccountsAsync(CancellationToken.None);
        var ex = await Assert.ThrowsAsync<ProviderException>(() => _server.Provider().ReadItemAsync(partner, "1001", CancellationToken.None));

        Assert.Contains("PIN is wrong", accounts.Single(a => a.ExternalId == partner.ExternalId).Reason, StringComparison.Ordinal);
        Assert.Contains(_server.Partner.Name, ex.Message, StringComparison.Ordinal);
        Assert.Contains("PIN is wrong", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FriendWhoseTokenCannotBeHad_IsListedWithoutAccessAndReadsFailClearly()
    {
        // plex.tv keeps failing to hand out shared-server tokens: the friend's token cannot be had.
        _server.Fault(SharedServers, new FaultSpec { Error500 = 1 });
        var provider = _server.Provider();

        var accounts = await provider.ListAccountsAsync(CancellationToken.None);
        var bob = accounts.Single(a => a.Name == _server.Bob.Name);
        var ex = await Assert.ThrowsAsync<ProviderException>(() => provider.ReadItemAsync(bob, "1001", CancellationToken.None));

        Assert.False(bob.CanAct);
        Assert.Contains("shared_servers", bob.Reason, StringComparison.Ordinal);
        Assert.True(accounts.Single(a => a.Name == _server.Kid.Name).CanAct);
        Assert.Contains("friend 'bob'", ex.Message, StringComparison.Ordinal);
        var stored = (await _server.Store!.ListAccountsAsync(_server.ConnectionId, CancellationToken.None)).Single(a => a.Name == _server.Bob.Name);
        Assert.Equal(Account.StatusNoAccess, stored.Status);
        Assert.Contains("shared_servers", stored.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_AreCachedEncryptedAndReusedByTheNextRun()
    {
        await _server.Provider().ListAccountsAsync(CancellationToken.None);
        var kid = _server.Account(_server.Kid);
        var stored = await _server.Store!.GetAccountTokenAsync(_server.ConnectionId, kid.ExternalId, CancellationToken.None);
        _server.Control.ResetCounts();

        // A later run (new provider, same store) reads as the Home user and the friend without asking plex.tv again.
        var next = _server.Provider();
        await next.ReadItemAsync(kid, "1001", CancellationToken.None);
        await next.ReadItemAsync(_server.Account(_server.Bob), "1001", CancellationToken.None);

        Assert.NotNull(stored);
        Assert.DoesNotContain(_server.Kid.ServerToken, stored.ProtectedToken, StringComparison.Ordinal);
        Assert.StartsWith("protected:", stored.ProtectedToken, StringComparison.Ordinal);
        Assert.Equal(_server.Kid.ServerToken, (await _server.Credentials.GetAsync(_server.ConnectionId, kid.ExternalId, CancellationToken.None))!.ServerToken);
        Assert.DoesNotContain(_server.Control.RequestCounts.Keys, k => k.StartsWith("plextv:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unauthorized_RefreshesTheTokenOnce()
    {
        var kid = _server.Account(_server.Kid);
        await _server.Store!.UpsertAccountAsync(_server.ConnectionId, kid.ExternalId, kid.Name, kid.Kind, null, CancellationToken.None);
        await _server.Credentials.SetAsync(_server.ConnectionId, kid.ExternalId, new AccountCredential { ServerToken = "stale-token" }, PlexTestServer.Start, CancellationToken.None);
        var movie = _server.Sim.State.ItemsOfType(1, ItemType.Movie).First(m => _server.Sim.State.State(_server.Kid, m).ViewCount == 0);

        await _server.Provider().MarkWatchedAsync(kid, PlexProviderTests.Key(movie), null, CancellationToken.None);

        Assert.Equal(1, _server.Sim.State.State(_server.Kid, movie).ViewCount);
        Assert.Equal(1, _server.SimCount(Switch));
        Assert.Equal(2, _server.SimCount("PUT /:/scrobble")); // refused with the stale token, then sent with the new one
        Assert.Equal(_server.Kid.ServerToken, (await _server.Credentials.GetAsync(_server.ConnectionId, kid.ExternalId, CancellationToken.None))!.ServerToken);
    }

    [Fact]
    public async Task Unauthorized_WhenNoNewTokenCanBeHad_ReportsWhichAccountLostAccessAndWhy()
    {
        var bob = _server.Account(_server.Bob);
        await _server.Store!.UpsertAccountAsync(_server.ConnectionId, bob.ExternalId, bob.Name, bob.Kind, null, CancellationToken.None);
        await _server.Credentials.SetAsync(_server.ConnectionId, bob.ExternalId, new AccountCredential { ServerToken = "revoked" }, PlexTestServer.Start, CancellationToken.None);
        _server.Fault(SharedServers, new FaultSpec { Error503 = 1 });
        var provider = _server.Provider();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => provider.SetRatingAsync(bob, "1001", 6, null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.Status);
        Assert.Contains("friend 'bob'", ex.Message, StringComparison.Ordinal);
        Assert.True(provider.LostAccess.ContainsKey(bob.ExternalId));
        var stored = (await _server.Store!.ListAccountsAsync(_server.ConnectionId, CancellationToken.None)).Single(a => a.ExternalId == bob.ExternalId);
        Assert.Equal(Account.StatusNoAccess, stored.Status);
        Assert.Contains("503", stored.StatusReason, StringComparison.Ordinal);
        Assert.Equal(1, _server.SimCount("PUT /:/rate"));
    }

    [Fact]
    public async Task OwnerTokenRefused_ReportsTheOwnerLostAccess()
    {
        var provider = _server.Provider(settings: _server.Settings(token: "not-a-token"));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => provider.ReadItemAsync(_server.Account(_server.OwnerSim), "1001", CancellationToken.None));

        Assert.Contains("owner 'owner'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("refused the connection's token", ex.Message, StringComparison.Ordinal);
    }
}
