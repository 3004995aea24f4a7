using System.Globalization;
using System.Text;
using Marquee.Core.Webhooks;
using Marquee.Providers.Plex;

namespace Marquee.Providers.Tests.Plex;

public sealed class PlexWebhookHandlerTests
{
    private static readonly DateTimeOffset Received = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    private static readonly PlexWebhookHandlerFactory Factory = new([new PlexPlaybackHandler(), new PlexRateHandler(), new PlexLibraryNewHandler()]);

    [Theory]
    [InlineData("media.scrobble", LiveEventKind.Watched, null)]
    [InlineData("media.play", LiveEventKind.Play, null)]
    [InlineData("playback.started", LiveEventKind.Play, null)]
    [InlineData("media.pause", LiveEventKind.Progress, "120000")]
    [InlineData("media.stop", LiveEventKind.Progress, "120000")]
    [InlineData("media.rate", LiveEventKind.Rating, "8.0")]
    [InlineData("library.new", LiveEventKind.ItemAdded, null)]
    public void EachEventType_BecomesItsKind(string name, string kind, string? value)
    {
        var events = Handle(Payload(name));

        var e = Assert.Single(events);
        Assert.Equal(kind, e.Kind);
        Assert.Equal(value, e.Value);
        Assert.Equal("1001", e.LocalKey);
        Assert.Equal(LiveEventOrigin.Webhook, e.Origin);
        Assert.Equal(Received, e.OccurredAt);
    }

    [Theory]
    [InlineData("media.resume")]
    [InlineData("library.on.deck")]
    [InlineData("admin.database.backup")]
    [InlineData("device.new")]
    public void EventsWithoutMeaning_GoToTheNullHandler(string name)
    {
        Assert.Same(NullPlexWebhookHandler.Instance, Factory.Create(name));
        Assert.Empty(Handle(Payload(name)));
    }

    [Fact]
    public void StopPastTheThreshold_IsNoResumePoint()
    {
        Assert.Empty(Handle(Payload("media.stop", viewOffset: 5_700_000)));
    }

    [Fact]
    public void StopWithoutPosition_GivesNothing()
    {
        Assert.Empty(Handle(Payload("media.stop", viewOffset: null)));
    }

    [Fact]
    public void RateWithoutRating_ClearsIt()
    {
        var e = Assert.Single(Handle(Payload("media.rate", rating: null)));

        Assert.Null(e.Value);
    }

    [Fact]
    public void PlayAndPlaybackStarted_ForTheSameAccount_HaveTheSameIdentity()
    {
        var play = Assert.Single(Handle(Payload("media.play", user: false)));
        var started = Assert.Single(Handle(Payload("playback.started", user: false)));

        Assert.Equal(play.DedupeKey, started.DedupeKey);
    }

    [Fact]
    public void OwnersOwnDelivery_IsNamedLikeSessionsNameTheOwner()
    {
        var own = Assert.Single(Handle(Payload("media.scrobble", user: true)));
        var friend = Assert.Single(Handle(Payload("media.scrobble", user: false)));

        Assert.Equal(PlexWebhookEvents.OwnerAccount, own.AccountId);
        Assert.Equal("8472915", friend.AccountId);
    }

    [Fact]
    public void LibraryNew_ToEveryAccount_IsOneItem()
    {
        var a = Assert.Single(Handle(Payload("library.new", account: 11)));
        var b = Assert.Single(Handle(Payload("library.new", account: 12)));

        Assert.Equal(a.DedupeKey, b.DedupeKey);
    }

    [Fact]
    public void SamePlayback_FromAnotherPath_SharesTheIdentityKey()
    {
        var webhook = Assert.Single(Handle(Payload("media.scrobble", user: false)));
        var polled = webhook with { Origin = LiveEventOrigin.Poll, OccurredAt = Received.AddSeconds(8), DeliveryId = null };

        Assert.Equal(webhook.IdentityKey, polled.IdentityKey);
        Assert.True((polled.OccurredAt - webhook.OccurredAt) < webhook.Window);
    }

    [Fact]
    public void Progress_NearbyPositionsMatch_DistantOnesDoNot()
    {
        var a = Assert.Single(Handle(Payload("media.stop", viewOffset: 120_000)));
        var b = Assert.Single(Handle(Payload("media.stop", viewOffset: 125_000)));
        var c = Assert.Single(Handle(Payload("media.stop", viewOffset: 900_000)));

        Assert.Equal(a.IdentityKey, b.IdentityKey);
        Assert.NotEqual(a.IdentityKey, c.IdentityKey);
    }

    private static IReadOnlyList<LiveEvent> Handle(string json)
    {
        var webhook = PlexWebhookParser.Parse(Encoding.UTF8.GetBytes(json));
        var delivery = new InboxDelivery(7, "plex", Received, "application/json", null, Encoding.UTF8.GetBytes(json), null, InboxStatus.Pending, 0, null, null);
        return Factory.Create(webhook.Event).Handle(webhook, delivery);
    }

    [Theory]
    [InlineData("media.play")]
    [InlineData("playback.started")]
    [InlineData("media.pause")]
    [InlineData("media.stop")]
    [InlineData("media.scrobble")]
    [InlineData("media.rate")]
    [InlineData("library.new")]
    public void EachEventType_CarriesWhatConsumersNeed(string name)
    {
        const string Episode = "{\"rating\":7,\"event\":\"EVENT\",\"user\":true,\"owner\":true,"
            + "\"Account\":{\"id\":8472915,\"title\":\"alice\"},\"Server\":{\"title\":\"s\",\"uuid\":\"abc\"},"
            + "\"Player\":{\"local\":true,\"title\":\"Living Room\",\"platform\":\"Roku\",\"uuid\":\"p1\"},"
            + "\"Metadata\":{\"ratingKey\":\"1001\",\"guid\":\"plex://episode/1\",\"type\":\"episode\",\"title\":\"Pilot\","
            + "\"grandparentTitle\":\"The Show\",\"parentIndex\":2,\"index\":5,\"year\":2019,\"duration\":3000000,\"viewOffset\":120000}}";

        var e = Assert.Single(Handle(Episode.Replace("EVENT", name, StringComparison.Ordinal)));

        Assert.Equal(name, e.SourceEvent);
        Assert.Equal("Pilot", e.Title);
        Assert.Equal("episode", e.MediaType);
        Assert.Equal("The Show", e.ShowTitle);
        Assert.Equal(2, e.Season);
        Assert.Equal(5, e.Episode);
        Assert.Equal(2019, e.Year);
        Assert.Equal("Living Room", e.Player);
        Assert.Equal("Roku", e.Platform);
        Assert.Equal(120_000, e.PositionMs);
        Assert.Equal(3_000_000, e.DurationMs);
        Assert.Equal(7, e.Rating);
        Assert.Equal(name == "library.new" ? null : "alice", e.AccountName);
    }

    [Fact]
    public void DescriptiveField_OfTheWrongType_IsLeftOut_NotRefused()
    {
        var e = Assert.Single(Handle(Payload("media.scrobble").Replace("\"type\":\"movie\"", "\"type\":\"movie\",\"year\":\"soon\",\"grandparentTitle\":3", StringComparison.Ordinal)));

        Assert.Null(e.Year);
        Assert.Null(e.ShowTitle);
    }

    private static string Payload(string name, bool user = false, long? viewOffset = 120_000, double? rating = 8, int account = 8472915)
    {
        var offset = viewOffset is { } o ? ",\"viewOffset\":" + o.ToString(CultureInfo.InvariantCulture) : string.Empty;
        var rate = rating is { } r ? "\"rating\":" + r.ToString(CultureInfo.InvariantCulture) + "," : string.Empty;
        var flag = user ? "true" : "false";
        return "{" + rate + "\"event\":\"" + name + "\",\"user\":" + flag + ",\"owner\":true,"
            + "\"Account\":{\"id\":" + account.ToString(CultureInfo.InvariantCulture) + ",\"title\":\"alice\"},\"Server\":{\"title\":\"s\",\"uuid\":\"abc\"},"
            + "\"Metadata\":{\"ratingKey\":\"1001\",\"guid\":\"plex://movie/1\",\"type\":\"movie\",\"duration\":6000000" + offset + "}}";
    }
}
