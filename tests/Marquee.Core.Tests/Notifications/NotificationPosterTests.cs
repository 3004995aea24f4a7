using System.Text.Json;
using Marquee.Core.Notifications;
using Marquee.Core.Webhooks;

namespace Marquee.Core.Tests.Notifications;

public sealed class NotificationPosterTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void SettingsStoredBeforeThePosterSwitch_ReadWithPostersOn()
    {
        var old = JsonSerializer.Deserialize<ChannelSettings>("""{"includeActivity":true,"condition":null}""", Web)!;

        Assert.True(old.Poster);
        Assert.True(old.IncludeActivity);
    }

    [Theory]
    [InlineData("/library/metadata/5/thumb/1", "srv", true)]
    [InlineData(null, "srv", false)]
    [InlineData("/library/metadata/5/thumb/1", null, false)]
    public void Poster_OfAnEvent_NeedsAPathAndAServer(string? path, string? server, bool has)
    {
        var e = new LiveEvent("plex", LiveEventOrigin.Webhook, server, "1", "anna", "5", null, "movie", LiveEventKind.Play, null, DateTimeOffset.UnixEpoch) { Poster = path };

        var poster = NotificationPoster.Of(e);

        Assert.Equal(has, poster is not null);
        Assert.Equal(has ? new NotificationPoster("plex", "srv", "/library/metadata/5/thumb/1") : null, poster);
    }
}
