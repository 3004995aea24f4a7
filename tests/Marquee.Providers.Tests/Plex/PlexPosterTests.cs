using System.Text;
using Marquee.Providers.Plex;

namespace Marquee.Providers.Tests.Plex;

public sealed class PlexPosterTests
{
    [Theory]
    [InlineData("episode", "/library/metadata/3/thumb/1", "/library/metadata/2/thumb/1", "/library/metadata/1/thumb/1", "/library/metadata/1/thumb/1")]
    [InlineData("episode", "/library/metadata/3/thumb/1", "/library/metadata/2/thumb/1", null, "/library/metadata/2/thumb/1")]
    [InlineData("episode", "/library/metadata/3/thumb/1", null, "https://images.example/show.jpg", "/library/metadata/3/thumb/1")]
    [InlineData("movie", "/library/metadata/7/thumb/1700000000", null, null, "/library/metadata/7/thumb/1700000000")]
    [InlineData("season", null, "/library/metadata/1/thumb/1", null, "/library/metadata/1/thumb/1")]
    [InlineData("movie", "http://evil.example/library/metadata/7/thumb/1", null, null, null)]
    [InlineData("movie", "//evil.example/a.jpg", null, null, null)]
    [InlineData("movie", "", null, null, null)]
    public void Poster_IsTheShowsForAnEpisode_TheItemsOwnOtherwise_AndOnlyAPathOnTheServer(string type, string? thumb, string? parent, string? grandparent, string? expected)
    {
        Assert.Equal(expected, PlexPoster.Of(type, thumb, parent, grandparent));
    }

    [Fact]
    public void Webhook_CarriesThePosterOfItsItem()
    {
        var json = """{"event":"media.play","user":true,"owner":true,"Account":{"id":1,"title":"anna"},"Server":{"uuid":"abc"},"Metadata":{"ratingKey":"12","type":"episode","title":"Pilot","thumb":"/library/metadata/12/thumb/5","parentThumb":"/library/metadata/11/thumb/5","grandparentThumb":"/library/metadata/10/thumb/5"}}""";

        var webhook = PlexWebhookParser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal("/library/metadata/10/thumb/5", webhook.Metadata!.Poster);
    }
}
