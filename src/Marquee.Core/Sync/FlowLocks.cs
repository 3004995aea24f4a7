using System.Collections.Concurrent;
using System.Globalization;
using Marquee.Core.Flows;
using Marquee.Core.Validation;

namespace Marquee.Core.Sync;

/// <summary>What a run does when its flow is already running.</summary>
public enum WhenBusy
{
    /// <summary>Refused with a conflict that names what holds the flow: a person asked (CLI, API) and is told; a scheduled run is skipped until its next time.</summary>
    Refuse,

    /// <summary>Waits its turn: a live event must not be dropped because a run of its flow was under way.</summary>
    Wait,
}

/// <summary>
/// The one locking rule of flow runs: one run per flow at a time, in this process and across processes sharing the store
/// (the server and a CLI run beside it). The in-process gate orders runs of this process without touching the store;
/// the store's lease (<see cref="IFlowLeaseStore"/>) keeps other processes out. A lease is renewed while its run lasts
/// and expires a minute after its process stops renewing it; a lease left by a process that is known to be gone (same
/// host, its process no longer running) is taken over at once, so a killed run does not hold its flow.
/// </summary>
public sealed class FlowLocks(IFlowLeaseStore leases)
{
    /// <summary>How long a lease lasts without renewal.</summary>
    public static readonly TimeSpan LeasePeriod = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan WaitStep = TimeSpan.FromMilliseconds(100);
    private static readonly string ThisProcess = ProcessIdentity();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _gates = new();
    private readonly string _owner = $"{ThisProcess}/{Guid.NewGuid():N}";

    /// <summary>Takes the flow for one run; dispose the lease when the run ends.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(Flow flow, string trigger, WhenBusy whenBusy, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(flow.Id, _ => new SemaphoreSlim(1, 1));
        if (whenBusy == WhenBusy.Wait)
        {
            await gate.WaitAsync(cancellationToken);
        }
        else if (!await gate.WaitAsync(0, cancellationToken))
        {
            throw Busy(flow, "in this process");
        }

        try
        {
            while (true)
            {
                var now = TimeProvider.System.GetUtcNow();
                var holder = await leases.HolderAsync(flow.Id, now, cancellationToken);
                var gone = holder is not null && IsGone(holder.Owner) ? holder.Owner : null;
                if ((holder is null || gone is not null) && await leases.TryAcquireAsync(flow.Id, _owner, trigger, now, now + LeasePeriod, gone, cancellationToken))
                {
                    return new Lease(leases, _owner, flow.Id, gate);
                }

                if (whenBusy == WhenBusy.Refuse)
                {
                    throw Busy(flow, holder is null ? "in another process" : $"{Article(holder.Trigger)} {holder.Trigger} run in another process");
                }

                await Task.Delay(WaitStep, cancellationToken);
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private static string Article(string word) => word.Length > 0 && "aeiou".Contains(char.ToLowerInvariant(word[0]), StringComparison.Ordinal) ? "an" : "a";

    private static ConflictException Busy(Flow flow, string where) =>
        new("flow", $"Flow '{flow.Name}' is already running ({where}); one run per flow at a time, try again when it ends.");

    /// <summary>This process as a lease owner names it: host, process id and start time (a reused process id is another process).</summary>
    private static string ProcessIdentity()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{StartTicks(self)}");
    }

    private static long StartTicks(System.Diagnostics.Process process)
    {
        try
        {
            return process.StartTime.ToUniversalTime().Ticks;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return 0;
        }
    }

    /// <summary>True when the owner is a process of this host that no longer runs; an owner of another host is never known to be gone.</summary>
    private static bool IsGone(string owner)
    {
        var parts = owner.Split('/');
        if (parts.Length != 4 || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var started))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            // Another lock of this very process (a second host in one test process): alive.
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            // A process's start time as another process reads it can differ by a few milliseconds (it is derived from the
            // uptime); a process id in use by a process that started seconds apart is another process.
            return started != 0 && StartTicks(process) is var ticks && ticks != 0 && Math.Abs(ticks - started) > TimeSpan.TicksPerSecond * 2;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>A held flow: renews its lease while the run lasts, frees it (and the gate) at the end.</summary>
    private sealed class Lease : IAsyncDisposable
    {
        private readonly IFlowLeaseStore _leases;
        private readonly string _owner;
        private readonly long _flowId;
        private readonly SemaphoreSlim _gate;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;

        public Lease(IFlowLeaseStore leases, string owner, long flowId, SemaphoreSlim gate)
        {
            (_leases, _owner, _flowId, _gate) = (leases, owner, flowId, gate);
            _renewing = RenewAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewing;
            try
            {
                await _leases.ReleaseAsync(_flowId, _owner, CancellationToken.None);
            }
            finally
            {
                _stop.Dispose();
                _gate.Release();
            }
        }

        private async Task RenewAsync()
        {
            try
            {
                while (true)
                {
                    await Task.Delay(LeasePeriod / 4, _stop.Token);
                    await _leases.RenewAsync(_flowId, _owner, TimeProvider.System.GetUtcNow() + LeasePeriod, _stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store refused a renewal (it is busy or gone); the run goes on, and a lease that expires can be taken.
            }
        }
    }
}
