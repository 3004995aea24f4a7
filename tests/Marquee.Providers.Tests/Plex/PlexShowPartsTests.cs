using System.Text.Json;
using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Providers.Plex;
using Marquee.Providers.Plex.Models;

namespace Marquee.Providers.Tests.Plex;

/// <summary>A listing's episodes share their show's key, title and ids instead of a copy each, and get the same values as without sharing.</summary>
public sealed class PlexShowPartsTests
{
    private static readonly ProviderLibrary Shows = new("2", "TV Shows", "show");

    [Fact]
    public void EpisodesOfOneShow_ShareItsParts_UnlessTheyNameItOtherwiseOrBringIdsOfTheirOwn()
    {
        var listed = Parse("""
            [{"ratingKey":"101","type":"episode","guid":"plex://episode/e1","grandparentRatingKey":"10","grandparentGuid":"plex://show/s10","grandparentTitle":"The Show","parentIndex":1,"index":1},
             {"ratingKey":"102","type":"episode","guid":"plex://episode/e2","grandparentRatingKey":"10","grandparentGuid":"plex://show/s10","grandparentTitle":"The Show","parentIndex":1,"index":2},
             {"ratingKey":"103","type":"episode","guid":"plex://episode/e3","grandparentRatingKey":"10","grandparentGuid":"plex://show/s10","grandparentTitle":"The Show (renamed)","parentIndex":1,"index":3},
             {"ratingKey":"104","type":"episode","guid":"com.plexapp.agents.thetvdb://371980/1/4?lang=en","grandparentRatingKey":"10","grandparentGuid":"plex://show/s10","grandparentTitle":"The Show","parentIndex":1,"index":4},
             {"ratingKey":"105","type":"episode","guid":"com.plexapp.agents.thetvdb://371980/1/5?lang=en","grandparentRatingKey":"10","grandparentGuid":"plex://show/s10","grandparentTitle":"The Show","parentIndex":1,"index":5},
             {"ratingKey":"106","type":"episode","guid":"com.plexapp.agents.thetvdb://371981/1/6?lang=en","grandparentRatingKey":"10","grandparentGuid":"plex://show/s10","grandparentTitle":"The Show","parentIndex":1,"index":6},
             {"ratingKey":"107","type":"episode","guid":"plex://episode/e7","grandparentRatingKey":"10","grandparentGuid":"plex://show/s10","grandparentTitle":"The Show","parentIndex":1,"index":7}]
            """);
        var show = Parse("""[{"ratingKey":"10","type":"show","guid":"plex://show/s10","title":"The Show","Guid":[{"id":"tvdb://371980"},{"id":"imdb://tt0000010"}]}]""")[0];
        var shared = new Dictionary<string, PlexProvider.ShowParts>(StringComparer.Ordinal);

        var items = listed.Select(e => PlexProvider.Map(e, Shows, show, shared).Item).ToList();
        var alone = listed.Select(e => PlexProvider.Map(e, Shows, show).Item).ToList();

        // The same values as each episode mapped on its own.
        for (var i = 0; i < items.Count; i++)
        {
            Assert.Equal(alone[i].ShowIds, items[i].ShowIds);
            Assert.Equal(alone[i].ShowTitle, items[i].ShowTitle);
            Assert.Equal(alone[i].ShowLocalKey, items[i].ShowLocalKey);
        }

        Assert.Contains(new ExternalId("tvdb", "371980"), items[0].ShowIds);
        Assert.Contains(new ExternalId("imdb", "tt0000010"), items[0].ShowIds);

        // The second episode takes the first one's objects; the renamed one and the one with ids of its own do not, but the
        // next one naming the same show ids in its own guid (a legacy agent's) takes that one's; one naming other ids does
        // not, and the episode after it, naming none, makes them afresh.
        Assert.Same(items[0].ShowIds, items[1].ShowIds);
        Assert.Same(items[0].ShowTitle, items[1].ShowTitle);
        Assert.Same(items[0].ShowLocalKey, items[1].ShowLocalKey);
        Assert.Equal("The Show (renamed)", items[2].ShowTitle);
        Assert.NotSame(items[1].ShowIds, items[2].ShowIds);
        Assert.NotSame(items[0].ShowIds, items[3].ShowIds);
        Assert.Same(items[3].ShowIds, items[4].ShowIds);
        Assert.Contains(new ExternalId("tvdb", "371981"), items[5].ShowIds);
        Assert.DoesNotContain(new ExternalId("tvdb", "371981"), items[4].ShowIds);
        Assert.NotSame(items[4].ShowIds, items[6].ShowIds);
        Assert.Equal(items[0].ShowIds, items[6].ShowIds);

        // Mapped on their own, no two episodes share their show's ids.
        Assert.NotSame(alone[0].ShowIds, alone[1].ShowIds);
    }

    private static List<PlexListed> Parse(string metadata) =>
        JsonSerializer.Deserialize("""{"MediaContainer":{"Metadata":""" + metadata + "}}", PlexJson.Default.PlexListing)!.MediaContainer!.Metadata!;
}
