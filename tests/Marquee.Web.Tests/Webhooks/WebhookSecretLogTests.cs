using System.Text;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Webhooks;

public sealed class WebhookSecretLogTests
{
    [Fact]
    public async Task WebhookSecret_NeverAppearsInLogsResponsesOrTheStore()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        var bodies = new StringBuilder();

        // Good and bad deliveries, in the path and in the query, and the read endpoints.
        foreach (var path in new[] { WebhookKit.Path(), $"/webhooks/plex?token={WebhookKit.Secret}", $"/webhooks/plex/{WebhookKit.Secret}?x=1" })
        {
            using var good = WebhookKit.Multipart(WebhookKit.Scrobble());
            bodies.AppendLine(await (await app.Client.PostAsync(path, good)).Content.ReadAsStringAsync());
            using var bad = WebhookKit.Multipart("{nope");
            bodies.AppendLine(await (await app.Client.PostAsync(path, bad)).Content.ReadAsStringAsync());
        }

        await WebhookKit.WaitHandledAsync(app, 6);
        bodies.AppendLine(await app.Client.GetStringAsync("/api/webhooks/deliveries"));
        bodies.AppendLine(await app.Client.GetStringAsync("/api/webhooks/events"));
        bodies.AppendLine(await app.Client.GetStringAsync("/metrics"));

        var logs = app.Logs.AllText();
        Assert.Contains("/webhooks/plex/***", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookKit.Secret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookKit.Secret, bodies.ToString(), StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var store = string.Concat(Directory.GetFiles(app.DataFolder, "marquee.db*").Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        Assert.DoesNotContain(WebhookKit.Secret, store, StringComparison.Ordinal);
    }
}
