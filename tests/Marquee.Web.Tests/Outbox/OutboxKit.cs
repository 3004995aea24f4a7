using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Outbox;

/// <summary>Helpers for outbox tests: short back-off, enqueuing generic HTTP deliveries through the API, waiting for an outcome.</summary>
internal static class OutboxKit
{
    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Marquee:Outbox:PollSeconds"] = "0.2",
            ["Marquee:Outbox:BaseDelaySeconds"] = "0.1",
            ["Marquee:Outbox:Jitter"] = "0",
            ["Marquee:Outbox:RequestTimeoutSeconds"] = "5",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static object Http(Uri url, string body = """{"content":"hello"}""") =>
        new { method = "POST", url = url.ToString(), headers = new Dictionary<string, string> { ["Content-Type"] = "application/json", ["X-Channel"] = "test" }, body };

    /// <summary>Enqueues through <c>POST /api/outbox</c> and returns the stored delivery's id.</summary>
    public static async Task<long> EnqueueAsync(MarqueeApp app, string key, Uri url, string body = """{"content":"hello"}""")
    {
        var response = await app.PostJsonAsync("/api/outbox", new { kind = "http", idempotencyKey = key, payload = Http(url, body) });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await app.JsonAsync(response)).GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement> GetAsync(MarqueeApp app, long id) => await app.JsonAsync(await app.Client.GetAsync($"/api/outbox/{id}"));

    /// <summary>Waits until the delivery is delivered or dead-lettered, and returns it.</summary>
    public static async Task<JsonElement> WaitDoneAsync(MarqueeApp app, long id, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var message = await GetAsync(app, id);
            if (message.GetProperty("status").GetString() is "delivered" or "failed")
            {
                return message;
            }

            Assert.True(watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)), $"delivery {id} is still {message}");
            await Task.Delay(50);
        }
    }

    /// <summary>A port on 127.0.0.1 where nothing listens: a target down for good.</summary>
    public static Uri DownUrl()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/hook");
    }
}
