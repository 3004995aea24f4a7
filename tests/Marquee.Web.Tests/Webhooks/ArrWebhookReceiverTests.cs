using System.Net;
using System.Text;
using Marquee.Core.Providers;
using Marquee.Core.Webhooks;
using Marquee.Providers.Arr;
using Marquee.Simulators.Arr;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>Radarr's and Sonarr's webhooks into the inbox: registration through their notification API, Test, PUT and token, and a bad corpus.</summary>
public sealed class ArrWebhookReceiverTests
{
    private const string MovieAdded = """{"eventType":"MovieAdded","instanceName":"Radarr","movie":{"id":12,"title":"Arrival","year":2016,"tmdbId":329865,"tags":[]},"addMethod":"manual"}""";

    [Theory]
    [InlineData(ArrFlavor.Radarr, "radarr")]
    [InlineData(ArrFlavor.Sonarr, "sonarr")]
    public async Task Registering_Twice_LeavesOneEntry_TheTestGets200_AndTheAppsEventsAreStored(ArrFlavor flavor, string kind)
    {
        await using var sim = await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = flavor, Movies = 3, Shows = 1, Missing = 0 }, CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        var provider = Provider(app, kind, sim);
        var url = new Uri(app.Address, $"/webhooks/{kind}/{WebhookKit.Secret}");

        var first = await provider.RegisterWebhookAsync(url, CancellationToken.None);
        var second = await provider.RegisterWebhookAsync(url, CancellationToken.None);

        Assert.True(first.Added);
        Assert.False(second.Added);
        Assert.Equal(first.Id, second.Id);
        var entry = Assert.Single(sim.State.Notifications());
        Assert.Equal("Marquee", entry.Name);
        Assert.Equal(url, entry.Url);
        Assert.True(entry.Triggers[flavor == ArrFlavor.Radarr ? "onMovieAdded" : "onSeriesAdd"]);

        if (flavor == ArrFlavor.Radarr)
        {
            sim.Control.AddMovie("Arrival", 2016, 329865, "tt2543164", ["kids"]);
        }
        else
        {
            sim.Control.AddSeries("Severance", 2022, 371980, 1, 2, ["kids"]);
        }

        await sim.Control.Webhooks.WaitIdleAsync(CancellationToken.None);
        var deliveries = sim.Control.Webhooks.Deliveries;
        Assert.Equal(["Test", "Test", flavor == ArrFlavor.Radarr ? "MovieAdded" : "SeriesAdd"], deliveries.Select(d => d.EventType));
        Assert.All(deliveries, d => Assert.Equal(200, d.Status));
        var counts = await WebhookKit.WaitHandledAsync(app, deliveries.Count);
        Assert.Equal(3, counts.Count(InboxStatus.Handled));

        // Test deliveries (and the others) are kept, and start nothing: no live event.
        Assert.Equal(0, counts.LiveEvents);
    }

    [Fact]
    public async Task Put_AndTheTokenQuery_AreAccepted_AWrongSecretIs401()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());

        Assert.Equal(HttpStatusCode.OK, (await app.PutRawAsync($"/webhooks/sonarr/{WebhookKit.Secret}", """{"eventType":"Test","instanceName":"Sonarr"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostRawAsync($"/webhooks/radarr?token={WebhookKit.Secret}", MovieAdded)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PutRawAsync($"/webhooks/radarr?token={WebhookKit.Secret}", MovieAdded.Replace("\"id\":12", "\"id\":13", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.PostRawAsync("/webhooks/radarr/not-the-secret", MovieAdded)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.PutRawAsync("/webhooks/sonarr?token=nope", MovieAdded)).StatusCode);

        Assert.Equal(3, (await WebhookKit.WaitHandledAsync(app, 3)).Count(InboxStatus.Handled));
    }

    [Fact]
    public async Task UnknownEventType_IsKept_AndIgnored_WithALogLine()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());

        var response = await app.PostRawAsync($"/webhooks/radarr/{WebhookKit.Secret}", """{"eventType":"MovieDeletedFromTheFuture","instanceName":"Radarr","movie":"not looked at"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var counts = await WebhookKit.WaitHandledAsync(app, 1);
        Assert.Equal(1, counts.Count(InboxStatus.Handled));
        Assert.Equal(0, counts.LiveEvents);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!app.Logs.AllText().Contains("'MovieDeletedFromTheFuture' is not one Marquee reads; kept and ignored", StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "no log line for the unknown event type");
            await Task.Delay(50);
        }
    }

    public static TheoryData<string> Cases() => [.. Corpus().Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EachBadBody_Gets4xx_TheMalformedAreKeptForDiagnosis(string name)
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        var (path, body) = Corpus()[name];

        var status = await SendAsync(app, path, body);

        Assert.True(status is >= 400 and < 500, $"{name}: {status}");
        var counts = await WebhookKit.CountsAsync(app);
        Assert.Equal(0, counts.Count(InboxStatus.Pending));
        Assert.Equal(status == 400 ? 1 : 0, counts.Count(InboxStatus.Rejected));
    }

    [Fact]
    public async Task Corpus_Interleaved_WithValidDeliveries_NoCrash_NoValidDeliveryLost()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        var valid = 0;
        var rejected = 0;
        foreach (var (name, (path, body)) in Corpus())
        {
            var good = MovieAdded.Replace("\"id\":12", $"\"id\":{100 + valid}", StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await app.PostRawAsync($"/webhooks/radarr/{WebhookKit.Secret}", good)).StatusCode);
            valid++;
            var status = await SendAsync(app, path, body);
            Assert.True(status is >= 400 and < 500, $"{name}: {status}");
            rejected += status == 400 ? 1 : 0;
        }

        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/healthz")).StatusCode);
        var counts = await WebhookKit.WaitHandledAsync(app, valid + rejected);
        Assert.Equal(valid, counts.Count(InboxStatus.Handled));
        Assert.Equal(rejected, counts.Count(InboxStatus.Rejected));
        Assert.Contains("rejected", app.Logs.AllText(), StringComparison.Ordinal);
    }

    private static Dictionary<string, (string Path, Func<HttpContent> Body)> Corpus()
    {
        var radarr = $"/webhooks/radarr/{WebhookKit.Secret}";
        var sonarr = $"/webhooks/sonarr/{WebhookKit.Secret}";
        return new Dictionary<string, (string, Func<HttpContent>)>(StringComparer.Ordinal)
        {
            ["truncated JSON"] = (radarr, () => Json(MovieAdded[..40])),
            ["empty body"] = (sonarr, () => Json(string.Empty)),
            ["not an object"] = (radarr, () => Json("[1,2,3]")),
            ["no eventType"] = (radarr, () => Json("""{"instanceName":"Radarr"}""")),
            ["eventType a number"] = (sonarr, () => Json("""{"eventType":5}""")),
            ["movie a string"] = (radarr, () => Json("""{"eventType":"Download","movie":"Arrival"}""")),
            ["movie id a string"] = (radarr, () => Json("""{"eventType":"Download","movie":{"id":"twelve"}}""")),
            ["series an array"] = (sonarr, () => Json("""{"eventType":"Grab","series":[1]}""")),
            ["episodes an object"] = (sonarr, () => Json("""{"eventType":"Download","series":{"id":1},"episodes":{"id":2}}""")),
            ["10 MB body"] = (radarr, () => Json("{\"eventType\":\"Test\",\"pad\":\"" + new string('x', 10 * 1024 * 1024) + "\"}")),
            ["wrong secret"] = ("/webhooks/sonarr/WRONG-SECRET", () => Json("""{"eventType":"Test"}""")),
            ["wrong secret in token"] = ("/webhooks/radarr?token=WRONG", () => Json("""{"eventType":"Test"}""")),
        };
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task<int> SendAsync(MarqueeApp app, string path, Func<HttpContent> body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body() };
        try
        {
            using var response = await app.Client.SendAsync(request);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // A body past the limit may be cut off by the server closing the connection after its 413.
            return 413;
        }
    }

    private static ArrProvider Provider(MarqueeApp app, string kind, ArrSimulator sim)
    {
        var descriptor = app.Services.GetServices<IProviderDescriptor>().Single(d => d.Kind == kind);
        return (ArrProvider)descriptor.Create(new ArrSettings { Url = sim.ApplicationUri, ApiKey = sim.ApiKey }, new ProviderContext(1, kind, app.Services, new RequestCounts()));
    }
}
