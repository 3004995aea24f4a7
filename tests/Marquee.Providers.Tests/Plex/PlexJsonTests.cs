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
        var response = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Examples, "pms-get-section-all-movies-page1.response.json")), PlexJson.Default.PlexResponse)!;
        var page2 = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Examples, "pms-get-section-all-movies-page2.response.json")), PlexJson.Default.PlexResponse)!;
        var items = response.MediaContainer!.Metadata!.Concat(page2.MediaContainer!.Metadata!).Select(m => PlexProvider.Map(m, new ProviderLibrary("1", "Movies", "movie"), null)).ToList();

        Assert.Equal(3, response.MediaContainer.TotalSize);
        Assert.Contains(items, i => i.Item.Edition is not null);
        Assert.Contains(items, i => i.Item.Labels.Count > 0);
        Assert.Contains(items, i => i.State.Rating is not null || i.State.ProgressMs is not null);
        Assert.All(items, i => Assert.Contains(i.Item.Ids, id => id.Scheme == "imdb"));
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
