using System.Globalization;
using Dapper;
using Marquee.Core.Sync;
using Marquee.Data;
using Marquee.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Sync.Tests.Scenarios;

/// <summary>
/// Each stored link (a server's local key to an item) keeps the fingerprint of what it was stored with, and a full run
/// stores again only the links whose item, kind, library, guid or file changed, or that have no fingerprint yet (links
/// stored before fingerprints were kept). Plex to Plex, real store: a link's seen_at tells when it was last stored.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class LinkFingerprintScenarios
{
    [Fact]
    public async Task AFullRun_StoresAgainOnlyTheLinksThatChanged_OrHadNoFingerprint()
    {
        await using var f = new PlexToPlexFixture();
        await f.StartAsync();
        var movies = f.SharedMovies().Take(3).ToList();
        f.Source.Mark(f.Source.Owner, movies[0], true);
        var flow = await f.AddFlowAsync(features: ["watched"], profiles: ["owner"]);
        Assert.Equal(RunStatus.Done, (await f.SyncAsync(flow)).Run.Status);

        var first = await LinksAsync(f);
        Assert.True(first.Count > 50, $"{first.Count} links stored");
        Assert.All(first.Values, l => Assert.NotEqual(LinkFingerprint.None, l.Fingerprint ?? LinkFingerprint.None));
        var stored = first.Values.First();
        Assert.Equal(LinkFingerprint.Of(stored.ItemId, stored.Kind, stored.Library, stored.Guid, stored.PartKey), stored.Fingerprint);

        // A movie matched again on the source (a new guid), and a link whose fingerprint is not known (stored before).
        var sim = ((PlexScenarioServer)f.Source).Sim;
        var rematched = sim.Control.Item(int.Parse(movies[1], CultureInfo.InvariantCulture));
        rematched.PrimaryGuid = "plex://movie/fingerprint0000000000000001";
        long source;
        await using (var db = await f.Services.GetRequiredService<IDatabaseProvider>().OpenAsync(CancellationToken.None))
        {
            source = await db.ExecuteScalarAsync<long>("SELECT id FROM connections WHERE name = 'left'");
            await db.ExecuteAsync("UPDATE source_items SET fingerprint = NULL WHERE connection_id = @connection AND local_key = @key", new { connection = source, key = movies[2] });
        }

        var unknown = (source, movies[2]);

        f.AdvanceClock(TimeSpan.FromHours(1));
        var rerun = await f.SyncAsync(flow);

        Assert.Equal((RunStatus.Done, 0), (rerun.Run.Status, rerun.Run.Written));
        var second = await LinksAsync(f);
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        var storedAgain = second.Where(l => l.Value.SeenAt != first[l.Key].SeenAt).Select(l => l.Key).Order().ToList();
        Assert.Equal(new[] { (source, movies[1]), unknown }.Order(), storedAgain);
        Assert.Equal(rematched.PrimaryGuid, second[(source, movies[1])].Guid);
        Assert.NotEqual(first[(source, movies[1])].Fingerprint, second[(source, movies[1])].Fingerprint);
        Assert.Equal(first[unknown].Fingerprint, second[unknown].Fingerprint);

        // Nothing changed since: a third full run stores no link.
        f.AdvanceClock(TimeSpan.FromHours(1));
        Assert.Equal(RunStatus.Done, (await f.SyncAsync(flow)).Run.Status);
        var third = await LinksAsync(f);
        Assert.All(third, l => Assert.Equal(second[l.Key].SeenAt, l.Value.SeenAt));
    }

    private static async Task<Dictionary<(long Connection, string Key), Link>> LinksAsync(SyncScenarioFixture f)
    {
        await using var db = await f.Services.GetRequiredService<IDatabaseProvider>().OpenAsync(CancellationToken.None);
        var rows = await db.QueryAsync<Link>("SELECT connection_id AS Connection, local_key AS LocalKey, item_id AS ItemId, kind AS Kind, section_key AS Library, guid AS Guid, part_key AS PartKey, seen_at AS SeenAt, fingerprint AS Fingerprint FROM source_items WHERE item_id IS NOT NULL");
        return rows.ToDictionary(r => (r.Connection, r.LocalKey));
    }

    private sealed record Link(long Connection, string LocalKey, long ItemId, string Kind, string? Library, string? Guid, string? PartKey, long SeenAt, long? Fingerprint);
}
