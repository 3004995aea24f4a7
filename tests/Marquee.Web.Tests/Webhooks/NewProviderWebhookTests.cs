using System.Net;
using System.Text.Json;
using Marquee.Core.Webhooks;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Providers.Fake;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>A provider that exists only in the tests gets its webhook route from its one registration line.</summary>
public sealed class NewProviderWebhookTests
{
    private const string Payload = """{"event":"watched","user":"u7","item":"4242","poster":"drop me, diagnosis does not need it"}""";

    [Fact]
    public async Task NewProvider_RegisteredFormat_GetsWebhookRoute_StoredHandledNormalisedAndListed()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(), services => services.AddFakeProvider());

        // The secret in the path and in ?token= are both accepted; a wrong secret is refused before anything is read.
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.PostAsync($"/webhooks/fake/{WebhookKit.Secret}", Json(Payload))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.PostAsync($"/webhooks/fake?token={WebhookKit.Secret}", Json(Payload.Replace("4242", "4343", StringComparison.Ordinal)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.PostAsync("/webhooks/fake/wrong-secret", Json(Payload))).StatusCode);

        // A body the format rejects is a 400 naming the format, and is kept for diagnosis.
        var bad = await app.Anonymous.PostAsync($"/webhooks/fake/{WebhookKit.Secret}", Json("""{"event":"watched"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await app.JsonAsync(bad);
        Assert.Equal("The body is not a fake webhook.", problem.GetProperty("title").GetString());
        Assert.Contains("'user'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var counts = await WebhookKit.WaitHandledAsync(app, 3);
        Assert.Equal(2, counts.Count(InboxStatus.Handled));
        Assert.Equal(1, counts.Count(InboxStatus.Rejected));

        // Normalised into live events by the provider's format, and listed by the API.
        var listed = await app.JsonAsync(await app.Client.GetAsync("/api/webhooks/events"));
        var fake = listed.EnumerateArray().Where(e => e.GetProperty("source").GetString() == FakeWebhookFormat.Kind).ToList();
        Assert.Equal(2, fake.Count);
        Assert.Contains(fake, e => e.GetProperty("localKey").GetString() == "4242" && e.GetProperty("accountId").GetString() == "u7"
            && e.GetProperty("kind").GetString() == LiveEventKind.Watched && e.GetProperty("origin").GetString() == LiveEventOrigin.Webhook);
        Assert.Contains(fake, e => e.GetProperty("localKey").GetString() == "4343");

        // The handled delivery keeps what the provider's own compactor keeps.
        var store = app.Services.GetRequiredService<IInboxStore>();
        var handled = await store.GetAsync(fake[0].GetProperty("deliveryId").GetInt64(), CancellationToken.None);
        var kept = JsonDocument.Parse(handled!.Body).RootElement;
        Assert.Equal("u7", kept.GetProperty("user").GetString());
        Assert.False(kept.TryGetProperty("poster", out _));
    }

    [Fact]
    public async Task NewProvider_RegisteredLiveEventSource_ItsEventsAreStoredOnceAndReachConsumers()
    {
        var sink = new RecordingSink();
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(), services =>
        {
            services.AddFakeProvider();
            sink.Register(services);
        });
        var source = app.Services.GetRequiredService<FakeLiveEventSource>();

        // Act: the fake server's event stream says the same watch twice, then a start of another item.
        source.Send("""{"event":"watched","user":"u7","item":"5151"}""");
        source.Send("""{"event":"watched","user":"u7","item":"5151"}""");
        source.Send("""{"event":"playing","user":"u7","item":"5252"}""");

        // Assert: each reached the consumers once, from the provider's own live path, stored first.
        await sink.WaitAsync(e => e.LocalKey == "5252", "the start");
        var watched = Assert.Single(sink.Events, e => e.LocalKey == "5151");
        Assert.Equal((FakeWebhookFormat.Kind, LiveEventOrigin.EventStream, LiveEventKind.Watched, "u7"), (watched.Source, watched.Origin, watched.Kind, watched.AccountId));
        Assert.True(watched.Id > 0);
        Assert.Equal(LiveEventKind.Play, Assert.Single(sink.Events, e => e.LocalKey == "5252").Kind);
        Assert.Equal(2, sink.Events.Count);
        Assert.Equal(2, (await WebhookKit.EventsAsync(app)).Count(e => e.Source == FakeWebhookFormat.Kind));
    }

    [Fact]
    public async Task ConsumerThatFails_KeepsTheLiveSourcesEventsFromNoOtherConsumer()
    {
        var sink = new RecordingSink();
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(), services =>
        {
            services.AddFakeProvider();
            services.AddSingleton<ILiveEventSink, FailingSink>();
            sink.Register(services);
        });
        var source = app.Services.GetRequiredService<FakeLiveEventSource>();

        source.Send("""{"event":"watched","user":"u7","item":"6161"}""");
        source.Send("""{"event":"watched","user":"u7","item":"6262"}""");

        await sink.WaitAsync(e => e.LocalKey == "6262", "the second watch");
        Assert.Single(sink.Events, e => e.LocalKey == "6161");
        Assert.Equal(2, app.Logs.Entries.Count(e => e.Message.Contains("A consumer of 1 live event(s) failed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task NewProvider_NotRegistered_HasNoWebhookRoute()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());

        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous.PostAsync($"/webhooks/fake/{WebhookKit.Secret}", Json(Payload))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.PostAsync($"/webhooks/jellyfin/{WebhookKit.Secret}", Json("""{"NotificationType":"SessionStart"}"""))).StatusCode);
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    /// <summary>A consumer whose target is down.</summary>
    private sealed class FailingSink : ILiveEventSink
    {
        public Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken) => throw new HttpRequestException("The notifier is down.");
    }
}
