using System.Net;
using Marquee.TestKit;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Outbox;

/// <summary>The outbox API: malformed input gets a problem naming the field, unknown ids 404, and nothing is stored.</summary>
public sealed class OutboxApiTests
{
    [Theory]
    [InlineData("/api/outbox/999")]
    [InlineData("/api/outbox/abc")]
    [InlineData("/api/outbox/-1")]
    public async Task UnknownId_404_Problem(string path)
    {
        await using var app = await MarqueeApp.StartAsync(OutboxKit.Settings(("Marquee:Outbox:Paused", "true")));

        foreach (var response in new[] { await app.Client.GetAsync(path), await app.Client.PostAsync(path + "/retry", null) })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("No such outbox delivery.", (await app.JsonAsync(response)).GetProperty("title").GetString());
        }
    }

    [Theory]
    [InlineData("?status=bogus", "status")]
    [InlineData("?status=FAILED", "status")]
    [InlineData("?limit=0", "limit")]
    public async Task BadListFilter_400_NamingTheField(string query, string field)
    {
        await using var app = await MarqueeApp.StartAsync(OutboxKit.Settings(("Marquee:Outbox:Paused", "true")));

        var response = await app.Client.GetAsync("/api/outbox" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await app.JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("""{"kind":"smoke-signal","payload":{}}""", "kind")]
    [InlineData("""{"payload":{"method":"POST","url":"http://127.0.0.1:9/"}}""", "kind")]
    [InlineData("""{"kind":"http"}""", "payload")]
    [InlineData("""{"kind":"http","payload":[1]}""", "payload")]
    [InlineData("""{"kind":"http","payload":{"method":"POST","url":"ftp://example.org/x"}}""", "payload.url")]
    [InlineData("""{"kind":"http","payload":{"method":"POST","url":"http://user:pw@example.org/x"}}""", "payload.url")]
    [InlineData("""{"kind":"http","payload":{"method":"post","url":"http://127.0.0.1:9/"}}""", "payload.method")]
    [InlineData("""{"kind":"http","payload":{"method":"POST","url":"http://127.0.0.1:9/","headers":{"Host":"evil"}}}""", "payload.headers.Host")]
    [InlineData("""{"kind":"http","payload":{"method":"POST","url":"http://127.0.0.1:9/","headers":{"X-A":"one\ntwo"}}}""", "payload.headers.X-A")]
    [InlineData("""{"kind":"http","payload":{"method":"POST","url":"http://127.0.0.1:9/","headers":{"Content-Type":"not a type"}}}""", "payload.headers.Content-Type")]
    [InlineData("""{"kind":"http","payload":{"method":"POST","url":"http://127.0.0.1:9/","body":{"a":1}}}""", "payload.body")]
    [InlineData("""{"kind":"http","payload":{"method":"POST","url":"http://127.0.0.1:9/","extra":1}}""", "payload.extra")]
    [InlineData("""{"kind":"http","idempotencyKey":"","payload":{"method":"POST","url":"http://127.0.0.1:9/"}}""", "idempotencyKey")]
    [InlineData("""{"kind":"http","payload":{"method":"POST","url":"http://127.0.0.1:9/"},"colour":"red"}""", "colour")]
    public async Task MalformedEnqueue_400_NamingTheField_NothingStored(string body, string field)
    {
        await using var app = await MarqueeApp.StartAsync(OutboxKit.Settings(("Marquee:Outbox:Paused", "true")));

        var response = await app.PostRawAsync("/api/outbox", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await app.JsonAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"no error for '{field}': {errors}");
        Assert.Equal(0, (await app.JsonAsync(await app.Client.GetAsync("/api/outbox"))).GetArrayLength());
    }

    [Fact]
    public async Task Listing_ShowsNoSecret_OfTheUrlOrHeaders()
    {
        await using var app = await MarqueeApp.StartAsync(OutboxKit.Settings(("Marquee:Outbox:Paused", "true")));
        var payload = new
        {
            method = "POST",
            url = "https://discord.example/api/webhooks/123/SECRETTOKEN?wait=true",
            headers = new Dictionary<string, string> { ["Authorization"] = "Bearer SECRETBEARER" },
            body = "{}",
        };

        var created = await app.PostJsonAsync("/api/outbox", new { kind = "http", idempotencyKey = "secret-1", payload });
        var listed = await app.Client.GetStringAsync("/api/outbox");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("POST https://discord.example/", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryOfADeliveredDelivery_409()
    {
        await using var receiver = await ReceivingServer.StartAsync();
        await using var app = await MarqueeApp.StartAsync(OutboxKit.Settings());
        var id = await OutboxKit.EnqueueAsync(app, "done-1", receiver.BaseUri);
        await OutboxKit.WaitDoneAsync(app, id);

        var response = await app.Client.PostAsync($"/api/outbox/{id}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("delivered", (await app.JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, receiver.Arrived);
    }
}
