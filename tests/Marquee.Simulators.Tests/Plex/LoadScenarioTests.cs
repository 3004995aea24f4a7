using System.Diagnostics;
using System.Net;
using Marquee.Simulators.Plex;
using Xunit.Abstractions;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>Size and concurrency scenarios of issue 3 (slow: Category=Scenario).</summary>
[Trait("Category", "Scenario")]
public sealed class LoadScenarioTests(ITestOutputHelper output)
{
    private const long MemoryBudget = 300L * 1024 * 1024;

    [Fact]
    public async Task Library_100kItems_ServedUnder300MB()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var workingSetBefore = process.WorkingSet64;

        await using var host = await SimHost.StartAsync(new PlexSimulatorOptions { Movies = 50_000, Shows = 1_500, ClockStart = SimHost.Start });
        var items = host.Sim.State.ItemCount;
        Assert.True(items >= 100_000, $"only {items} items");

        var json = host.Pms(host.Owner.AccountToken);
        var xml = host.Pms(host.Owner.AccountToken, json: false);
        long bytes = 0;
        foreach (var path in new[] { "/library/sections/1/all?includeGuids=1", "/library/sections/2/all?type=4&includeGuids=1", "/library/sections/2/all?type=2" })
        {
            using var response = await json.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            bytes += await DrainAsync(body);
        }

        using (var response = await xml.GetAsync(new Uri("/library/sections/1/all", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            bytes += await DrainAsync(body);
        }

        // Page time for 1,000 items is reported here for the benchmark log, never asserted.
        var watch = Stopwatch.StartNew();
        var page = await SimHost.ContainerAsync(json, "/library/sections/1/all?includeGuids=1&X-Plex-Container-Start=20000&X-Plex-Container-Size=1000");
        output.WriteLine($"page of 1,000 items from a {items}-item library: {watch.ElapsedMilliseconds} ms");
        Assert.Equal(1000, page.GetProperty("size").GetInt32());

        process.Refresh();
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var heapGrowth = heapAfter - heapBefore;
        var workingSetGrowth = process.WorkingSet64 - workingSetBefore;
        output.WriteLine($"{items} items, {bytes / 1024 / 1024} MB served; managed heap +{heapGrowth / 1024 / 1024} MB, working set +{workingSetGrowth / 1024 / 1024} MB, peak working set {process.PeakWorkingSet64 / 1024 / 1024} MB");
        Assert.True(heapGrowth < MemoryBudget, $"managed heap grew {heapGrowth / 1024 / 1024} MB");
        Assert.True(workingSetGrowth < MemoryBudget, $"working set grew {workingSetGrowth / 1024 / 1024} MB");
    }

    [Fact]
    public async Task TwoHundredConcurrentClients_NoErrors()
    {
        await using var host = await SimHost.StartAsync(new PlexSimulatorOptions { Movies = 500, Shows = 40, ClockStart = SimHost.Start });
        var movies = host.Sim.State.ItemsOfType(1, Marquee.Simulators.Plex.Model.ItemType.Movie);
        var tokens = host.Sim.Accounts.Select(a => a.ServerToken).ToList();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var start = new SemaphoreSlim(0);
        var clients = Enumerable.Range(0, 200).Select(async i =>
        {
            var client = host.Pms(tokens[i % tokens.Count], json: i % 2 == 0);
            client.DefaultRequestHeaders.Remove("X-Plex-Client-Identifier");
            client.DefaultRequestHeaders.Add("X-Plex-Client-Identifier", $"load-{i}");
            await start.WaitAsync();
            var movie = movies[i % movies.Count].RatingKey;
            string[] paths =
            [
                $"/library/sections/1/all?X-Plex-Container-Start={i}&X-Plex-Container-Size=50&includeGuids=1",
                $"/library/metadata/{movie}",
                "/library/sections/2/all?type=4&viewCount%3E%3E=0",
                "/status/sessions/history/all?sort=viewedAt:desc&X-Plex-Container-Size=20",
            ];
            foreach (var path in paths)
            {
                await CheckAsync(client, HttpMethod.Get, path, failures);
            }

            await CheckAsync(client, HttpMethod.Put, $"/:/scrobble?identifier=com.plexapp.plugins.library&key={movie}", failures);
            await CheckAsync(client, HttpMethod.Post, $"/:/timeline?identifier=com.plexapp.plugins.library&ratingKey={movie}&key=/library/metadata/{movie}&state=playing&time=60000&duration=6000000", failures);
            await CheckAsync(client, HttpMethod.Put, $"/:/rate?identifier=com.plexapp.plugins.library&key={movie}&rating={i % 10}", failures);
        }).ToList();
        start.Release(200);
        await Task.WhenAll(clients);
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
        Assert.Equal(200, host.Sim.State.Sessions().Count);
    }

    private static async Task CheckAsync(HttpClient client, HttpMethod method, string path, System.Collections.Concurrent.ConcurrentBag<string> failures)
    {
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                failures.Add($"{method} {path}: {(int)response.StatusCode}");
            }
        }
        catch (HttpRequestException e)
        {
            failures.Add($"{method} {path}: {e.Message}");
        }
    }

    private static async Task<long> DrainAsync(Stream body)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }
}
