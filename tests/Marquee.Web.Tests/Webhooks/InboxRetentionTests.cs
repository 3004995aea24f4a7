using System.Net;
using System.Text;
using Marquee.Core.Webhooks;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>What the inbox keeps once a delivery is handled, and for how long.</summary>
public sealed class InboxRetentionTests
{
    [Fact]
    public async Task HandledDelivery_KeepsTheCompactPayload_AndRepeatsOnlyPointAtTheFirst()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        var summary = new string('x', 4000);
        var payload = WebhookKit.Scrobble("4242").Replace("\"type\":\"movie\"", $"\"type\":\"movie\",\"summary\":\"{summary}\",\"Role\":[{{\"tag\":\"Someone\"}}]", StringComparison.Ordinal);

        // Act: the same delivery three times, with a thumbnail.
        for (var i = 0; i < 3; i++)
        {
            using var content = WebhookKit.Multipart(payload, thumb: true);
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync(WebhookKit.Path(), content)).StatusCode);
        }

        await WebhookKit.WaitHandledAsync(app, 3);

        // Assert: the first keeps what diagnosis needs (and parses as before); the repeats keep a pointer to it.
        var store = app.Services.GetRequiredService<IInboxStore>();
        var first = (await store.GetAsync(1, CancellationToken.None))!;
        var kept = Encoding.UTF8.GetString(first.Body);
        Assert.Equal(InboxStatus.Handled, first.Status);
        Assert.DoesNotContain(summary, kept, StringComparison.Ordinal);
        Assert.DoesNotContain("Role", kept, StringComparison.Ordinal);
        Assert.True(first.Body.Length < 600, $"{first.Body.Length} bytes kept");
        Assert.Equal(PlexWebhookParser.Parse(Encoding.UTF8.GetBytes(payload)), PlexWebhookParser.Parse(first.Body));
        foreach (var id in new long[] { 2, 3 })
        {
            var repeat = (await store.GetAsync(id, CancellationToken.None))!;
            Assert.Equal(InboxStatus.Handled, repeat.Status);
            Assert.Equal("{\"duplicateOf\":1}", Encoding.UTF8.GetString(repeat.Body));
        }
    }

    [Fact]
    public async Task HandledDeliveries_PastTheRetention_AreDeleted_TheRestStays()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Webhooks:RetentionDays", "7")));
        var store = app.Services.GetRequiredService<IInboxStore>();
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        async Task<long> AddAsync(string status, TimeSpan age) =>
            await store.AddAsync(new InboxDelivery(0, "plex", now - age, "application/json", null, Encoding.UTF8.GetBytes("{}"), "k" + age.TotalHours + status, status, 1, now - age, null), CancellationToken.None);
        var old = await AddAsync(InboxStatus.Handled, TimeSpan.FromDays(8));
        var recent = await AddAsync(InboxStatus.Handled, TimeSpan.FromDays(6));
        var rejected = await AddAsync(InboxStatus.Rejected, TimeSpan.FromDays(30));

        // Act
        var pruned = await app.Services.GetRequiredService<InboxProcessor>().PruneAsync(CancellationToken.None);

        // Assert
        Assert.Equal(1, pruned);
        Assert.Null(await store.GetAsync(old, CancellationToken.None));
        Assert.NotNull(await store.GetAsync(recent, CancellationToken.None));
        Assert.NotNull(await store.GetAsync(rejected, CancellationToken.None));
    }
}
