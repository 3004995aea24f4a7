using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Marquee.Core.Flows;
using Marquee.Core.Validation;

namespace Marquee.Core.Sync;

/// <summary>One run per flow at a time in this process (CLI, API and scheduler share it).</summary>
public sealed class SyncLocks
{
    private readonly ConcurrentDictionary<long, byte> _running = new();

    public bool TryEnter(long flowId) => _running.TryAdd(flowId, 0);

    public void Exit(long flowId) => _running.TryRemove(flowId, out _);

    public bool IsRunning(long flowId) => _running.ContainsKey(flowId);
}

/// <summary>Runs the named flows (or every enabled flow), one at a time, each under its lock.</summary>
public sealed partial class SyncRunner(FlowService flows, SyncService sync, SyncLocks locks)
{
    public async Task<IReadOnlyList<Flow>> SelectAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return (await flows.ListAsync(cancellationToken)).Where(f => f.Enabled).ToList();
        }

        var selected = new List<Flow>();
        foreach (var name in names)
        {
            selected.Add(await flows.FindAsync(name, cancellationToken));
        }

        return selected;
    }

    public async Task<SyncReport> RunAsync(Flow flow, SyncOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (!locks.TryEnter(flow.Id))
        {
            throw new ConflictException("flow", $"Flow '{flow.Name}' is already running.");
        }

        try
        {
            return await sync.RunAsync(flow, options, progress, cancellationToken);
        }
        finally
        {
            locks.Exit(flow.Id);
        }
    }

    /// <summary>Parses a window: <c>1d</c>, <c>12h</c>, <c>30m</c>, <c>2w</c>, or a date or time (<c>2026-11-01</c>, ISO 8601, UTC unless an offset is given).</summary>
    public static bool TryParseSince(string? text, DateTimeOffset now, out DateTimeOffset since, out string error)
    {
        since = default;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "'since' is empty; use 1d, 12h, 30m or a date such as 2026-11-01.";
            return false;
        }

        var match = Window().Match(text.Trim());
        if (match.Success)
        {
            var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var span = match.Groups[2].Value switch
            {
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => TimeSpan.FromDays(7 * n),
            };
            since = now - span;
            return true;
        }

        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out since))
        {
            if (since > now)
            {
                error = $"'since' ({text}) is in the future.";
                return false;
            }

            return true;
        }

        error = $"'since' must be a window such as 1d, 12h, 30m, 2w or a date such as 2026-11-01; got '{text}'.";
        return false;
    }

    [GeneratedRegex("^([0-9]{1,6})([mhdw])$")]
    private static partial Regex Window();
}
