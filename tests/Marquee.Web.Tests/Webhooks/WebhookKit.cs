using System.Net.Http.Headers;
using System.Text;
using Marquee.Core.Webhooks;
using Marquee.Simulators.Plex;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Webhooks;

/// <summary>Helpers for webhook tests: a known secret, Plex-shaped multipart bodies, a simulator that posts to Marquee.</summary>
internal static class WebhookKit
{
    public const string Secret = "WEBHOOKSECRET-4e9d2b7a1c";

    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["Marquee:Webhooks:Secret"] = Secret, ["Marquee:Webhooks:ProcessorPollSeconds"] = "0.2" };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static string Path(string secret = Secret) => $"/webhooks/plex/{secret}";

    public static Uri Url(MarqueeApp app) => new(app.Address, Path());

    /// <summary>A body as Plex sends it: the payload part with application/json and, optionally, a JPEG thumb.</summary>
    public static MultipartFormDataContent Multipart(string payload, bool thumb = true)
    {
        var content = new MultipartFormDataContent("--------------------------5a2f" + Guid.NewGuid().ToString("N")[..8]);
        var part = new StringContent(payload, Encoding.UTF8);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Add(part, "payload");
        if (thumb)
        {
            var image = new ByteArrayContent(new byte[2048]);
            image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            content.Add(image, "thumb", "image.jpg");
        }

        return content;
    }

    public static string Scrobble(string ratingKey = "1001", long account = 8472915) =>
        $$$"""{"event":"media.scrobble","user":false,"owner":true,"Account":{"id":{{{account}}},"title":"bob"},"Server":{"title":"s","uuid":"abc"},"Player":{"local":true,"title":"TV","uuid":"p1"},"Metadata":{"ratingKey":"{{{ratingKey}}}","guid":"plex://movie/5d776b59ad5437001f79c6f8","type":"movie","title":"Arrival","duration":6960000,"lastViewedAt":1738006600}}""";

    public static Task<InboxCounts> CountsAsync(MarqueeApp app) => app.Services.GetRequiredService<IInboxStore>().CountAsync(CancellationToken.None);

    /// <summary>Waits until nothing is pending and <paramref name="stored"/> deliveries are in the inbox.</summary>
    public static async Task<InboxCounts> WaitHandledAsync(MarqueeApp app, long stored, TimeSpan? timeout = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        InboxCounts counts;
        do
        {
            counts = await CountsAsync(app);
            if (counts.Count(InboxStatus.Pending) == 0 && counts.ByStatus.Values.Sum() >= stored)
            {
                return counts;
            }

            await Task.Delay(50);
        }
        while (watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)));

        Assert.Fail($"The inbox did not drain: {string.Join(", ", counts.ByStatus.Select(p => $"{p.Key}={p.Value}"))}");
        return counts;
    }

    public static async Task<IReadOnlyList<LiveEvent>> EventsAsync(MarqueeApp app) =>
        await app.Services.GetRequiredService<IInboxStore>().ListEventsAsync(1000, CancellationToken.None);

    public static Task<PlexSimulator> StartSimAsync(MarqueeApp app) =>
        PlexSimulator.StartAsync(
            new PlexSimulatorOptions { Movies = 30, Shows = 4, HomeUsers = 1, Friends = 1, WebhookUrl = Url(app), ClockStart = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000) },
            CancellationToken.None);
}
