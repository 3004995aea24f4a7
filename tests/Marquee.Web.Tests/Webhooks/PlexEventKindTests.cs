using System.Net;
using Marquee.Core.Webhooks;
using Marquee.Providers.Plex;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>Every Plex webhook event reaches a consumer other than sync as its own kind, with what the payload said.</summary>
public sealed class PlexEventKindTests
{
    /// <summary>Each Plex event, the kind a consumer gets it as, and whether it is about an item.</summary>
    private static readonly (string Event, string Kind, string Type, bool Item)[] Expected =
    [
        ("media.play", LiveEventKind.Play, LiveEventType.Play, true),
        ("playback.started", "playback.started", LiveEventType.PlaybackStarted, true),
        ("media.pause", "pause", LiveEventType.Pause, true),
        ("media.resume", "resume", LiveEventType.Resume, true),
        ("media.stop", "stop", LiveEventType.Stop, true),
        ("media.scrobble", LiveEventKind.Watched, LiveEventType.Scrobble, true),
        ("media.rate", LiveEventKind.Rating, LiveEventType.Rate, true),
        ("library.new", LiveEventKind.ItemAdded, LiveEventType.LibraryNew, true),
        ("library.on.deck", "library.on.deck", LiveEventType.LibraryOnDeck, true),
        ("device.new", "device.new", LiveEventType.DeviceNew, false),
        ("admin.database.backup", "admin.database.backup", LiveEventType.DatabaseBackup, false),
        ("admin.database.corrupted", "admin.database.corrupted", LiveEventType.DatabaseCorrupted, false),
    ];

    [Fact]
    public void EveryKnownPlexEvent_IsCoveredBelow()
    {
        Assert.Equal(PlexWebhookParser.KnownEvents.Order(StringComparer.Ordinal), Expected.Select(e => e.Event).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryPlexWebhookEvent_ReachesAConsumer_AsItsOwnKind_WithThePayloadsFields()
    {
        var sink = new RecordingSink();
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(), sink.Register);

        // Act: one delivery of each event to the real endpoint, in a playback's order (a pause and a stop at the same
        // position, a shared user's start beside the start).
        foreach (var (name, _, _, item) in Expected)
        {
            using var content = WebhookKit.Multipart(item ? ItemPayload(name) : ServerPayload(name));
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync(WebhookKit.Path(), content)).StatusCode);
        }

        await WebhookKit.WaitHandledAsync(app, Expected.Length);

        // Assert: each event arrived once as its kind, stored first (it has an id), with the fields its payload carries.
        foreach (var (name, kind, type, item) in Expected)
        {
            await sink.WaitAsync(e => e.SourceEvent == name && e.Kind == kind, $"{name} as '{kind}'");
            var e = Assert.Single(sink.Events, e => e.SourceEvent == name && e.Kind == kind);
            Assert.Equal(type, e.EventType);
            Assert.Equal("plex", e.Source);
            Assert.Equal(LiveEventOrigin.Webhook, e.Origin);
            Assert.Equal("abc", e.ServerId);
            Assert.True(e.Id > 0, $"{name} was not stored before it was published");
            Assert.NotNull(e.DeliveryId);
            if (item)
            {
                Assert.Equal("1001", e.LocalKey);
                Assert.Equal("Pilot", e.Title);
                Assert.Equal("episode", e.MediaType);
                Assert.Equal("plex://episode/1", e.ItemGuid);
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
            else
            {
                // A server-level event has no item.
                Assert.Equal(string.Empty, e.LocalKey);
                Assert.Null(e.Title);
                Assert.Equal("alice", e.AccountName);
                Assert.Equal(name == "device.new" ? "new-device-uuid" : null, e.Value);
                Assert.Equal(name == "device.new" ? "Bedroom TV" : null, e.Player);
            }
        }

        // Sync still gets exactly what it got before: one resume point for the pause and the stop at the same position,
        // one start for media.play and playback.started, and nothing for the rest.
        var progress = Assert.Single(sink.Events, e => e.Kind == LiveEventKind.Progress);
        Assert.Equal("120000", progress.Value);
        Assert.Equal("media.pause", progress.SourceEvent);
        Assert.Single(sink.Events, e => e.Kind == LiveEventKind.Play);
        Assert.Equal(Expected.Length + 1, sink.Events.Count);
    }

    [Fact]
    public async Task ServerLevelEvents_Repeated_AreStoredOnce_AnotherDevice_IsAnotherEvent()
    {
        var sink = new RecordingSink();
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(), sink.Register);

        foreach (var payload in new[]
        {
            ServerPayload("admin.database.backup"), ServerPayload("admin.database.backup"),
            ServerPayload("device.new"), ServerPayload("device.new"), ServerPayload("device.new", device: "second-device"),
        })
        {
            using var content = WebhookKit.Multipart(payload);
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync(WebhookKit.Path(), content)).StatusCode);
        }

        Assert.Equal(5, (await WebhookKit.WaitHandledAsync(app, 5)).Count(InboxStatus.Handled));
        await sink.WaitAsync(e => e.Value == "second-device", "the second device");
        Assert.Single(sink.Events, e => e.Kind == LiveEventType.DatabaseBackup);
        Assert.Equal(["new-device-uuid", "second-device"], sink.Events.Where(e => e.Kind == LiveEventType.DeviceNew).Select(e => e.Value).Order(StringComparer.Ordinal));
        Assert.Equal(3, (await WebhookKit.EventsAsync(app)).Count);
    }

    private static string ItemPayload(string name) =>
        "{\"rating\":7,\"event\":\"" + name + "\",\"user\":true,\"owner\":true,"
        + "\"Account\":{\"id\":8472915,\"title\":\"alice\"},\"Server\":{\"title\":\"s\",\"uuid\":\"abc\"},"
        + "\"Player\":{\"local\":true,\"title\":\"Living Room\",\"platform\":\"Roku\",\"uuid\":\"p1\"},"
        + "\"Metadata\":{\"ratingKey\":\"1001\",\"guid\":\"plex://episode/1\",\"type\":\"episode\",\"title\":\"Pilot\","
        + "\"grandparentTitle\":\"The Show\",\"parentIndex\":2,\"index\":5,\"year\":2019,\"duration\":3000000,\"viewOffset\":120000}}";

    private static string ServerPayload(string name, string device = "new-device-uuid") =>
        "{\"event\":\"" + name + "\",\"user\":true,\"owner\":true,"
        + "\"Account\":{\"id\":8472915,\"title\":\"alice\"},\"Server\":{\"title\":\"s\",\"uuid\":\"abc\"}"
        + (name == "device.new" ? ",\"Player\":{\"local\":true,\"title\":\"Bedroom TV\",\"uuid\":\"" + device + "\"}" : string.Empty) + "}";
}
