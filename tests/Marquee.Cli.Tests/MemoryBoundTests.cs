using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Marquee.Cli.Tests.Infrastructure;
using Marquee.TestKit;

namespace Marquee.Cli.Tests;

/// <summary>
/// Outside input must not exhaust memory: a real <c>serve</c> process is fed an endless provider answer and random HTTP
/// methods, and a YAML bomb is given to a start, and the kernel's high-water mark of the process is read afterwards.
/// </summary>
[Trait("Runs", "Process")]
public sealed class MemoryBoundTests
{
    private const long Limit = 300L * 1024 * 1024;

    [Fact]
    public async Task UnboundedMemory_EndlessProviderBody_And_RandomMethods_ServePeakStaysUnder300MB()
    {
        using var folder = new TempFolder();
        await using var endless = EndlessServer.Start();
        using var server = MarqueeProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Path]);
        var line = await server.WaitForLineAsync("listening on", TimeSpan.FromSeconds(20));
        using var api = MarqueeProcess.ApiClient(line, folder.Path);

        // The API keeps a connection whose test fails (a server may be restarting); its answer carries the outcome.
        var created = await api.PostAsJsonAsync("/api/connections", new { name = "endless", kind = "plex", settings = new { url = endless.Url, token = "t" } });
        Assert.True((int)created.StatusCode < 500, $"create answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        for (var i = 0; i < 3; i++)
        {
            var test = await api.PostAsync("/api/connections/endless/test", null);
            Assert.True((int)test.StatusCode < 500, $"test answered {(int)test.StatusCode}: {await test.Content.ReadAsStringAsync()}");
        }

        Assert.True(endless.BytesSent > 0, "the endless server was never asked");

        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var method = new string(Enumerable.Range(0, random.Next(3, 12)).Select(_ => (char)('A' + random.Next(26))).ToArray());
            using var request = new HttpRequestMessage(new HttpMethod(method), i % 2 == 0 ? "/metrics" : $"/api/x{i}");
            using var response = await api.SendAsync(request);
            Assert.True((int)response.StatusCode < 500, $"{method} answered {(int)response.StatusCode}");
        }

        var metrics = await api.GetStringAsync("/metrics");
        var peak = HighWaterMark(server.Id);

        Assert.True(peak < Limit, $"serve peaked at {peak / (1024 * 1024)} MB (limit {Limit / (1024 * 1024)} MB)");
        Assert.True(metrics.Length < 512 * 1024, $"/metrics grew to {metrics.Length} bytes");
        var healthz = await api.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }

    [Fact]
    public async Task UnboundedMemory_YamlBomb_AtServeStart_IsRefusedWithinAHeapOf300MB()
    {
        using var folder = new TempFolder();
        var file = folder.Combine("marquee.yaml");
        await File.WriteAllTextAsync(file, YamlBomb(levels: 9));
        Assert.True(new FileInfo(file).Length <= 1024, "the bomb is meant to be at most 1 KB");

        // The heap limit turns an expansion into an out-of-memory crash, so an unbounded reader cannot pass by luck.
        var result = await MarqueeProcess.RunAsync(
            ["serve", "--urls", "http://127.0.0.1:0", "--data", folder.Combine("data"), "--config", file],
            new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = Limit.ToString("X", CultureInfo.InvariantCulture) });

        Assert.Equal(1, result.Code);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("marquee.yaml", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("OutOfMemory", result.Error + result.Output, StringComparison.Ordinal);
    }

    /// <summary>Each level names the one before it ten times: 9 levels stand for 10^9 copies of the first.</summary>
    private static string YamlBomb(int levels)
    {
        var text = new StringBuilder("a: &a [\"lol\"]\n");
        for (var level = 1; level < levels; level++)
        {
            var name = (char)('a' + level);
            var previous = (char)('a' + level - 1);
            text.Append(CultureInfo.InvariantCulture, $"{name}: &{name} [{string.Join(",", Enumerable.Repeat($"*{previous}", 10))}]\n");
        }

        return text.ToString();
    }

    /// <summary>Reads the process's peak resident size (VmHWM), kept by the kernel for the life of the process.</summary>
    private static long HighWaterMark(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        var line = status.First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kb * 1024;
    }

    /// <summary>A fake Plex server that answers every request with 200 and a JSON string that never ends (1 GiB per answer at most).</summary>
    private sealed class EndlessServer : IAsyncDisposable
    {
        private const long MaxPerAnswer = 1024L * 1024 * 1024;
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _bytesSent;

        private EndlessServer(TcpListener listener)
        {
            _listener = listener;
            _loop = Task.Run(AcceptAsync);
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public long BytesSent => Interlocked.Read(ref _bytesSent);

        public static EndlessServer Start()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new EndlessServer(listener);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(() => AnswerAsync(client));
            }
        }

        private async Task AnswerAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var request = new byte[8192];
                    var seen = new StringBuilder();
                    while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(request, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        seen.Append(Encoding.ASCII.GetString(request, 0, read));
                    }

                    var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"MediaContainer\":{\"machineIdentifier\":\"");
                    await stream.WriteAsync(head, _stop.Token);
                    var chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
                    for (long sent = 0; sent < MaxPerAnswer; sent += chunk.Length)
                    {
                        await stream.WriteAsync(chunk, _stop.Token);
                        Interlocked.Add(ref _bytesSent, chunk.Length);
                    }
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // The client hung up: what a capped reader does.
                }
            }
        }
    }
}
