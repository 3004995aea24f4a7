using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.TestKit;
using Microsoft.Data.Sqlite;

namespace Marquee.Cli.Tests;

/// <summary>The outbox survives the process: deliveries queued before a hard kill are each delivered once after the restart.</summary>
[Trait("Runs", "Process")]
public sealed class OutboxProcessTests
{
    private static readonly Dictionary<string, string> Fast = new()
    {
        ["MARQUEE__Marquee__Outbox__PollSeconds"] = "0.2",
        ["MARQUEE__Marquee__Outbox__BaseDelaySeconds"] = "0.1",
        ["MARQUEE__Marquee__Scheduler__Enabled"] = "false",
    };

    [Fact]
    [Trait("Category", "Scenario")]
    public async Task KilledMidDelivery_With100Queued_EachDeliveredExactlyOnceAfterRestart()
    {
        using var folder = new TempFolder();

        // The receiver answers at once, except the 31st request, which it holds until the sender goes away: the kill
        // lands with 30 deliveries answered and one in flight, never between an answer and its record.
        using var held = new SemaphoreSlim(0);
        await using var receiver = await ReceivingServer.StartAsync(async (n, context) =>
        {
            if (n == 31)
            {
                held.Release();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }

            return 200;
        });
        var keys = Enumerable.Range(1, 100).Select(i => $"kill-{i:000}").ToList();

        using (var first = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path], Fast))
        {
            using var api = await ApiAsync(first, folder);

            // Act: 100 deliveries through the API, each acknowledged only once stored; then SIGKILL mid-delivery.
            foreach (var key in keys)
            {
                var response = await api.PostAsJsonAsync("/api/outbox", new { kind = "http", idempotencyKey = key, payload = new { method = "POST", url = new Uri(receiver.BaseUri, "/notify").ToString(), body = $"{{\"key\":\"{key}\"}}" } });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }

            Assert.True(await held.WaitAsync(TimeSpan.FromSeconds(30)), "the 31st delivery never arrived");
            first.KillHard();
        }

        // The store says what the receiver saw: 30 answered and recorded, one in flight, the rest waiting.
        Assert.Equal(
            new Dictionary<string, long> { ["delivered"] = 30, ["sending"] = 1, ["pending"] = 69 },
            await StatusCountsAsync(folder));

        // Act: restart.
        using var second = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path], Fast);
        using var again = await ApiAsync(second, folder);
        var watch = Stopwatch.StartNew();
        while ((await again.GetFromJsonAsync<JsonElement>("/api/outbox/status")).GetProperty("deliveries").TryGetProperty("delivered", out var n) is var found && (!found || n.GetInt64() < 100))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"not all delivered after the restart: {await again.GetStringAsync("/api/outbox/status")}");
            await Task.Delay(100);
        }

        await Task.Delay(500);
        second.KillHard();

        // Assert: every key answered with success exactly once. The 30 answered before the kill were not sent again;
        // only the one in flight at the kill arrived twice (once abandoned, once answered).
        var succeeded = receiver.SucceededPerKey();
        Assert.Equal(keys, succeeded.Keys.Order(StringComparer.Ordinal));
        Assert.All(succeeded, p => Assert.True(p.Value == 1, $"{p.Key} delivered {p.Value} times"));
        Assert.Equal(101, receiver.Arrived);
        Assert.Equal(100, receiver.Answered.Count);
        Assert.Equal(keys[..30], receiver.Answered.Take(30).Select(r => r.IdempotencyKey));
        Assert.Equal("kill-031", receiver.Answered[30].IdempotencyKey);
        Assert.All(receiver.Answered, r => Assert.Equal($"{{\"key\":\"{r.IdempotencyKey}\"}}", r.Body));
        Assert.Equal(new Dictionary<string, long> { ["delivered"] = 100 }, await StatusCountsAsync(folder));
    }

    [Fact]
    public async Task Cli_ListsTheDeadLetter_WithItsReason_AndRetriesIt()
    {
        using var folder = new TempFolder();
        var env = new Dictionary<string, string>(Fast) { ["MARQUEE__Marquee__Outbox__MaxAttempts"] = "1" };
        long id;
        using (var server = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path], env))
        {
            using var api = await ApiAsync(server, folder);
            var response = await api.PostAsJsonAsync("/api/outbox", new { kind = "http", idempotencyKey = "cli-1", payload = new { method = "POST", url = "http://127.0.0.1:9/hook/SECRETPATH" } });
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            var watch = Stopwatch.StartNew();
            while (!(await api.GetStringAsync($"/api/outbox/{id}")).Contains("\"failed\"", StringComparison.Ordinal))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "not dead-lettered");
                await Task.Delay(100);
            }

            server.KillHard();
        }

        // Act + Assert: the listing names it, its target and the reason, without the URL's path.
        var listed = await MarqueeProcess.RunAsync(["outbox", "--failed", "--data", folder.Path]);
        Assert.True(listed.Code == 0, listed.Error);
        Assert.Contains("http://127.0.0.1:9", listed.Output, StringComparison.Ordinal);
        Assert.Contains("gave up after 1 attempts", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETPATH", listed.Output, StringComparison.Ordinal);
        var json = await MarqueeProcess.RunAsync(["outbox", "--json", "--data", folder.Path]);
        Assert.Equal("failed", JsonDocument.Parse(json.Output).RootElement[0].GetProperty("status").GetString());

        var retried = await MarqueeProcess.RunAsync(["outbox", "--retry", id.ToString(CultureInfo.InvariantCulture), "--data", folder.Path]);
        Assert.True(retried.Code == 0, retried.Error);
        Assert.Contains("pending again", retried.Output, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, long> { ["pending"] = 1 }, await StatusCountsAsync(folder));

        // Malformed input: one error line and a usage or failure exit code.
        var bad = await MarqueeProcess.RunAsync(["outbox", "--status", "bogus", "--data", folder.Path]);
        Assert.Equal((2, "error: status: Unknown status 'bogus'; use one of: pending, sending, delivered, failed."), (bad.Code, bad.Error.Trim()));
        var unknown = await MarqueeProcess.RunAsync(["outbox", "--retry", "999", "--data", folder.Path]);
        Assert.Equal((1, "error: No outbox delivery '999'."), (unknown.Code, unknown.Error.Trim()));
        var word = await MarqueeProcess.RunAsync(["outbox", "--retry", "abc", "--data", folder.Path]);
        Assert.Equal((1, "error: No outbox delivery 'abc'."), (word.Code, word.Error.Trim()));
    }

    /// <summary>
    /// A client for the server's API; the one place that knows how the API is authorised: when the server keeps an API
    /// key in the data folder's <c>api-key</c> file, it is sent in <c>X-Api-Key</c>.
    /// </summary>
    private static async Task<HttpClient> ApiAsync(MarqueeProcess process, TempFolder folder)
    {
        var line = await process.WaitForLineAsync("listening on", TimeSpan.FromSeconds(15));
        var client = new HttpClient { BaseAddress = new Uri(line[line.IndexOf("http://", StringComparison.Ordinal)..]) };
        if (File.Exists(folder.Combine("api-key")))
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", (await File.ReadAllTextAsync(folder.Combine("api-key"))).Trim());
        }

        return client;
    }

    private static async Task<Dictionary<string, long>> StatusCountsAsync(TempFolder folder)
    {
        await using var db = new SqliteConnection($"Data Source={folder.Combine("marquee.db")};Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT status, COUNT(*) FROM outbox GROUP BY status";
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
