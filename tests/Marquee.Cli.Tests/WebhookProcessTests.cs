using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.TestKit;
using Microsoft.Data.Sqlite;

namespace Marquee.Cli.Tests;

/// <summary>The inbox survives the process: a delivery stored before a hard kill is handled after the restart, once.</summary>
[Trait("Runs", "Process")]
public sealed class WebhookProcessTests
{
    private const string Secret = "PROCESSSECRET-81c3f0";

    private const string Payload =
        """{"event":"media.scrobble","user":false,"owner":true,"Account":{"id":8472915,"title":"bob"},"Server":{"title":"s","uuid":"abc"},"Metadata":{"ratingKey":"1001","guid":"plex://movie/5d776b59ad5437001f79c6f8","type":"movie","duration":6960000}}""";

    [Fact]
    public async Task KilledAfterStoringBeforeHandling_HandledAfterRestart_Once()
    {
        using var folder = new TempFolder();
        var paused = new Dictionary<string, string>
        {
            ["MARQUEE__Marquee__Webhooks__Secret"] = Secret,
            ["MARQUEE__Marquee__Webhooks__ProcessorPaused"] = "true",
        };

        // Arrange: a server whose processor waits; the delivery is acknowledged (so it is stored) but not handled.
        using (var first = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path], paused))
        {
            using var http = await ClientAsync(first, folder);
            Assert.Contains("/webhooks/plex/", await first.WaitForLineAsync("Plex webhook URL:", TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
            using var content = Multipart(Payload);
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/webhooks/plex/{Secret}", content)).StatusCode);
            Assert.Contains("\"pending\":1", await http.GetStringAsync("/api/webhooks/status"), StringComparison.Ordinal);

            // Act: no shutdown, no flush.
            first.KillHard();
        }

        Assert.Equal(("pending", 0L, 0L), await ReadAsync(folder));

        // Act: restart without the pause.
        using var second = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path], new Dictionary<string, string> { ["MARQUEE__Marquee__Webhooks__Secret"] = Secret });
        using var again = await ClientAsync(second, folder);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!(await again.GetStringAsync("/api/webhooks/status")).Contains("\"handled\":1", StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "the stored delivery was not handled after the restart");
            await Task.Delay(100);
        }

        // Assert: handled once (one attempt), one event.
        second.KillHard();
        Assert.Equal(("handled", 1L, 1L), await ReadAsync(folder));
    }

    private static async Task<HttpClient> ClientAsync(MarqueeProcess process, TempFolder folder) =>
        MarqueeProcess.ApiClient(await process.WaitForLineAsync("listening on", TimeSpan.FromSeconds(15)), folder.Path);

    private static MultipartFormDataContent Multipart(string payload)
    {
        var content = new MultipartFormDataContent("--------------------------5a2f");
        var part = new StringContent(payload, Encoding.UTF8);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Add(part, "payload");
        return content;
    }

    /// <summary>The single delivery's status and attempts, and the number of live events, read from the file.</summary>
    private static async Task<(string Status, long Attempts, long Events)> ReadAsync(TempFolder folder)
    {
        await using var db = new SqliteConnection($"Data Source={folder.Combine("marquee.db")};Pooling=False");
        await db.OpenAsync();
        await using var inbox = db.CreateCommand();
        inbox.CommandText = "SELECT status, attempts FROM inbox";
        await using var reader = await inbox.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var (status, attempts) = (reader.GetString(0), reader.GetInt64(1));
        Assert.False(await reader.ReadAsync());
        await using var events = db.CreateCommand();
        events.CommandText = "SELECT COUNT(*) FROM live_events";
        return (status, attempts, (long)(await events.ExecuteScalarAsync())!);
    }
}
