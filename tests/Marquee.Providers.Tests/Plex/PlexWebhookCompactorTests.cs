using System.Text;
using Marquee.Providers.Plex;

namespace Marquee.Providers.Tests.Plex;

public sealed class PlexWebhookCompactorTests
{
    [Theory]
    [MemberData(nameof(PlexWebhookParserTests.Examples), MemberType = typeof(PlexWebhookParserTests))]
    public void EveryRecordedExample_CompactsSmaller_AndParsesTheSame(string file)
    {
        var json = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Examples", file));

        var compact = PlexWebhookCompactor.Compact(json);

        Assert.True(compact.Length < json.Length, $"{compact.Length} bytes of {json.Length}");
        Assert.Equal(PlexWebhookParser.Parse(json), PlexWebhookParser.Parse(compact));
    }

    [Fact]
    public void Compact_DropsDescriptionsAndArtwork_KeepsIdsAndPosition()
    {
        var json = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Examples", "plex-webhook-media-stop.payload.json"));

        var text = Encoding.UTF8.GetString(PlexWebhookCompactor.Compact(json));

        Assert.DoesNotContain("\"summary\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"art\"", text, StringComparison.Ordinal);
        foreach (var kept in new[] { "\"ratingKey\"", "\"guid\"", "\"viewOffset\"", "\"Account\"", "\"uuid\"", "\"thumb\"" })
        {
            Assert.Contains(kept, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void Compact_KeepsWhatIsNoObject(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.Same(bytes, PlexWebhookCompactor.Compact(bytes));
    }
}
