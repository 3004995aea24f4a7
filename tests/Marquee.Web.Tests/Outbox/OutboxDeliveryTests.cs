using System.Globalization;
using System.Net;
using Marquee.TestKit;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Outbox;

/// <summary>The outbox delivering generic HTTP requests to real receiving servers: retries, Retry-After, the circuit and the dead letter.</summary>
public sealed class OutboxDeliveryTests
{
    [Fact]
    public async Task TargetAnswering500Then200_IsDeliveredOnce_WithItsIdempotencyKey()
    {
        await using var receiver = await ReceivingServer.StartAsync((n, _) => Task.FromResult(n == 1 ? 500 : 200));
        await using var app = await MarqueeApp.StartAsync(OutboxKit.Settings());

        var id = await OutboxKit.EnqueueAsync(app, "k-500", new Uri(receiver.BaseUri, "/hook?channel=1"), """{"content":"first"}""");
        var done = await OutboxKit.WaitDoneAsync(app, id);
        await Task.Delay(500);

        // Assert: a 500, then one 200; the same key, headers and body both times; nothing after the 200.
        Assert.Equal("delivered", done.GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("attempts").GetInt32());
        Assert.Equal(200, done.GetProperty("lastStatus").GetInt32());
        Assert.Equal([500, 200], receiver.Answered.Select(r => r.Status));
        Assert.All(receiver.Answered, r => Assert.Equal(("k-500", "POST", "/hook?channel=1", """{"content":"first"}"""), (r.IdempotencyKey, r.Method, r.Path, r.Body)));
        Assert.Equal(1, receiver.SucceededPerKey()["k-500"]);

        // The same key enqueued again is the same delivery: nothing new is stored or sent.
        var again = await app.PostJsonAsync("/api/outbox", new { kind = "http", idempotencyKey = "k-500", payload = OutboxKit.Http(receiver.BaseUri) });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await app.JsonAsync(again)).GetProperty("id").GetInt64());
        await Task.Delay(500);
        Assert.Equal(2, receiver.Arrived);
        Assert.Equal(1, (await app.JsonAsync(await app.Client.GetAsync("/api/outbox"))).GetArrayLength());
    }

    [Theory]
    [InlineData("seconds")]
    [InlineData("date")]
    public async Task TooManyRequests_WithRetryAfter_WaitsAtLeastThatLong(string form)
    {
        await using var receiver = await ReceivingServer.StartAsync((n, context) =>
        {
            if (n > 1)
            {
                return Task.FromResult(200);
            }

            // Two seconds, as a number or as an HTTP date (whole seconds: at least two seconds from now).
            context.Response.Headers.RetryAfter = form == "seconds"
                ? "2"
                : TimeProvider.System.GetUtcNow().AddSeconds(3).ToString("r", CultureInfo.InvariantCulture);
            return Task.FromResult(429);
        });
        await using var app = await MarqueeApp.StartAsync(OutboxKit.Settings());

        var id = await OutboxKit.EnqueueAsync(app, "k-429-" + form, receiver.BaseUri);
        var done = await OutboxKit.WaitDoneAsync(app, id);

        Assert.Equal("delivered", done.GetProperty("status").GetString());
        var (first, second) = (receiver.Answered[0], receiver.Answered[1]);
        Assert.Equal((429, 200), (first.Status, second.Status));
        Assert.True(second.ArrivedAt - first.ArrivedAt >= TimeSpan.FromSeconds(2), $"the second attempt came {(second.ArrivedAt - first.ArrivedAt).TotalSeconds} s after the 429");
        Assert.True(second.ArrivedAt - first.ArrivedAt < TimeSpan.FromSeconds(6), "the wait was honoured, not a long back-off");
    }

    [Fact]
    public async Task TargetDownForGood_IsDeadLetteredAfterMaxAttempts_WhileAnotherTargetKeepsBeingDelivered()
    {
        await using var receiver = await ReceivingServer.StartAsync();
        await using var app = await MarqueeApp.StartAsync(OutboxKit.Settings(("Marquee:Outbox:MaxAttempts", "4"), ("Marquee:Outbox:BaseDelaySeconds", "0.4")));
        var down = OutboxKit.DownUrl();

        // Act: one delivery to a target that never answers, then ten to one that does, enqueued after it.
        var dead = await OutboxKit.EnqueueAsync(app, "down-1", down);
        var live = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            live.Add(await OutboxKit.EnqueueAsync(app, $"live-{i}", receiver.BaseUri));
        }

        var delivered = new List<System.Text.Json.JsonElement>();
        foreach (var id in live)
        {
            delivered.Add(await OutboxKit.WaitDoneAsync(app, id));
        }

        var failed = await OutboxKit.WaitDoneAsync(app, dead);

        // Assert: the live target got all ten, once each, long before the down one gave up (0.4 + 0.8 + 1.6 s of back-off).
        Assert.All(delivered, d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
        Assert.Equal(10, receiver.SucceededPerKey().Count);
        Assert.All(receiver.SucceededPerKey().Values, n => Assert.Equal(1, n));
        var deadAt = failed.GetProperty("doneAt").GetDateTimeOffset();
        Assert.All(delivered, d => Assert.True(d.GetProperty("doneAt").GetDateTimeOffset() < deadAt - TimeSpan.FromSeconds(1), $"{d} was held behind the down target"));

        // The down one is dead-lettered after exactly four attempts, with the reason, and listed as failed.
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(4, failed.GetProperty("attempts").GetInt32());
        Assert.Contains("gave up after 4 attempts", failed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Contains("cannot reach", failed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        var failedList = await app.JsonAsync(await app.Client.GetAsync("/api/outbox?status=failed"));
        Assert.Equal(dead, Assert.Single(failedList.EnumerateArray()).GetProperty("id").GetInt64());
        var status = await app.JsonAsync(await app.Client.GetAsync("/api/outbox/status"));
        var circuit = Assert.Single(status.GetProperty("targets").EnumerateArray());
        Assert.Equal(down.GetLeftPart(UriPartial.Authority), circuit.GetProperty("target").GetString());
        Assert.True(circuit.GetProperty("failures").GetInt32() >= 4);

        // Retried by hand: pending again with its attempts reset, and dead-lettered again (the target is still down).
        var retried = await app.Client.PostAsync($"/api/outbox/{dead}/retry", null);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(0, (await app.JsonAsync(retried)).GetProperty("attempts").GetInt32());
    }
}
