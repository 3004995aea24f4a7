using Marquee.Core.Connections;
using Marquee.Core.Validation;
using Marquee.Data.Stores;

namespace Marquee.Data.Tests;

public sealed class ConnectionStoreTests : StoreTestBase
{
    private readonly ConnectionStore _store;

    public ConnectionStoreTests()
    {
        _store = new ConnectionStore(Provider);
    }

    [Fact]
    public async Task InsertAsync_ThenGet_RoundTrips()
    {
        var inserted = await _store.InsertAsync("home-plex", "plex", """{"url":"http://plex.local"}""", Now, CancellationToken.None);

        Assert.NotNull(inserted);
        Assert.True(inserted.Id > 0);
        var expected = new StoredConnection(inserted.Id, "home-plex", "plex", """{"url":"http://plex.local"}""", Now, Now);
        Assert.Equal(expected, inserted);
        Assert.Equal(expected, await _store.GetAsync(inserted.Id, CancellationToken.None));
    }

    [Fact]
    public async Task InsertAsync_NameTaken_ReturnsNull()
    {
        await _store.InsertAsync("home-plex", "plex", "{}", Now, CancellationToken.None);

        var second = await _store.InsertAsync("HOME-PLEX", "jellyfin", "{}", Now, CancellationToken.None);

        Assert.Null(second);
        var only = Assert.Single(await _store.ListAsync(CancellationToken.None));
        Assert.Equal(("home-plex", "plex"), (only.Name, only.Kind));
    }

    [Fact]
    public async Task Finding5_UpdateAsync_RenameToATakenName_IsAConflict()
    {
        await _store.InsertAsync("home-plex", "plex", "{}", Now, CancellationToken.None);
        var other = await _store.InsertAsync("other", "plex", "{}", Now, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ConflictException>(() => _store.UpdateAsync(other!.Id, "Home-Plex", "{}", Now, CancellationToken.None));

        Assert.Equal("name", ex.Field);
        Assert.Equal("other", (await _store.GetAsync(other!.Id, CancellationToken.None))!.Name);
    }

    [Theory]
    [InlineData("home-plex")]
    [InlineData("HOME-PLEX")]
    [InlineData("Home-Plex")]
    public async Task FindByNameAsync_IgnoresCase(string lookup)
    {
        var inserted = await _store.InsertAsync("home-plex", "plex", "{}", Now, CancellationToken.None);

        var found = await _store.FindByNameAsync(lookup, CancellationToken.None);

        Assert.Equal(inserted, found);
    }

    [Fact]
    public async Task FindByNameAsync_Unknown_ReturnsNull()
    {
        await _store.InsertAsync("home-plex", "plex", "{}", Now, CancellationToken.None);

        Assert.Null(await _store.FindByNameAsync("home", CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_Unknown_ReturnsNull()
    {
        Assert.Null(await _store.GetAsync(42, CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_OrdersByName()
    {
        await _store.InsertAsync("zeta", "plex", "{}", Now, CancellationToken.None);
        await _store.InsertAsync("alpha", "plex", "{}", Now, CancellationToken.None);
        await _store.InsertAsync("mid", "jellyfin", "{}", Now, CancellationToken.None);

        var all = await _store.ListAsync(CancellationToken.None);

        Assert.Equal(["alpha", "mid", "zeta"], all.Select(c => c.Name));
    }

    [Fact]
    public async Task UpdateAsync_ChangesNameSettingsAndUpdatedAtOnly()
    {
        var inserted = await _store.InsertAsync("home-plex", "plex", """{"a":1}""", Now, CancellationToken.None);
        var later = Now.AddHours(1);

        var updated = await _store.UpdateAsync(inserted!.Id, "main-plex", """{"a":2}""", later, CancellationToken.None);

        Assert.True(updated);
        var stored = await _store.GetAsync(inserted.Id, CancellationToken.None);
        Assert.Equal(new StoredConnection(inserted.Id, "main-plex", "plex", """{"a":2}""", Now, later), stored);
    }

    [Fact]
    public async Task UpdateAsync_UnknownId_ReturnsFalse()
    {
        Assert.False(await _store.UpdateAsync(42, "x", "{}", Now, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_RemovesConnection()
    {
        var inserted = await _store.InsertAsync("home-plex", "plex", "{}", Now, CancellationToken.None);

        Assert.True(await _store.DeleteAsync(inserted!.Id, CancellationToken.None));

        Assert.Null(await _store.GetAsync(inserted.Id, CancellationToken.None));
        Assert.Empty(await _store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_UnknownId_ReturnsFalse()
    {
        Assert.False(await _store.DeleteAsync(42, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_CascadesToAccounts()
    {
        var keep = await _store.InsertAsync("keep", "plex", "{}", Now, CancellationToken.None);
        var gone = await _store.InsertAsync("gone", "plex", "{}", Now, CancellationToken.None);
        await _store.UpsertAccountAsync(keep!.Id, "1", "anna", Account.KindOwner, null, CancellationToken.None);
        await _store.UpsertAccountAsync(gone!.Id, "1", "anna", Account.KindOwner, null, CancellationToken.None);
        await _store.UpsertAccountAsync(gone.Id, "2", "bob", Account.KindHome, null, CancellationToken.None);

        await _store.DeleteAsync(gone.Id, CancellationToken.None);

        Assert.Empty(await _store.ListAccountsAsync(gone.Id, CancellationToken.None));
        Assert.Single(await _store.ListAccountsAsync(keep.Id, CancellationToken.None));
        Assert.Equal(1L, await Provider.ScalarAsync<long>("SELECT COUNT(*) FROM accounts"));
    }

    [Fact]
    public async Task UpsertAccountAsync_New_InsertsWithUnknownStatus()
    {
        var connection = await _store.InsertAsync("home-plex", "plex", "{}", Now, CancellationToken.None);

        var account = await _store.UpsertAccountAsync(connection!.Id, "123", "Anna", Account.KindHome, "anna@example.com", CancellationToken.None);

        Assert.True(account.Id > 0);
        Assert.Equal(new Account(account.Id, connection.Id, "123", "Anna", Account.KindHome, "anna@example.com", "unknown", null), account);
        Assert.Equal([account], await _store.ListAccountsAsync(connection.Id, CancellationToken.None));
    }

    [Fact]
    public async Task UpsertAccountAsync_Existing_UpdatesNameAndKindKeepsIdAndEmail()
    {
        var connection = await _store.InsertAsync("home-plex", "plex", "{}", Now, CancellationToken.None);
        var first = await _store.UpsertAccountAsync(connection!.Id, "123", "123", Account.KindUnknown, "anna@example.com", CancellationToken.None);

        var second = await _store.UpsertAccountAsync(connection.Id, "123", "Anna", Account.KindFriend, null, CancellationToken.None);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(("Anna", Account.KindFriend, "anna@example.com"), (second.Name, second.Kind, second.Email));
        Assert.Single(await _store.ListAccountsAsync(connection.Id, CancellationToken.None));
    }

    [Fact]
    public async Task UpsertAccountAsync_NewEmail_ReplacesOldEmail()
    {
        var connection = await _store.InsertAsync("home-plex", "plex", "{}", Now, CancellationToken.None);
        await _store.UpsertAccountAsync(connection!.Id, "123", "Anna", Account.KindHome, "old@example.com", CancellationToken.None);

        var account = await _store.UpsertAccountAsync(connection.Id, "123", "Anna", Account.KindHome, "new@example.com", CancellationToken.None);

        Assert.Equal("new@example.com", account.Email);
    }

    [Fact]
    public async Task UpsertAccountAsync_SameExternalIdOnOtherConnection_IsSeparateAccount()
    {
        var a = await _store.InsertAsync("a", "plex", "{}", Now, CancellationToken.None);
        var b = await _store.InsertAsync("b", "plex", "{}", Now, CancellationToken.None);

        var onA = await _store.UpsertAccountAsync(a!.Id, "1", "anna", Account.KindOwner, null, CancellationToken.None);
        var onB = await _store.UpsertAccountAsync(b!.Id, "1", "anna", Account.KindOwner, null, CancellationToken.None);

        Assert.NotEqual(onA.Id, onB.Id);
        Assert.Equal([onA], await _store.ListAccountsAsync(a.Id, CancellationToken.None));
        Assert.Equal([onB], await _store.ListAccountsAsync(b.Id, CancellationToken.None));
    }

    [Fact]
    public async Task FindAccountAsync_ByExternalIdOrNameIgnoringCase()
    {
        var connection = await _store.InsertAsync("home-plex", "plex", "{}", Now, CancellationToken.None);
        var anna = await _store.UpsertAccountAsync(connection!.Id, "123", "Anna", Account.KindHome, null, CancellationToken.None);
        await _store.UpsertAccountAsync(connection.Id, "456", "Bob", Account.KindHome, null, CancellationToken.None);

        Assert.Equal(anna, await _store.FindAccountAsync(connection.Id, "123", CancellationToken.None));
        Assert.Equal(anna, await _store.FindAccountAsync(connection.Id, "anna", CancellationToken.None));
        Assert.Equal(anna, await _store.FindAccountAsync(connection.Id, "ANNA", CancellationToken.None));
        Assert.Null(await _store.FindAccountAsync(connection.Id, "carol", CancellationToken.None));
    }

    [Fact]
    public async Task FindAccountAsync_ExternalIdMatchWinsOverNameMatch()
    {
        var connection = await _store.InsertAsync("home-plex", "plex", "{}", Now, CancellationToken.None);
        await _store.UpsertAccountAsync(connection!.Id, "1", "42", Account.KindHome, null, CancellationToken.None);
        var byId = await _store.UpsertAccountAsync(connection.Id, "42", "Bob", Account.KindHome, null, CancellationToken.None);

        Assert.Equal(byId, await _store.FindAccountAsync(connection.Id, "42", CancellationToken.None));
    }

    [Fact]
    public async Task FindAccountAsync_OtherConnection_ReturnsNull()
    {
        var a = await _store.InsertAsync("a", "plex", "{}", Now, CancellationToken.None);
        var b = await _store.InsertAsync("b", "plex", "{}", Now, CancellationToken.None);
        await _store.UpsertAccountAsync(a!.Id, "1", "anna", Account.KindOwner, null, CancellationToken.None);

        Assert.Null(await _store.FindAccountAsync(b!.Id, "anna", CancellationToken.None));
    }
}
