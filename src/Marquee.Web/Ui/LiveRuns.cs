using System.Collections.Concurrent;
using System.Security.Cryptography;
using Marquee.Core.Flows;
using Marquee.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marquee.Web.Ui;

/// <summary>Runs started from the web UI, in the background, with the progress lines the page shows while they last.</summary>
public sealed class LiveRuns(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime)
{
    private const int Kept = 20;

    private readonly ConcurrentDictionary<string, LiveRun> _runs = new(StringComparer.Ordinal);

    public string Start(Flow flow, SyncOptions options)
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        var live = new LiveRun(flow.Name, options.Force);
        _runs[key] = live;
        foreach (var old in _runs.Where(r => r.Value.Done).OrderByDescending(r => r.Value.Number).Skip(Kept).ToList())
        {
            _runs.TryRemove(old.Key, out _);
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var report = await scope.ServiceProvider.GetRequiredService<FlowRunner>().RunAsync(flow, options, live, lifetime.ApplicationStopping);
                live.Finish(report.Run.Id, report.Run.Status, report.Run.Message);
            }
            catch (Exception ex)
            {
                live.Finish(null, "failed", ex.Message);
            }
        });
        return key;
    }

    public LiveRun? Find(string key) => _runs.GetValueOrDefault(key);
}

/// <summary>One run started from the UI: its progress so far and, once it ends, the stored run.</summary>
public sealed class LiveRun(string flow, bool forced) : IProgress<string>
{
    private static long _counter;
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private long _total;

    public string Flow { get; } = flow;

    public bool Forced { get; } = forced;

    public long Number { get; } = Interlocked.Increment(ref _counter);

    public bool Done { get; private set; }

    public long? RunId { get; private set; }

    public string? Status { get; private set; }

    public string? Message { get; private set; }

    public IReadOnlyList<string> Lines => Since(0).Lines;

    /// <summary>The lines reported after the first <paramref name="seen"/> (of those still kept), and how many were reported in all.</summary>
    public (IReadOnlyList<string> Lines, long Total) Since(long seen)
    {
        lock (_lock)
        {
            var fresh = (int)Math.Clamp(_total - seen, 0, _lines.Count);
            return ([.. _lines.Skip(_lines.Count - fresh)], _total);
        }
    }

    public void Report(string value)
    {
        lock (_lock)
        {
            _lines.Add(value);
            _total++;
            if (_lines.Count > 200)
            {
                _lines.RemoveAt(0);
            }
        }
    }

    public void Finish(long? runId, string status, string? message)
    {
        RunId = runId;
        Status = status;
        Message = message;
        Done = true;
    }
}
