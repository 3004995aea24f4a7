using System.Text.Json.Nodes;
using Marquee.Core.Notifications;
using Marquee.Providers.Notifications;
using Marquee.Simulators.Discord;

namespace Marquee.Providers.Tests.Notifications;

public sealed class DiscordMessageTests
{
    [Fact]
    public void AHugeTitleAnd40Fields_AreCutToAMessageDiscordAccepts()
    {
        var fields = Enumerable.Range(0, 40).Select(i => new NotificationField(new string('n', 300), new string('v', 2000))).ToList();
        var payload = new NotificationPayload(1, "play", new string('t', 5000), new string('d', 9000), "https://app.plex.tv/x", new string('u', 400), fields, DateTimeOffset.UnixEpoch);

        var body = DiscordMessage.Build(payload, "home");
        var embed = body["embeds"]![0]!;

        Assert.Empty(DiscordValidator.Validate(JsonNode.Parse(body.ToJsonString())!.AsObject()));
        Assert.Equal(256, embed["title"]!.GetValue<string>().Length);
        Assert.EndsWith("…", embed["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.InRange(embed["fields"]!.AsArray().Count, 1, 25);
    }

    [Fact]
    public void APoster_IsTheEmbedThumbnail_AsAnAttachment_AndTheMessageNamesTheFile()
    {
        var payload = new NotificationPayload(1, "play", "anna started Arrival (2016)", string.Empty, null, "anna", [], DateTimeOffset.UnixEpoch);

        var with = DiscordMessage.Build(payload, null, "poster.jpg");
        var without = DiscordMessage.Build(payload, null);

        Assert.Equal("attachment://poster.jpg", with["embeds"]![0]!["thumbnail"]!["url"]!.GetValue<string>());
        Assert.Equal("poster.jpg", with["attachments"]![0]!["filename"]!.GetValue<string>());
        Assert.Empty(DiscordValidator.Validate(JsonNode.Parse(with.ToJsonString())!.AsObject(), ["poster.jpg"]));
        Assert.NotEmpty(DiscordValidator.Validate(JsonNode.Parse(with.ToJsonString())!.AsObject()));
        Assert.Null(without["embeds"]![0]!["thumbnail"]);
        Assert.Null(without["attachments"]);
    }

    [Fact]
    public void EmptyFieldValues_AreLeftOut_AndMentionsAreOff()
    {
        var payload = new NotificationPayload(1, "stop", "t", "b", null, "anna", [new("Player", string.Empty), new("User", "anna")], DateTimeOffset.UnixEpoch);

        var body = DiscordMessage.Build(payload, null);

        Assert.Empty(DiscordValidator.Validate(JsonNode.Parse(body.ToJsonString())!.AsObject()));
        Assert.Single(body["embeds"]![0]!["fields"]!.AsArray());
        Assert.Empty(body["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Equal(NotificationTriggers.Styles["stop"].Color, body["embeds"]![0]!["color"]!.GetValue<int>());
    }

    [Fact]
    public void Clip_NeverSplitsASurrogatePair()
    {
        var text = new string('a', 254) + "😀😀";

        var clipped = DiscordMessage.Clip(text, 256);

        Assert.True(clipped.Length <= 256);
        Assert.False(char.IsHighSurrogate(clipped[^2]));
        JsonValue.Create(clipped).ToJsonString();
    }
}
