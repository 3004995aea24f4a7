using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marquee.Bench.Infrastructure;

namespace Marquee.Bench.Sync;

/// <summary>
/// (12) <c>marquee serve</c>'s memory: the server in a process of its own with the reference library's two connections
/// and a two-way flow (the simulators in another), its resident memory when idle, its peak during the first full run
/// through the API, and its memory once idle again after that run and after a second full run (nothing may grow from
/// one run to the next). Needs the marquee command (<see cref="ScenarioContext.SimHost"/>): "not available" without it.
/// </summary>
public sealed class ServeMemoryScenario : IBenchScenario
{
    /// <summary>How long the server is left alone before its idle memory is read.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    /// <summary>The same at the quick size, where the runs are short.</summary>
    private static readonly TimeSpan QuickSettle = TimeSpan.FromSeconds(5);

    public string Name => "serve-memory";

    public string Title => "marquee serve: idle, a full run, idle again";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        if (context.Marquee is not { } marquee)
        {
            return new ScenarioResult { Name = Name, Title = Title, Status = ScenarioStatus.NotAvailable, Reason = "needs the marquee command, to start the server in a process of its own", Quick = context.Quick };
        }

        var size = SyncScenario.SizeFor(context.Quick);
        var settle = context.Quick ? QuickSettle : Settle;
        context.Log.WriteLine($"{Name}: starting two simulated servers ({size.Movies} movies, {size.Shows} shows each) in a process of their own");
        await using var sims = await RemoteSimWorld.StartAsync(marquee, SimWorldHost.Spec(PlexPairWorld.Kind, size, systemClock: true), cancellationToken);
        await sims.DivergeAsync(size.Differing, seed: 1, perItem: false, accounts: null);
        await sims.SetLatencyAsync(size.LatencyMs);
        var data = Path.Combine(context.DataFolder, "serve");
        Directory.CreateDirectory(data);
        await using var server = await ServerProcess.StartAsync(marquee, data, sims.Info.PlexTvUrl, cancellationToken);
        using var api = new HttpClient(new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(30) };
        api.DefaultRequestHeaders.Add("X-Api-Key", (await File.ReadAllTextAsync(Path.Combine(data, "api-key"), cancellationToken)).Trim());
        foreach (var connection in sims.Info.Connections)
        {
            var settings = new JsonObject(connection.Settings.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value)));
            await Ok(await api.PostAsJsonAsync("/api/connections", new JsonObject { ["name"] = connection.Name, ["kind"] = connection.Kind, ["settings"] = settings }, cancellationToken), "creating a connection");
        }

        await Ok(
            await api.PostAsJsonAsync(
                "/api/flows",
                new JsonObject { ["name"] = "bench", ["from"] = "left", ["to"] = "right", ["twoWay"] = true, ["mode"] = "mirror", ["features"] = new JsonArray("watched", "ratings", "progress") },
                cancellationToken),
            "creating the flow");

        context.Log.WriteLine($"  idle for {settle.TotalSeconds} s");
        await Task.Delay(settle, cancellationToken);
        var idleBefore = server.RssBytes();
        server.ResetPeak();
        context.Log.WriteLine("  first full run through the API");
        var cpu = server.CpuTime();
        var started = Stopwatch.GetTimestamp();
        var first = await SyncAsync(api, cancellationToken);
        var wall = Stopwatch.GetElapsedTime(started);
        var runCpu = server.CpuTime() - cpu;
        var peak = server.PeakRssBytes();
        await Task.Delay(settle, cancellationToken);
        var idleAfter = server.RssBytes();
        context.Log.WriteLine("  second full run (nothing changed)");
        var second = await SyncAsync(api, cancellationToken);
        await Task.Delay(settle, cancellationToken);
        var idleAfterSecond = server.RssBytes();
        static double Mb(long bytes) => Math.Round(bytes / 1048576.0, 1);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["idle MB before"] = Mb(idleBefore),
            ["peak MB during the first run"] = Mb(peak),
            ["idle MB after the first run"] = Mb(idleAfter),
            ["idle MB after the second run"] = Mb(idleAfterSecond),
            ["first run written"] = first.Written,
            ["second run written"] = second.Written,
        };
        var checks = new List<Check>
        {
            new("first run finished", first.Status == "done", $"status {first.Status}"),
            new("second run finished and wrote nothing", second.Status == "done" && second.Written == 0, $"status {second.Status}, {second.Written} written"),
            new("idle memory does not grow from one run to the next", idleAfterSecond <= idleAfter * 1.25, $"{Mb(idleAfter)} MB after the first run, {Mb(idleAfterSecond)} MB after the second"),
        };
        checks.AddRange(await sims.CheckStatesAsync(sims.Info.Accounts));
        return new ScenarioResult
        {
            Name = Name,
            Title = Title,
            Status = checks.All(c => c.Passed) ? ScenarioStatus.Ok : ScenarioStatus.Failed,
            Quick = context.Quick,
            Size = await sims.LibrarySizeAsync(),
            WallSeconds = Math.Round(wall.TotalSeconds, 3),
            CpuSeconds = Math.Round(runCpu.TotalSeconds, 3),
            PeakRssBytes = peak,
            BaselineRssBytes = idleBefore,
            SimulatorsApart = true,
            Writes = first.Written,
            Metrics = metrics,
            Checks = checks,
        };
    }

    private static async Task<(string Status, long Written)> SyncAsync(HttpClient api, CancellationToken cancellationToken)
    {
        using var response = await api.PostAsJsonAsync("/api/sync", new JsonObject { ["flows"] = new JsonArray("bench") }, cancellationToken);
        await Ok(response, "running the flow");
        var run = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["runs"]?[0]?["run"];
        return (run?["status"]?.GetValue<string>() ?? "unknown", run?["written"]?.GetValue<long>() ?? 0);
    }

    private static async Task Ok(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary><c>marquee serve</c> on 127.0.0.1, port chosen by the system, over its own data folder; its memory read from /proc.</summary>
    private sealed class ServerProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private ServerProcess(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<ServerProcess> StartAsync(ChildCommand marquee, string data, string? plexTv, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo(marquee.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in marquee.Prefix.Concat(["serve", "--urls", "http://127.0.0.1:0", "--data", data]))
            {
                start.ArgumentList.Add(arg);
            }

            if (plexTv is not null)
            {
                start.Environment["Marquee__Plex__PlexTvUrl"] = plexTv;
            }

            start.Environment["Marquee__Plex__PageSize"] = ReferenceWorld.PageSize.ToString(CultureInfo.InvariantCulture);
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start marquee serve");
            var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line && System.Text.RegularExpressions.Regex.Match(line, @"http://127\.0\.0\.1:[0-9]+") is { Success: true } m)
                {
                    address.TrySetResult(new Uri(m.Value));
                }
            };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new ServerProcess(process, new Uri("http://127.0.0.1"));
            try
            {
                var uri = await address.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                return new ServerProcess(process, uri);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }

        public long RssBytes() => (ProcessStats.StatusKb("VmRSS", Pid) ?? 0) * 1024;

        public long PeakRssBytes() => (ProcessStats.StatusKb("VmHWM", Pid) ?? 0) * 1024;

        private string Pid => _process.Id.ToString(CultureInfo.InvariantCulture);

        public TimeSpan CpuTime()
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }

        public void ResetPeak() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }

            _process.Dispose();
        }
    }
}
