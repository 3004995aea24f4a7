using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Web.Tests.Infrastructure;
using Marquee.Web.Tests.Webhooks;

namespace Marquee.Web.Tests.Notifications;

/// <summary>Helpers for notification tests: fast outbox settings, channel creation through the API, polling.</summary>
internal static class NotifyKit
{
    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra) => WebhookKit.Settings(
        [
            ("Marquee:Outbox:PollSeconds", "0.2"),
            ("Marquee:Outbox:BaseDelaySeconds", "0.2"),
            ("Marquee:Outbox:MaxDelaySeconds", "1"),
            ("Marquee:Webhooks:Live:SessionPollSeconds", "0.3"),
            ("Marquee:Webhooks:Live:ConnectionRefreshSeconds", "0.3"),
            .. extra,
        ]);

    public static async Task<long> CreateChannelAsync(MarqueeApp app, object body)
    {
        using var response = await app.PostJsonAsync("/api/notifications", body);
        var json = await app.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return json.GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement> ChannelAsync(MarqueeApp app, long id) =>
        await app.Client.GetFromJsonAsync<JsonElement>($"/api/notifications/{id}");

    /// <summary>Polls until <paramref name="condition"/> holds (generous limit for a loaded machine).</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < (limit ?? TimeSpan.FromSeconds(30)), "timed out waiting for " + what);
            await Task.Delay(100);
        }
    }

    public static Task WaitForAsync(Func<bool> condition, string what, TimeSpan? limit = null) => WaitForAsync(() => Task.FromResult(condition()), what, limit);
}
