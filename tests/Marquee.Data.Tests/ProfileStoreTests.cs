using Marquee.Core.Connections;
using Marquee.Core.Profiles;
using Marquee.Core.Validation;
using Marquee.Data.Stores;

namespace Marquee.Data.Tests;

public sealed class ProfileStoreTests : StoreTestBase
{
    private readonly ProfileStore _store;
    private readonly ConnectionStore _connections;

    public ProfileStoreTests()
    {
        _store = new ProfileStore(Provider);
        _connections = new ConnectionStore(Provider);
    }

    [Fact]
    public async Task InsertAsync_ThenGet_RoundTrips()
    {
        var inserted = await _store.InsertAsync("anna", "Anna B", Now, CancellationToken.None);

        Assert.NotNull(inserted);
        Assert.Equal(new Profile(inserted.Id, "anna", "Anna B", Now), inserted);
        Assert.Equal(inserted, await _store.GetAsync(inserted.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Finding5_UpdateAsync_RenameToATakenName_IsAConflict()
    {
        await _store.InsertAsync("anna", null, Now, CancellationToken.None);
        var bob = await _store.InsertAsync("bob", null, Now, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ConflictException>(() => _store.UpdateAsync(bob!.Id, "Anna", null, CancellationToken.None));

        Assert.Equal("name", ex.Field);
        Assert.Equal("bob", (await _store.GetAsync(bob!.Id, CancellationToken.None))!.Name);
    }

    [Fact]
    public async Task Finding5_LinkAsync_RemovedProfile_IsAConflict()
    {
        var connection = await _connections.InsertAsync("home", "plex", "{}", Now, CancellationToken.None);
        var account = await _connections.UpsertAccountAsync(connection!.Id, "1", "anna", "owner", null, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ConflictException>(() => _store.LinkAsync(999, account.Id, "manual", CancellationToken.None));

        Assert.Equal("account", ex.Field);
    }

    [Fact]
    public async Task Finding5_UpsertAccountAsync_RemovedConnection_IsAConflict()
    {
        var ex = await Assert.ThrowsAsync<ConflictException>(() => _connections.UpsertAccountAsync(999, "1", "anna", "owner", null, CancellationToken.None));

        Assert.Equal("connection", ex.Field);
    }

    [Fact]
    public async Task InsertAsync_WithoutDisplayName_StoresNull()
    {
        var inserted = await _store.InsertAsync("bob", null, Now, CancellationToken.None);

        Assert.Null((await _store.GetAsync(inserted!.Id, CancellationToken.None))!.DisplayName);
    }

    [Fact]
    public async Task InsertAsync_NameTaken_ReturnsNull()
    {
        await _store.InsertAsync("anna", null, Now, CancellationToken.None);

        Assert.Null(await _store.InsertAsync("Anna", "other", Now, CancellationToken.None));
        Assert.Single(await _store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task FindByNameAsync_IgnoresCase()
    {
        var inserted = await _store.InsertAsync("anna", null, Now, CancellationToken.None);

        Assert.Equal(inserted, await _store.FindByNameAsync("ANNA", CancellationToken.None));
        Assert.Null(await _store.FindByNameAsync("ann", CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_OrdersByName()
    {
        await _store.InsertAsync("carol", null, Now, CancellationToken.None);
        await _store.InsertAsync("anna", null, Now, CancellationToken.None);
        await _store.InsertAsync("bob", null, Now, CancellationToken.None);

        Assert.Equal(["anna", "bob", "carol"], (await _store.ListAsync(CancellationToken.None)).Select(p => p.Name));
    }

    [Fact]
    public async Task UpdateAsync_ChangesNameAndDisplayName()
    {
        var inserted = await _store.InsertAsync("anna", "Anna", Now, CancellationToken.None);

        Assert.True(await _store.UpdateAsync(inserted!.Id, "annab", null, CancellationToken.None));

        Assert.Equal(new Profile(inserted.Id, "annab", null, Now), await _store.GetAsync(inserted.Id, CancellationToken.None));
    }

    [Fact]
    public async Task UpdateAsync_UnknownId_ReturnsFalse()
    {
        Assert.False(await _store.UpdateAsync(42, "x", null, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_RemovesProfileAndItsLinks()
    {
        var anna = await _store.InsertAsync("anna", null, Now, CancellationToken.None);
        var account = await AccountAsync("home-plex", "1", "Anna");
        await _store.LinkAsync(anna!.Id, account.Id, "manual", CancellationToken.None);

        Assert.True(await _store.DeleteAsync(anna.Id, CancellationToken.None));

        Assert.Null(await _store.GetAsync(anna.Id, CancellationToken.None));
        Assert.Empty(await _store.ListLinksAsync(null, CancellationToken.None));
        Assert.Single(await _connections.ListAccountsAsync(account.ConnectionId, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_UnknownId_ReturnsFalse()
    {
        Assert.False(await _store.DeleteAsync(42, CancellationToken.None));
    }

    [Fact]
    public async Task LinkAsync_ListsLinkWithAccountAndConnectionDetails()
    {
        var anna = await _store.InsertAsync("anna", null, Now, CancellationToken.None);
        var account = await AccountAsync("home-plex", "123", "Anna");

        await _store.LinkAsync(anna!.Id, account.Id, "auto", CancellationToken.None);

        var link = Assert.Single(await _store.ListLinksAsync(anna.Id, CancellationToken.None));
        Assert.Equal(new LinkedAccount(anna.Id, account.Id, account.ConnectionId, "home-plex", "123", "Anna", Account.KindHome, "auto"), link);
    }

    [Fact]
    public async Task LinkAsync_AccountLinkedElsewhere_MovesIt()
    {
        var anna = await _store.InsertAsync("anna", null, Now, CancellationToken.None);
        var bob = await _store.InsertAsync("bob", null, Now, CancellationToken.None);
        var account = await AccountAsync("home-plex", "1", "shared");
        await _store.LinkAsync(anna!.Id, account.Id, "auto", CancellationToken.None);

        await _store.LinkAsync(bob!.Id, account.Id, "manual", CancellationToken.None);

        Assert.Empty(await _store.ListLinksAsync(anna.Id, CancellationToken.None));
        var link = Assert.Single(await _store.ListLinksAsync(bob.Id, CancellationToken.None));
        Assert.Equal((account.Id, "manual"), (link.AccountId, link.Origin));
    }

    [Fact]
    public async Task LinkAsync_SameLinkAgain_UpdatesOriginWithoutDuplicate()
    {
        var anna = await _store.InsertAsync("anna", null, Now, CancellationToken.None);
        var account = await AccountAsync("home-plex", "1", "Anna");
        await _store.LinkAsync(anna!.Id, account.Id, "auto", CancellationToken.None);

        await _store.LinkAsync(anna.Id, account.Id, "manual", CancellationToken.None);

        Assert.Equal("manual", Assert.Single(await _store.ListLinksAsync(null, CancellationToken.None)).Origin);
    }

    [Fact]
    public async Task ListLinksAsync_NullProfile_ListsAllProfilesOrderedByConnectionAndAccount()
    {
        var anna = await _store.InsertAsync("anna", null, Now, CancellationToken.None);
        var bob = await _store.InsertAsync("bob", null, Now, CancellationToken.None);
        var jelly = await AccountAsync("jelly", "j1", "anna");
        var plexZ = await AccountAsync("plex", "p2", "Zed");
        var plexA = await AccountAsync("plex", "p1", "Anna");
        await _store.LinkAsync(anna!.Id, plexZ.Id, "manual", CancellationToken.None);
        await _store.LinkAsync(anna.Id, jelly.Id, "manual", CancellationToken.None);
        await _store.LinkAsync(anna.Id, plexA.Id, "manual", CancellationToken.None);
        var bobsAccount = await AccountAsync("plex", "p3", "Bob");
        await _store.LinkAsync(bob!.Id, bobsAccount.Id, "manual", CancellationToken.None);

        var all = await _store.ListLinksAsync(null, CancellationToken.None);
        var annas = await _store.ListLinksAsync(anna.Id, CancellationToken.None);

        Assert.Equal(4, all.Count);
        Assert.Equal([jelly.Id, plexA.Id, plexZ.Id], annas.Select(l => l.AccountId));
        Assert.Equal([bobsAccount.Id], (await _store.ListLinksAsync(bob.Id, CancellationToken.None)).Select(l => l.AccountId));
    }

    [Fact]
    public async Task UnlinkAsync_RemovesOnlyThatLink()
    {
        var anna = await _store.InsertAsync("anna", null, Now, CancellationToken.None);
        var first = await AccountAsync("home-plex", "1", "Anna");
        var second = await AccountAsync("home-plex", "2", "Anna 2");
        await _store.LinkAsync(anna!.Id, first.Id, "manual", CancellationToken.None);
        await _store.LinkAsync(anna.Id, second.Id, "manual", CancellationToken.None);

        Assert.True(await _store.UnlinkAsync(anna.Id, first.Id, CancellationToken.None));

        Assert.Equal([second.Id], (await _store.ListLinksAsync(anna.Id, CancellationToken.None)).Select(l => l.AccountId));
    }

    [Fact]
    public async Task UnlinkAsync_NotLinkedToThatProfile_ReturnsFalse()
    {
        var anna = await _store.InsertAsync("anna", null, Now, CancellationToken.None);
        var bob = await _store.InsertAsync("bob", null, Now, CancellationToken.None);
        var account = await AccountAsync("home-plex", "1", "Anna");
        await _store.LinkAsync(anna!.Id, account.Id, "manual", CancellationToken.None);

        Assert.False(await _store.UnlinkAsync(bob!.Id, account.Id, CancellationToken.None));
        Assert.Single(await _store.ListLinksAsync(anna.Id, CancellationToken.None));
    }

    [Fact]
    public async Task LinkAsync_ConnectionDeleted_LinkGoesWithAccount()
    {
        var anna = await _store.InsertAsync("anna", null, Now, CancellationToken.None);
        var account = await AccountAsync("home-plex", "1", "Anna");
        await _store.LinkAsync(anna!.Id, account.Id, "manual", CancellationToken.None);

        await _connections.DeleteAsync(account.ConnectionId, CancellationToken.None);

        Assert.Empty(await _store.ListLinksAsync(null, CancellationToken.None));
        Assert.NotNull(await _store.GetAsync(anna.Id, CancellationToken.None));
    }

    private async Task<Account> AccountAsync(string connectionName, string externalId, string name)
    {
        var connection = await _connections.FindByNameAsync(connectionName, CancellationToken.None)
            ?? await _connections.InsertAsync(connectionName, "plex", "{}", Now, CancellationToken.None);
        return await _connections.UpsertAccountAsync(connection!.Id, externalId, name, Account.KindHome, null, CancellationToken.None);
    }
}
