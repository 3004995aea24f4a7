using System.Globalization;
using System.Net;
using Marquee.Core.Webhooks;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Webhooks;

public sealed class ConcurrentDeliveryTests
{
    [Fact]
    [Trait("Category", "Scenario")]
    public async Task Deliveries1000_Concurrent_AllStoredAndHandled()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Webhooks:RateLimit:PermitLimit", "5000")));
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 };
        using var client = new HttpClient(handler) { BaseAddress = app.Address, Timeout = TimeSpan.FromSeconds(120) };

        var statuses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(async i =>
        {
            using var content = WebhookKit.Multipart(WebhookKit.Scrobble(ratingKey: (10_000 + i).ToString(CultureInfo.InvariantCulture)));
            using var response = await client.PostAsync(WebhookKit.Path(), content);
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var counts = await WebhookKit.WaitHandledAsync(app, 1000, TimeSpan.FromSeconds(120));
        Assert.Equal(1000, counts.Count(InboxStatus.Handled));
        Assert.Equal(1000, counts.LiveEvents);
    }
}
