using Marquee.Core.Flows;
using Marquee.Core.Validation;
using Marquee.Data.Stores;

namespace Marquee.Data.Tests;

public sealed class FlowStoreTests : StoreTestBase
{
    private readonly FlowStore _store;
    private readonly ConnectionStore _connections;
    private long _plex;
    private long _jelly;

    public FlowStoreTests()
    {
        _store = new FlowStore(Provider);
        _connections = new ConnectionStore(Provider);
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _plex = (await _connections.InsertAsync("home-plex", "plex", "{}", Now, CancellationToken.None))!.Id;
        _jelly = (await _connections.InsertAsync("jelly", "jellyfin", "{}", Now, CancellationToken.None))!.Id;
    }

    [Fact]
    public async Task InsertAsync_ThenGet_RoundTripsEveryColumn()
    {
        var definition = new FlowDefinition(
            "plex-to-jelly",
            _plex,
            _jelly,
            TwoWay: true,
            [FlowFeature.Watched, FlowFeature.Ratings],
            FlowMode.AddOnly,
            "*/15 * * * *",
            new FlowFilters { Libraries = ["Movies", "TV"], Profiles = ["anna"], IgnoreGuidPrefixes = [], RequireExternalIds = false },
            new FlowGuards { MaxRemovals = 3, MaxRemovalPercent = 2.5 },
            Enabled: false);

        var inserted = await _store.InsertAsync(definition, Now, CancellationToken.None);

        Assert.NotNull(inserted);
        var stored = await _store.GetAsync(inserted.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(
            (inserted.Id, "plex-to-jelly", _plex, "home-plex", _jelly, "jelly", true, FlowMode.AddOnly, "*/15 * * * *", false, Now, Now),
            (stored.Id, stored.Name, stored.SourceConnectionId, stored.SourceConnection, stored.TargetConnectionId, stored.TargetConnection,
                stored.TwoWay, stored.Mode, stored.Schedule, stored.Enabled, stored.CreatedAt, stored.UpdatedAt));
        Assert.Equal([FlowFeature.Watched, FlowFeature.Ratings], stored.Features);
        Assert.Equal(["Movies", "TV"], stored.Filters.Libraries);
        Assert.Equal(["anna"], stored.Filters.Profiles);
        Assert.Empty(stored.Filters.IgnoreGuidPrefixes);
        Assert.False(stored.Filters.RequireExternalIds);
        Assert.Equal(definition.Guards, stored.Guards);
    }

    [Fact]
    public async Task InsertAsync_Defaults_RoundTrip()
    {
        var inserted = await _store.InsertAsync(Definition("simple"), Now, CancellationToken.None);

        var stored = await _store.GetAsync(inserted!.Id, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.False(stored.TwoWay);
        Assert.True(stored.Enabled);
        Assert.Null(stored.Schedule);
        Assert.Empty(stored.Filters.Libraries);
        Assert.Equal(["local://"], stored.Filters.IgnoreGuidPrefixes);
        Assert.True(stored.Filters.RequireExternalIds);
        Assert.Equal(new FlowGuards(), stored.Guards);
    }

    [Fact]
    public async Task InsertAsync_JsonColumns_UseCamelCaseJson()
    {
        var inserted = await _store.InsertAsync(Definition("simple") with { Guards = new FlowGuards { MaxRemovals = 7 } }, Now, CancellationToken.None);

        var (features, guards) = (await Provider.QueryAsync<(string Features, string Guards)>(
            "SELECT features, guards FROM flows WHERE id = @id", new { id = inserted!.Id })).Single();

        Assert.Equal("""["watched"]""", features);
        Assert.Equal("""{"maxRemovals":7,"maxRemovalPercent":10}""", guards);
    }

    [Fact]
    public async Task InsertAsync_NameTaken_ReturnsNull()
    {
        await _store.InsertAsync(Definition("sync"), Now, CancellationToken.None);

        Assert.Null(await _store.InsertAsync(Definition("SYNC"), Now, CancellationToken.None));
        Assert.Single(await _store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Finding5_InsertAsync_UnknownConnection_IsAConflictNotAStoreError()
    {
        var ex = await Assert.ThrowsAsync<ConflictException>(() => _store.InsertAsync(Definition("bad") with { TargetConnectionId = 999 }, Now, CancellationToken.None));

        Assert.Equal("from", ex.Field);
        Assert.Null(await _store.FindByNameAsync("bad", CancellationToken.None));
    }

    [Fact]
    public async Task Finding5_UpdateAsync_RenameToATakenName_IsAConflict()
    {
        await _store.InsertAsync(Definition("first"), Now, CancellationToken.None);
        var second = await _store.InsertAsync(Definition("second"), Now, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ConflictException>(() => _store.UpdateAsync(second!.Id, Definition("FIRST"), Now, CancellationToken.None));

        Assert.Equal("name", ex.Field);
        Assert.Equal("second", (await _store.GetAsync(second!.Id, CancellationToken.None))!.Name);
    }

    [Fact]
    public async Task FindByNameAsync_IgnoresCase()
    {
        var inserted = await _store.InsertAsync(Definition("Plex-To-Jelly"), Now, CancellationToken.None);

        var found = await _store.FindByNameAsync("plex-to-JELLY", CancellationToken.None);

        Assert.Equal(inserted!.Id, found?.Id);
        Assert.Null(await _store.FindByNameAsync("plex", CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_Unknown_ReturnsNull()
    {
        Assert.Null(await _store.GetAsync(42, CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_OrdersByName()
    {
        await _store.InsertAsync(Definition("c"), Now, CancellationToken.None);
        await _store.InsertAsync(Definition("a"), Now, CancellationToken.None);
        await _store.InsertAsync(Definition("b"), Now, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], (await _store.ListAsync(CancellationToken.None)).Select(f => f.Name));
    }

    [Fact]
    public async Task UpdateAsync_ChangesEveryColumnButCreatedAt()
    {
        var inserted = await _store.InsertAsync(Definition("sync"), Now, CancellationToken.None);
        var later = Now.AddMinutes(5);
        var changed = new FlowDefinition(
            "sync-back",
            _jelly,
            _plex,
            TwoWay: true,
            [FlowFeature.Progress],
            FlowMode.Mirror,
            "@daily",
            new FlowFilters { Profiles = ["bob"] },
            new FlowGuards { MaxRemovalPercent = 1 },
            Enabled: false);

        Assert.True(await _store.UpdateAsync(inserted!.Id, changed, later, CancellationToken.None));

        var stored = await _store.GetAsync(inserted.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(
            ("sync-back", _jelly, "jelly", _plex, "home-plex", true, FlowMode.Mirror, "@daily", false, Now, later),
            (stored.Name, stored.SourceConnectionId, stored.SourceConnection, stored.TargetConnectionId, stored.TargetConnection,
                stored.TwoWay, stored.Mode, stored.Schedule, stored.Enabled, stored.CreatedAt, stored.UpdatedAt));
        Assert.Equal([FlowFeature.Progress], stored.Features);
        Assert.Equal(["bob"], stored.Filters.Profiles);
        Assert.Equal(1, stored.Guards.MaxRemovalPercent);
    }

    [Fact]
    public async Task UpdateAsync_UnknownId_ReturnsFalse()
    {
        Assert.False(await _store.UpdateAsync(42, Definition("x"), Now, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_RemovesFlow()
    {
        var inserted = await _store.InsertAsync(Definition("sync"), Now, CancellationToken.None);

        Assert.True(await _store.DeleteAsync(inserted!.Id, CancellationToken.None));

        Assert.Null(await _store.GetAsync(inserted.Id, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_UnknownId_ReturnsFalse()
    {
        Assert.False(await _store.DeleteAsync(42, CancellationToken.None));
    }

    [Fact]
    public async Task NamesUsingConnectionAsync_ListsFlowsUsingItAsSourceOrTarget()
    {
        var trakt = (await _connections.InsertAsync("trakt", "trakt", "{}", Now, CancellationToken.None))!.Id;
        await _store.InsertAsync(Definition("to-jelly"), Now, CancellationToken.None);
        await _store.InsertAsync(Definition("from-jelly") with { SourceConnectionId = _jelly, TargetConnectionId = _plex }, Now, CancellationToken.None);
        await _store.InsertAsync(Definition("jelly-trakt") with { SourceConnectionId = _jelly, TargetConnectionId = trakt }, Now, CancellationToken.None);

        Assert.Equal(["from-jelly", "to-jelly"], await _store.NamesUsingConnectionAsync(_plex, CancellationToken.None));
        Assert.Equal(["jelly-trakt"], await _store.NamesUsingConnectionAsync(trakt, CancellationToken.None));
        Assert.Equal(3, (await _store.NamesUsingConnectionAsync(_jelly, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task NamesUsingConnectionAsync_Unused_ReturnsEmpty()
    {
        var trakt = (await _connections.InsertAsync("trakt", "trakt", "{}", Now, CancellationToken.None))!.Id;
        await _store.InsertAsync(Definition("to-jelly"), Now, CancellationToken.None);

        Assert.Empty(await _store.NamesUsingConnectionAsync(trakt, CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_ShowsRenamedConnection()
    {
        var inserted = await _store.InsertAsync(Definition("sync"), Now, CancellationToken.None);

        await _connections.UpdateAsync(_jelly, "jellyfin-main", "{}", Now, CancellationToken.None);

        Assert.Equal("jellyfin-main", (await _store.GetAsync(inserted!.Id, CancellationToken.None))!.TargetConnection);
    }

    [Fact]
    public async Task ConnectionUsedByFlow_CannotBeDeleted()
    {
        var inserted = await _store.InsertAsync(Definition("sync"), Now, CancellationToken.None);

        await Assert.ThrowsAsync<ConflictException>(() => _connections.DeleteAsync(_jelly, CancellationToken.None));

        Assert.NotNull(await _connections.GetAsync(_jelly, CancellationToken.None));
        Assert.NotNull(await _store.GetAsync(inserted!.Id, CancellationToken.None));
    }

    private FlowDefinition Definition(string name) => new(
        name,
        _plex,
        _jelly,
        TwoWay: false,
        [FlowFeature.Watched],
        FlowMode.Mirror,
        Schedule: null,
        new FlowFilters(),
        new FlowGuards(),
        Enabled: true);
}
