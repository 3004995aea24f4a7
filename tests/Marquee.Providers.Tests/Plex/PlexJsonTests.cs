using System.Net;
using System.Text.Json;
using Marquee.Core.Providers;
using Marquee.Providers.Plex;
using Marquee.Providers.Plex.Models;

namespace Marquee.Providers.Tests.Plex;

/// <summary>Tolerant parsing (PLEX-API.md 1.3) of every recorded example, drifting types, and bad answers.</summary>
public sealed class PlexJsonTests
{
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "Plex", "TestData", "examples");

    public static TheoryData<string> PmsExamples => new(Directory.GetFiles(Examples, "pms-get-*.json").Concat(Directory.GetFiles(Examples, "discover-get-watchlist*.json")).Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(PmsExamples))]
    public void EveryRecordedContainer_Parses(string file)
    {
        var response = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Examples, file)), PlexJson.Default.PlexResponse);

        Assert.NotNull(response?.MediaContainer);
    }

    [Fact]
    public void Sessions_StringIdsAndNumbersAsStrings_AreRead()
    {
        var response = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Examples, "pms-get-status-sessions.response.json")), PlexJson.Default.PlexResponse)!;

        var bob = response.MediaContainer!.Metadata!.First();
        Assert.Equal("21458372", bob.User!.Id);
        Assert.Equal("p4x9d2k7m1q8w3e6r5t0y2u7", bob.Session!.Id);
        Assert.Equal(1_260_000, bob.ViewOffset);
        Assert.Equal("2", bob.LibrarySectionID);
    }

    [Fact]
    public void MoviesPage_EditionLabelsRatingAndGuids_AreRead()
    {
        var response = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Examples, "pms-get-section-all-movies-page1.response.json")), PlexJson.Default.PlexListing)!;
        var page2 = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Examples, "pms-get-section-all-movies-page2.response.json")), PlexJson.Default.PlexListing)!;
        var items = response.MediaContainer!.Metadata!.Concat(page2.MediaContainer!.Metadata!).Select(m => PlexProvider.Map(m, new ProviderLibrary("1", "Movies", "movie"), null)).ToList();

        Assert.Equal(3, response.MediaContainer.TotalSize);
        Assert.Contains(items, i => i.Item.Edition is not null);
        Assert.Contains(items, i => i.Item.Labels.Count > 0);
        Assert.Contains(items, i => i.State.Rating is not null || i.State.ProgressMs is not null);
        Assert.All(items, i => Assert.Contains(i.Item.Ids, id => id.Scheme == "imdb"));
    }

    public static TheoryData<string> ListingExamples => new(Directory.GetFiles(Examples, "pms-get-section-all-*.json").Concat(Directory.GetFiles(Examples, "pms-get-metadata-*.json")).Select(Path.GetFileName)!);

    /// <summary>A listing is read into a slimmer type than other answers: every value a run uses must come out the same as the full reading gives it.</summary>
    [Theory]
    [MemberData(nameof(ListingExamples))]
    public void EveryRecordedListing_ReadsAsTheFullAnswerDoes(string file)
    {
        var json = File.ReadAllText(Path.Combine(Examples, file));
        var full = JsonSerializer.Deserialize(json, PlexJson.Default.PlexResponse)!.MediaContainer!;
        var slim = JsonSerializer.Deserialize(json, PlexJson.Default.PlexListing)!.MediaContainer!;

        Assert.Equal(full.TotalSize, slim.TotalSize);
        Assert.Equal(full.Metadata?.Count, slim.Metadata?.Count);
        foreach (var (f, s) in (full.Metadata ?? []).Zip(slim.Metadata ?? []))
        {
            AssertReadAlike(f, s);
        }
    }

    /// <summary>Every value a run uses of a listed item, as the full answer's reader and the listing's reader give it.</summary>
    private static void AssertReadAlike(PlexMetadata f, PlexListed s)
    {
        var part = f.Media?.SelectMany(m => m.Part ?? []).FirstOrDefault();
        Assert.Equal(
            (f.RatingKey, f.PrimaryGuid, f.Type, f.Title, f.Year, f.EditionTitle, f.Index, f.ParentIndex, f.GrandparentRatingKey, f.GrandparentTitle, f.GrandparentGuid),
            (s.RatingKey, s.PrimaryGuid, s.Type, s.Title, s.Year, s.EditionTitle, s.Index, s.ParentIndex, s.GrandparentRatingKey, s.GrandparentTitle, s.GrandparentGuid));
        Assert.Equal(
            (f.Duration, f.ViewCount, f.ViewOffset, f.LastViewedAt, f.UserRating, f.LastRatedAt, f.UpdatedAt, f.LibrarySectionID, f.LibrarySectionTitle),
            (s.Duration, s.ViewCount, s.ViewOffset, s.LastViewedAt, s.UserRating, s.LastRatedAt, s.UpdatedAt, s.LibrarySectionID, s.LibrarySectionTitle));
        Assert.Equal(f.Guids is null ? null : PlexGuidParser.External(f.Guids), s.GuidIds);
        Assert.Equal(f.Label?.Select(g => g.Tag), s.Label?.Select(g => g.Tag));
        Assert.Equal(part?.Id ?? part?.Key, s.PartKey);
    }

    /// <summary>
    /// The listing's own reader names fields by their bytes: names escaped, repeated, in another case, null or of another
    /// type must come out as the generated reader of the full answer gives them.
    /// </summary>
    [Theory]
    [InlineData("""{"\u0074itle":"Escaped","r\u0061tingKey":"7","\u0047uid":[{"id":"imdb://tt1"}]}""")]
    [InlineData("""{"title":"First","title":"Last","viewCount":1,"viewCount":"4"}""")]
    [InlineData("""{"Title":"Other case","RatingKey":"9","GUID":"plex://movie/1","guid":"plex://movie/2"}""")]
    [InlineData("""{"ratingKey":null,"guid":null,"type":null,"title":null,"year":null,"editionTitle":null,"index":null,"parentIndex":null,"grandparentRatingKey":null,"grandparentTitle":null,"grandparentGuid":null,"duration":null,"viewCount":null,"viewOffset":null,"lastViewedAt":null,"userRating":null,"lastRatedAt":null,"updatedAt":null,"librarySectionID":null,"librarySectionTitle":null,"Guid":null,"Label":null,"Media":null}""")]
    [InlineData("""{"ratingKey":12,"year":"1999","index":"","duration":"5400000.0","userRating":"8.5","librarySectionID":3,"lastViewedAt":1.7e9,"type":"movie","editionTitle":true}""")]
    [InlineData("""{"summary":{"deep":[1,{"title":"not mine"}]},"thumb":"/t","\u0073\u0075\u006d\u006d\u0061\u0072\u0079\u0073\u0075\u006d\u006d\u0061\u0072\u0079\u0073\u0075\u006d\u006d\u0061\u0072\u0079\u0073":"long escaped name","title":"Kept"}""")]
    [InlineData("""{"Guid":[{"id":"imdb://tt1","tag":"x","extra":{"a":[1]}},{"i\u0064":7},{"ID":"no"},{}],"Label":[{"tag":true,"id":null}],"title":"after the tags"}""")]
    [InlineData("""{"Guid":[],"Label":[]}""")]
    [InlineData("""{"guid":"plex://movie/5d77","Guid":[{"id":"IMDB://tt2"},{"id":"tmdb://550?lang=en"},{"id":"tvdb:///81189/"},{"id":"anidb://"},{"id":"TvMaze://42"},{"id":"plex://movie/5d77"},{"id":"imdb://tt2"},{"id":"weird://1"},null,{"id":"com.plexapp.agents.imdb://tt3?lang=en"},{"id":"tmdb://?x"}]}""")]
    [InlineData("""{"Guid":[{"id":"imdb:\/\/tt4"},{"id":"tmdb://\u0035\u0035"},{"id":"tvdb://\u00e9t\u00e9"},{"tag":"imdb://tt0","id":"tvdb://5"}]}""")]
    [InlineData("""{"Guid":[{"id":"imdb://tt5","id":"tmdb://6"},{"id":"tvdb://7","id":null},{"id":"tvdb://8","id":9},{"id":12},{"id":true},{"ID":"imdb://tt10"}]}""")]
    [InlineData("""{"Guid":[{"id":"imdb://tté"},{"id":"ımdb://tt8"},{"id":" imdb://tt9"},{"id":"imdb:/tt10"},{"id":"://tt11"},{"id":"tmdb:// 12"},{"id":"tvdb://13/é/"}]}""")]
    [InlineData("""{"year":0,"index":0,"parentIndex":0,"duration":0,"viewCount":0,"viewOffset":0,"lastViewedAt":0,"userRating":0,"lastRatedAt":0,"updatedAt":0}""")]
    [InlineData("""{"year":-2147483648,"index":-2147483648,"duration":-9223372036854775808,"viewOffset":-9223372036854775808,"lastViewedAt":-9223372036854775808,"updatedAt":-9223372036854775808}""")]
    [InlineData("""{"year":1999,"year":null,"viewCount":3,"viewCount":null,"userRating":7.5,"userRating":null,"updatedAt":5,"updatedAt":"","index":null,"index":2}""")]
    [InlineData("""{"Label":[{"tag":"kids"},{"tag":"owner"}],"Media":[{"Part":[{"id":6001}]}],"grandparentTitle":"Show","grandparentGuid":"plex://show/1","grandparentRatingKey":"10"}""")]
    public void ListedItem_ReadsAsTheGeneratedReaderOfTheFullAnswer(string item)
    {
        var json = """{"MediaContainer":{"Metadata":[""" + item + "]}}";
        var full = JsonSerializer.Deserialize(json, PlexJson.Default.PlexResponse)!.MediaContainer!.Metadata![0];
        var slim = JsonSerializer.Deserialize(json, PlexJson.Default.PlexListing)!.MediaContainer!.Metadata![0];

        AssertReadAlike(full, slim);
    }

    [Theory]
    [InlineData("""[1]""")]
    [InlineData("""["movie"]""")]
    [InlineData("""[{"viewCount":{"n":1}}]""")]
    [InlineData("""[{"year":[1999]}]""")]
    [InlineData("""[{"Guid":{"id":"imdb://tt1"}}]""")]
    [InlineData("""[{"Guid":["imdb://tt1"]}]""")]
    [InlineData("""[{"Label":[{"tag":{"n":1}}]}]""")]
    [InlineData("""[{"Guid":[{"id":{"n":1}}]}]""")]
    [InlineData("""[{"Guid":[{"id":"imdb://tt1","tag":["x"]}]}]""")]
    [InlineData("""[{"Guid":[{"id":"imdb://tt1"},7]}]""")]
    [InlineData("""[{"userRating":"high"}]""")]
    public void ListedItem_OfAnotherShape_IsAJsonError_AsInTheFullAnswer(string metadata)
    {
        var json = """{"MediaContainer":{"Metadata":""" + metadata + "}}";

        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, PlexJson.Default.PlexResponse));
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, PlexJson.Default.PlexListing));
    }

    /// <summary>
    /// A listing asks the server to leave out the fields its reader does not read (<see cref="PlexProvider.Unread"/>): a
    /// recorded listing without them must read as it reads with them, so no field a run uses is ever asked away.
    /// </summary>
    [Theory]
    [MemberData(nameof(ListingExamples))]
    public void RecordedListing_WithoutTheFieldsAskedAway_ReadsTheSame(string file)
    {
        var json = File.ReadAllText(Path.Combine(Examples, file));
        var trimmed = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var unread = PlexProvider.Unread.Split(',');
        var removed = 0;
        foreach (var item in trimmed["MediaContainer"]?["Metadata"]?.AsArray() ?? [])
        {
            foreach (var field in unread)
            {
                removed += item!.AsObject().Remove(field) ? 1 : 0;
            }
        }

        var full = JsonSerializer.Deserialize(json, PlexJson.Default.PlexListing)!.MediaContainer!.Metadata ?? [];
        var slim = JsonSerializer.Deserialize(trimmed.ToJsonString(), PlexJson.Default.PlexListing)!.MediaContainer!.Metadata ?? [];

        Assert.Equal(full.Select(Values), slim.Select(Values));
        Assert.True(full.Count == 0 || removed > 0, "the recorded listing holds none of the fields asked away");

        static string Values(PlexListed i) => string.Join(
            '|',
            i.RatingKey, i.PrimaryGuid, i.Type, i.Title, i.Year, i.EditionTitle, i.Index, i.ParentIndex, i.GrandparentRatingKey, i.GrandparentTitle, i.GrandparentGuid,
            i.Duration, i.ViewCount, i.ViewOffset, i.LastViewedAt, i.UserRating, i.LastRatedAt, i.UpdatedAt, i.LibrarySectionID, i.LibrarySectionTitle,
            string.Join(',', i.GuidIds ?? []), string.Join(',', i.Label?.Select(g => g.Tag) ?? []), i.PartKey);
    }

    [Fact]
    public void RecordedListings_HaveParts_SoTheirComparisonComparesSomething()
    {
        var episodes = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Examples, "pms-get-section-all-episodes.response.json")), PlexJson.Default.PlexListing)!.MediaContainer!.Metadata!;

        Assert.NotEmpty(episodes);
        Assert.All(episodes, e => Assert.False(string.IsNullOrEmpty(e.PartKey)));
    }

    [Theory]
    [InlineData("""[{"id":6001,"key":"/library/parts/6001/file.mkv"}]""", "6001")]
    [InlineData("""[{"id":"6001"},{"id":"6002"}]""", "6001")]
    [InlineData("""[{"key":"/library/parts/6001/file.mkv","file":"/data/a.mkv"}]""", "/library/parts/6001/file.mkv")]
    [InlineData("""[{"file":"/data/a.mkv"},{"id":"6002"}]""", null)]
    [InlineData("""[]""", null)]
    [InlineData("""null""", null)]
    public void FirstPart_IsTheFirstPartsIdElseItsKey(string parts, string? expected)
    {
        var json = """{"MediaContainer":{"Metadata":[{"ratingKey":"1","Media":[{"id":1,"videoResolution":"4k","Part":""" + parts + """},{"Part":[{"id":"later"}]}]}]}}""";

        var item = JsonSerializer.Deserialize(json, PlexJson.Default.PlexListing)!.MediaContainer!.Metadata![0];

        Assert.Equal(expected ?? (parts is "[]" or "null" ? "later" : null), item.PartKey);
    }

    [Theory]
    [InlineData("""{"Media":{"Part":[]}}""")]
    [InlineData("""{"Media":[1]}""")]
    [InlineData("""{"Media":[{"Part":{"id":1}}]}""")]
    [InlineData("""{"Media":[{"Part":["6001"]}]}""")]
    [InlineData("""{"Media":[{"Part":[{"id":{"n":1}}]}]}""")]
    [InlineData("""{"Media":[{"Part":[{"id":1}]},{"Part":"x"}]}""")]
    [InlineData("""{"type":["episode"]}""")]
    public void ListingItem_OfTheWrongShape_IsAJsonError(string item)
    {
        var json = """{"MediaContainer":{"Metadata":[""" + item + "]}}";

        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, PlexJson.Default.PlexListing));
    }

    /// <summary>
    /// A listing's <c>Guid[]</c> entries of the modern agents (nearly all of them) are read from their bytes into the ids a
    /// run uses: no tag and no string of the whole guid is made for them, and combining them with the primary guid copies
    /// nothing again. Measured as what an item's three entries add to reading and combining it: about 250 bytes (the three
    /// ids' strings, their array, the combined ids), where a tag and a guid string per entry, their list, and the ids cut
    /// from the guids again came to about 680, and reading each entry's whole guid as a string still to about 400.
    /// </summary>
    [Fact]
    public void ModernGuidEntries_AreReadWithoutAStringOfTheWholeGuid()
    {
        const int Items = 2_000;
        var with = Listing(i => $$""","Guid":[{"id":"imdb://tt{{i:D7}}"},{"id":"tmdb://{{100_000 + i}}"},{"id":"tvdb://{{200_000 + i}}"}]""");
        var without = Listing(_ => string.Empty);
        ReadAndCombine(with);
        ReadAndCombine(without);

        var added = (ReadAndCombine(with) - ReadAndCombine(without)) / Items;

        Assert.InRange(added, 100, 320);

        static byte[] Listing(Func<int, string> guids) => System.Text.Encoding.UTF8.GetBytes(
            """{"MediaContainer":{"Metadata":[""" + string.Join(',', Enumerable.Range(0, Items).Select(i => $$"""{"ratingKey":"{{i}}","guid":"plex://movie/{{i:x24}}"{{guids(i)}}}""")) + "]}}");

        static long ReadAndCombine(byte[] json)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var items = JsonSerializer.Deserialize(json, PlexJson.Default.PlexListing)!.MediaContainer!.Metadata!;
            var ids = 0;
            foreach (var item in items)
            {
                ids += PlexGuidParser.ForItem(item.PrimaryGuid, item.GuidIds).Ids.Count;
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(items.Count * (items[0].GuidIds is null ? 1 : 4), ids);
            return allocated;
        }
    }

    [Fact]
    public void ListingTypes_AreOneSharedStringEach()
    {
        var items = JsonSerializer.Deserialize("""{"MediaContainer":{"Metadata":[{"type":"episode"},{"type":"episode"},{"type":"clip"},{"type":7}]}}""", PlexJson.Default.PlexListing)!.MediaContainer!.Metadata!;

        Assert.Same(items[0].Type, items[1].Type);
        Assert.Same("episode", items[0].Type);
        Assert.Equal("clip", items[2].Type);
        Assert.Equal("7", items[3].Type);
    }

    [Fact]
    public void EpisodesOfOneShow_ShareTheShowsStrings_AndReadEscapedOrNumericValuesAsTheyAre()
    {
        const string Json = """
            {"MediaContainer":{"Metadata":[
              {"grandparentTitle":"Otto & Theo","grandparentGuid":"plex://show/1","grandparentRatingKey":"10"},
              {"grandparentTitle":"Other","grandparentGuid":"plex://show/2","grandparentRatingKey":"20"},
              {"grandparentTitle":"Otto & Theo","grandparentGuid":"plex://show/1","grandparentRatingKey":"10"},
              {"grandparentTitle":"Otto \u0026 Theo","grandparentGuid":"plex://show/1","grandparentRatingKey":10},
              {"grandparentTitle":"Otto & Theo 2","grandparentGuid":null}]}}
            """;

        var items = JsonSerializer.Deserialize(Json, PlexJson.Default.PlexListing)!.MediaContainer!.Metadata!;

        Assert.Same(items[0].GrandparentTitle, items[2].GrandparentTitle);
        Assert.Same(items[0].GrandparentGuid, items[2].GrandparentGuid);
        Assert.Same(items[0].GrandparentRatingKey, items[2].GrandparentRatingKey);
        Assert.Equal("Other", items[1].GrandparentTitle);
        Assert.Equal("Otto & Theo", items[3].GrandparentTitle);
        Assert.Equal("10", items[3].GrandparentRatingKey);
        Assert.Equal("Otto & Theo 2", items[4].GrandparentTitle);
        Assert.Null(items[4].GrandparentGuid);
    }

    [Fact]
    public void ItemsOfOneSection_ShareItsIdAndTitle_WhetherTheIdIsANumberOrAString()
    {
        const string Json = """
            {"MediaContainer":{"Metadata":[
              {"librarySectionID":1,"librarySectionTitle":"Movies"},
              {"librarySectionID":1,"librarySectionTitle":"Movies"},
              {"librarySectionID":12,"librarySectionTitle":"Movies 4K"},
              {"librarySectionID":1.0,"librarySectionTitle":"Movies"},
              {"librarySectionID":"1","librarySectionTitle":"Movies"},
              {"librarySectionID":"1"}]}}
            """;

        var items = JsonSerializer.Deserialize(Json, PlexJson.Default.PlexListing)!.MediaContainer!.Metadata!;

        Assert.Equal(["1", "1", "12", "1.0", "1", "1"], items.Select(i => i.LibrarySectionID));
        Assert.Equal(["Movies", "Movies", "Movies 4K", "Movies", "Movies", null], items.Select(i => i.LibrarySectionTitle));
        Assert.Same(items[0].LibrarySectionID, items[1].LibrarySectionID);
        Assert.Same(items[0].LibrarySectionTitle, items[1].LibrarySectionTitle);
        Assert.Same(items[4].LibrarySectionID, items[5].LibrarySectionID);
    }

    [Fact]
    public void DriftingTypes_NumbersAsStringsAndBooleansAsNumbers_AreAccepted()
    {
        const string Json = """
            {"MediaContainer":{"size":"2","totalSize":"2","librarySectionID":3,"Directory":[{"key":1,"hidden":0,"title":"Movies"},{"key":"2","hidden":"1"}],
             "Metadata":[{"ratingKey":1001,"viewCount":"3","userRating":"7.5","lastViewedAt":"1700000000","Media":[{"id":"5001","Part":[{"id":6001}]}]},
                         {"ratingKey":"1002","index":"","viewOffset":null,"unknownField":{"nested":[1,2]}}]}}
            """;

        var container = JsonSerializer.Deserialize(Json, PlexJson.Default.PlexResponse)!.MediaContainer!;

        Assert.Equal(2, container.Size);
        Assert.Equal("3", container.LibrarySectionID);
        Assert.False(container.Directory![0].Hidden);
        Assert.True(container.Directory[1].Hidden);
        Assert.Equal("1", container.Directory[0].Key);
        Assert.Equal("1001", container.Metadata![0].RatingKey);
        Assert.Equal(3, container.Metadata[0].ViewCount);
        Assert.Equal(7.5, container.Metadata[0].UserRating);
        Assert.Equal("6001", container.Metadata[0].Media![0].Part![0].Id);
        Assert.Equal(0, container.Metadata[1].Index);
        Assert.Null(container.Metadata[1].ViewOffset);
    }

    [Theory]
    [InlineData("""{"MediaContainer":{"Metadata":{"not":"a list"}}}""")]
    [InlineData("""{"MediaContainer":{"size":"many"}}""")]
    [InlineData("""{"MediaContainer":{"Metadata":[{"ratingKey":{"id":1}}]}}""")]
    [InlineData("""{"MediaContainer":{"Metadata":[{"viewCount":true,"userRating":"high"}]}}""")]
    [InlineData("""{"MediaContainer":""")]
    public void Nonsense_IsAJsonErrorTheClientTurnsIntoAProviderException(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, PlexJson.Default.PlexResponse));
    }

    [Fact]
    public void PlexTvErrorsAndPins_AreRead()
    {
        var expired = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Examples, "plextv-get-pin-expired.response.json")), PlexJson.Default.PlexTvErrors)!;
        var claimed = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Examples, "plextv-get-pin-claimed.response.json")), PlexJson.Default.PlexPin)!;
        var resources = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Examples, "plextv-get-resources.response.json")), PlexJson.Default.ListPlexResource)!;
        var home = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Examples, "plextv-get-home-users.response.json")), PlexJson.Default.PlexHome)!;

        Assert.Equal(1020, expired.Errors![0].Code);
        Assert.False(string.IsNullOrEmpty(claimed.AuthToken));
        Assert.Equal(2, resources.Count(r => r.IsServer));
        Assert.Contains(home.Users!, u => u.Protected);
    }

    [Fact]
    public async Task HtmlUnauthorizedBody_GivesAClearProviderException()
    {
        await using var server = await PlexTestServer.StartAsync();
        var provider = server.Provider(settings: server.Settings(token: "bad-token"));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => provider.ListSessionsAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.Status);
        Assert.Contains("GET /status/sessions", ex.Message, StringComparison.Ordinal);
        Assert.Contains("401 Unauthorized", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("<html>", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bad-token", ex.Message, StringComparison.Ordinal);
    }
}
