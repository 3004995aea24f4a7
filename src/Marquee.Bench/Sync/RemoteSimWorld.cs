using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Bench.Infrastructure;

namespace Marquee.Bench.Sync;

/// <summary>
/// A simulated world in a process of its own (<c>bench --sim-host SPEC</c>), driven over the child's standard input and
/// output, one JSON request and one JSON answer per line (<see cref="SimWorldHost"/> is the other end). The
/// simulators' memory, CPU and garbage collections then stay out of the figures of the process that runs Marquee.
/// </summary>
public sealed class RemoteSimWorld : ISimWorld
{
    private static readonly JsonSerializerOptions Json = new(BenchJson.Options) { WriteIndented = false };

    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Text.StringBuilder _stderr = new();

    private RemoteSimWorld(Process process, SimWorldInfo info)
    {
        _process = process;
        Info = info;
    }

    public SimWorldInfo Info { get; private set; }

    /// <summary>
    /// Drops the collector's heap limits from the simulators' environment: they stand in for other machines, and a limit
    /// set to measure Marquee as in a small box (<c>DOTNET_GCHeapHardLimit=0x10000000 ./marquee bench</c>) is not theirs.
    /// </summary>
    internal static void WithoutHeapLimits(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.Where(k => k.StartsWith("DOTNET_GCHeapHardLimit", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            environment.Remove(name);
        }
    }

    /// <summary>Starts <paramref name="spec"/> (see <see cref="SimWorldHost.Parse"/>) in a child process of <paramref name="command"/> and waits until its servers answer.</summary>
    public static async Task<RemoteSimWorld> StartAsync(ChildCommand command, string spec, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Prefix.Concat(["bench", "--sim-host", spec]))
        {
            start.ArgumentList.Add(arg);
        }

        WithoutHeapLimits(start.Environment);

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the simulators' process");
        var world = new RemoteSimWorld(process, null!);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (world._stderr)
                {
                    world._stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(10));
            var info = await world.ReadAnswerAsync(timeout.Token);
            world.Info = info.Deserialize<SimWorldInfo>(Json) ?? throw new InvalidOperationException("the simulators' process sent no description of its world");
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    public Task SetLatencyAsync(int ms) => CallAsync("latency", new JsonObject { ["ms"] = ms });

    public Task AdvanceClockAsync(TimeSpan by) => CallAsync("advance", new JsonObject { ["seconds"] = by.TotalSeconds });

    public Task ResetCountsAsync() => CallAsync("reset-counts", []);

    public async Task<IReadOnlyDictionary<string, long>> CountsAsync() => await CallAsync<Dictionary<string, long>>("counts", []);

    public Task<int> DivergeAsync(double share, int seed, bool perItem, IReadOnlyList<string>? accounts) =>
        CallAsync<int>("diverge", new JsonObject { ["share"] = share, ["seed"] = seed, ["perItem"] = perItem, ["accounts"] = Names(accounts) });

    public Task<int> WatchOnLeftAsync(string account, int count) => CallAsync<int>("watch-on-left", new JsonObject { ["account"] = account, ["count"] = count });

    public Task<int> CountDisagreementsAsync(IReadOnlyList<string> accounts) => CallAsync<int>("disagreements", new JsonObject { ["accounts"] = Names(accounts) });

    public async Task<IReadOnlyList<Check>> CheckStatesAsync(IReadOnlyList<string> accounts) => await CallAsync<List<Check>>("check", new JsonObject { ["accounts"] = Names(accounts) });

    public Task<long> ListingFloorAsync(IReadOnlyList<string> accounts, bool incremental) =>
        CallAsync<long>("floor", new JsonObject { ["accounts"] = Names(accounts), ["incremental"] = incremental });

    public async Task<IReadOnlyDictionary<string, long>> LibrarySizeAsync() => await CallAsync<Dictionary<string, long>>("size", []);

    public async Task<SimProcessStats?> StatsAsync(bool resetPeak) => await CallAsync<SimProcessStats>("stats", new JsonObject { ["resetPeak"] = resetPeak });

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("{\"op\":\"quit\"}");
                await _process.StandardInput.FlushAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
            _gate.Dispose();
        }
    }

    private static JsonArray? Names(IReadOnlyList<string>? names) => names is null ? null : new JsonArray(names.Select(n => (JsonNode?)n).ToArray());

    private async Task<T> CallAsync<T>(string op, JsonObject args) =>
        (await CallAsync(op, args)).Deserialize<T>(Json) ?? throw new InvalidOperationException($"the simulators' process answered '{op}' with nothing");

    private async Task<JsonNode> CallAsync(string op, JsonObject args)
    {
        args["op"] = op;
        await _gate.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(args.ToJsonString(Json));
            await _process.StandardInput.FlushAsync();
            return await ReadAnswerAsync(CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads lines until the next answer (<c>@sim </c> and a JSON object); other lines are the child's own output.</summary>
    private async Task<JsonNode> ReadAnswerAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                // Its standard error is read on another thread: wait (a little) until the process has ended and that
                // stream is read to its end, or its last lines, the reason it ended, may not be here yet.
                using (var ended = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                {
                    try
                    {
                        await _process.WaitForExitAsync(ended.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // Still running with its output closed: report what it said so far.
                    }
                }

                string tail;
                lock (_stderr)
                {
                    tail = string.Join(" | ", _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));
                }

                throw new InvalidOperationException($"the simulators' process ended{(tail.Length > 0 ? ": " + tail : string.Empty)}");
            }

            if (!line.StartsWith(SimWorldHost.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var answer = JsonNode.Parse(line[SimWorldHost.Prefix.Length..])?.AsObject() ?? throw new InvalidOperationException("the simulators' process sent an empty answer");
            if (answer["error"] is { } error)
            {
                throw new InvalidOperationException("the simulators' process: " + error.GetValue<string>());
            }

            return answer["result"] ?? JsonValue.Create(0);
        }
    }
}

/// <summary>
/// The simulators' process: starts the world a spec names, prints its description, then answers one request per line
/// of standard input until <c>quit</c> or the end of the input (<see cref="RemoteSimWorld"/> is the other end).
/// </summary>
public static class SimWorldHost
{
    /// <summary>Marks the lines of the protocol on the child's standard output; any other line is ignored.</summary>
    public const string Prefix = "@sim ";

    private static readonly JsonSerializerOptions Json = new(BenchJson.Options) { WriteIndented = false };

    /// <summary>
    /// The spec of a world: its kind and size, for example <c>plex-pair,10000,2840,10,0.1</c>, and <c>,system</c> at the
    /// end for simulators whose clocks follow the system clock (for a Marquee that runs on the system clock) instead of
    /// the fixed start the scenarios share with Marquee.
    /// </summary>
    public static string Spec(string kind, WorldSize size, bool systemClock = false) => string.Join(
        ',',
        kind,
        size.Movies.ToString(CultureInfo.InvariantCulture),
        size.Shows.ToString(CultureInfo.InvariantCulture),
        size.LatencyMs.ToString(CultureInfo.InvariantCulture),
        size.Differing.ToString(CultureInfo.InvariantCulture)) + (systemClock ? ",system" : string.Empty);

    public static (string Kind, WorldSize Size, bool SystemClock) Parse(string spec)
    {
        var parts = spec.Split(',');
        if (parts.Length is not (5 or 6) || (parts.Length == 6 && parts[5] != "system")
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var movies) || !int.TryParse(parts[2], CultureInfo.InvariantCulture, out var shows)
            || !int.TryParse(parts[3], CultureInfo.InvariantCulture, out var latency) || !double.TryParse(parts[4], CultureInfo.InvariantCulture, out var differing))
        {
            throw new ArgumentException($"a simulated world is KIND,MOVIES,SHOWS,LATENCY_MS,DIFFERING[,system], not '{spec}'", nameof(spec));
        }

        return (parts[0], new WorldSize(movies, shows, latency, differing), parts.Length == 6);
    }

    /// <summary>Starts a world of the spec in this process.</summary>
    public static async Task<ISimWorld> StartLocalAsync(string spec, CancellationToken cancellationToken)
    {
        var (kind, size, systemClock) = Parse(spec);
        DateTimeOffset? clockStart = systemClock ? null : SimWorldInfo.ClockStart;
        return kind switch
        {
            PlexPairWorld.Kind => await PlexPairWorld.StartAsync(size, clockStart, cancellationToken),
            PlexJellyfinWorld.Kind => await PlexJellyfinWorld.StartAsync(size, clockStart, cancellationToken),
            _ => throw new ArgumentException($"unknown simulated world '{kind}'", nameof(spec)),
        };
    }

    public static async Task<int> ServeAsync(string spec, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        await using var world = await StartLocalAsync(spec, cancellationToken);
        await WriteAsync(output, new JsonObject { ["result"] = JsonSerializer.SerializeToNode(world.Info, Json) });
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            JsonObject request;
            try
            {
                request = JsonNode.Parse(line)?.AsObject() ?? throw new JsonException("empty request");
            }
            catch (JsonException ex)
            {
                await WriteAsync(output, new JsonObject { ["error"] = "not a JSON object: " + ex.Message });
                continue;
            }

            var op = request["op"]?.GetValue<string>();
            if (op == "quit")
            {
                break;
            }

            try
            {
                await WriteAsync(output, new JsonObject { ["result"] = await AnswerAsync(world, op, request) });
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await WriteAsync(output, new JsonObject { ["error"] = $"{op}: {ex.GetType().Name}: {ex.Message}" });
            }
        }

        return 0;
    }

    private static async Task<JsonNode?> AnswerAsync(ISimWorld world, string? op, JsonObject r)
    {
        IReadOnlyList<string>? Names() => r["accounts"]?.AsArray().Select(n => n!.GetValue<string>()).ToList();
        JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, Json);
        switch (op)
        {
            case "latency":
                await world.SetLatencyAsync(r["ms"]!.GetValue<int>());
                return null;
            case "advance":
                await world.AdvanceClockAsync(TimeSpan.FromSeconds(r["seconds"]!.GetValue<double>()));
                return null;
            case "reset-counts":
                await world.ResetCountsAsync();
                return null;
            case "counts":
                return Node(await world.CountsAsync());
            case "diverge":
                return Node(await world.DivergeAsync(r["share"]!.GetValue<double>(), r["seed"]!.GetValue<int>(), r["perItem"]!.GetValue<bool>(), Names()));
            case "watch-on-left":
                return Node(await world.WatchOnLeftAsync(r["account"]!.GetValue<string>(), r["count"]!.GetValue<int>()));
            case "disagreements":
                return Node(await world.CountDisagreementsAsync(Names() ?? []));
            case "check":
                return Node(await world.CheckStatesAsync(Names() ?? []));
            case "floor":
                return Node(await world.ListingFloorAsync(Names() ?? [], r["incremental"]!.GetValue<bool>()));
            case "size":
                return Node(await world.LibrarySizeAsync());
            case "stats":
                if (r["resetPeak"]?.GetValue<bool>() == true)
                {
                    ProcessStats.Settle();
                    ProcessStats.ResetPeak();
                }

                return Node(new SimProcessStats(ProcessStats.CpuTime().TotalSeconds, ProcessStats.RssBytes(), ProcessStats.PeakRssBytes()));
            default:
                throw new ArgumentException($"unknown request '{op}'");
        }
    }

    private static async Task WriteAsync(TextWriter output, JsonObject answer)
    {
        await output.WriteLineAsync(Prefix + answer.ToJsonString(Json));
        await output.FlushAsync();
    }
}
