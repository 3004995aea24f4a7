using Marquee.Core.Providers;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Providers.Tests.Plex;

/// <summary>A 100,000-item library costs ⌈items/1000⌉ page requests per account and section, and no per-item reads.</summary>
[Trait("Category", "Scenario")]
public sealed class PlexScaleTests
{
    [Fact]
    public async Task ReadAsync_100000Items_CostsOnePageRequestPerThousandPerAccountAndSection()
    {
        await using var server = await PlexTestServer.StartAsync(new PlexSimulatorOptions
        {
            Movies = 90_000,
            Shows = 120,
            HomeUsers = 1,
            Friends = 1,
            ClockStart = PlexTestServer.Start,
        });
        var state = server.Sim.State;
        var total = state.Sections.Sum(s => state.ItemsOfType(s.Id, ItemType.Movie).Count + state.ItemsOfType(s.Id, ItemType.Show).Count + state.ItemsOfType(s.Id, ItemType.Episode).Count);
        Assert.True(total >= 100_000, $"library has only {total} items");

        foreach (var sim in new[] { server.OwnerSim, server.Bob })
        {
            server.Control.ResetCounts();
            var counts = new RequestCounts();
            var read = 0;
            await foreach (var item in server.Provider(counts).ReadAsync(server.Account(sim), WatchStateQuery.Full, CancellationToken.None))
            {
                read++;
            }

            // Pages per visible section: movies, or shows + episodes (shows are read once per section to join episodes).
            var expectedPages = 0L;
            var expectedItems = 0;
            foreach (var section in state.Sections.Where(s => state.CanSee(sim, s.Id)))
            {
                var lists = section.Type == "movie" ? new[] { state.ItemsOfType(section.Id, ItemType.Movie).Count } : new[] { state.ItemsOfType(section.Id, ItemType.Show).Count, state.ItemsOfType(section.Id, ItemType.Episode).Count };
                expectedPages += lists.Sum(n => Math.Max(1, (n + 999) / 1000));
                expectedItems += section.Type == "movie" ? lists[0] : lists[1];
            }

            Assert.Equal(expectedItems, read);
            Assert.Equal(expectedPages, server.SimCount("GET /library/sections/{id}/all"));
            Assert.Equal(expectedPages, counts.Snapshot()["GET /library/sections/{id}/all"]);
            Assert.DoesNotContain(server.Control.RequestCounts.Keys, k => k.StartsWith("GET /library/metadata", StringComparison.Ordinal));
        }
    }
}
