using System.Text;
using Marquee.Core.Webhooks;
using Marquee.Providers.Plex;

namespace Marquee.Providers.Tests.Plex;

public sealed class PlexWebhookParserTests
{
    public static TheoryData<string> Examples() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Examples"), "plex-webhook-*.payload.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryRecordedExample_Parses(string file)
    {
        var json = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Examples", file));

        var webhook = PlexWebhookParser.Parse(json);

        Assert.Contains(webhook.Event, PlexWebhookParser.KnownEvents);
        Assert.Equal(file["plex-webhook-".Length..^".payload.json".Length], webhook.Event.Replace('.', '-'));
    }

    [Fact]
    public void Rate_ReadsTheTopLevelRatingAndTheItem()
    {
        var json = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Examples", "plex-webhook-media-rate.payload.json"));

        var webhook = PlexWebhookParser.Parse(json);

        Assert.NotNull(webhook.Rating);
        Assert.NotNull(webhook.Metadata?.RatingKey);
        Assert.NotNull(webhook.AccountId);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{\"event\":\"media.play\"", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{}", "'event' is missing")]
    [InlineData("{\"event\":5}", "'event' must be a string")]
    [InlineData("{\"event\":\"media.explode\"}", "not a Plex webhook event")]
    [InlineData("{\"event\":\"media.play\",\"Account\":{\"id\":1}}", "'Metadata' is missing")]
    [InlineData("{\"event\":\"media.play\",\"Metadata\":{\"ratingKey\":\"1\"}}", "'Account.id' is missing")]
    [InlineData("{\"event\":\"media.play\",\"Account\":{\"id\":1},\"Metadata\":{}}", "'Metadata.ratingKey' is missing")]
    [InlineData("{\"event\":\"media.play\",\"Account\":\"alice\",\"Metadata\":{\"ratingKey\":\"1\"}}", "'Account' must be an object")]
    [InlineData("{\"event\":\"media.play\",\"Account\":{\"id\":true},\"Metadata\":{\"ratingKey\":\"1\"}}", "'Account.id' must be")]
    [InlineData("{\"event\":\"media.stop\",\"Account\":{\"id\":1},\"Metadata\":{\"ratingKey\":\"1\",\"viewOffset\":\"soon\"}}", "'Metadata.viewOffset' must be a number")]
    [InlineData("{\"event\":\"media.rate\",\"rating\":\"good\",\"Account\":{\"id\":1},\"Metadata\":{\"ratingKey\":\"1\"}}", "'rating' must be a number")]
    [InlineData("{\"event\":\"media.rate\",\"rating\":11,\"Account\":{\"id\":1},\"Metadata\":{\"ratingKey\":\"1\"}}", "between 0 and 10")]
    [InlineData("{\"event\":\"media.play\",\"user\":\"yes\",\"Account\":{\"id\":1},\"Metadata\":{\"ratingKey\":\"1\"}}", "'user' must be a boolean")]
    public void Malformed_ThrowsWithTheReason(string json, string reason)
    {
        var ex = Assert.Throws<WebhookFormatException>(() => PlexWebhookParser.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NumbersAsStrings_AreAccepted()
    {
        var json = """{"event":"media.stop","Account":{"id":"8472915"},"Metadata":{"ratingKey":1001,"viewOffset":"120000","librarySectionID":"1"}}""";

        var webhook = PlexWebhookParser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal("8472915", webhook.AccountId);
        Assert.Equal("1001", webhook.Metadata!.RatingKey);
        Assert.Equal(120000, webhook.Metadata.ViewOffsetMs);
        Assert.Equal(1, webhook.Metadata.LibrarySectionId);
    }
}
