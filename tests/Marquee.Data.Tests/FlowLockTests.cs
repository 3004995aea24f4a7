using System.Diagnostics;
using System.Globalization;
using Marquee.Core.Flows;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Marquee.Data.Stores;

namespace Marquee.Data.Tests;

/// <summary>
/// The one locking rule of flow runs over a real store: one run per flow at a time, in this process and across
/// processes (two <see cref="FlowLocks"/> over one file stand for the server and a CLI run beside it).
/// </summary>
public sealed class FlowLockTests : StoreTestBase
{
    private static readonly Flow Flow = new(7, "main", 1, "a", 2, "b", false, [FlowFeature.Watched], FlowMode.AddOnly, null, new FlowFilters(), new FlowGuards(), true, Now, Now);

    private FlowLeaseStore Leases => new(Provider);

    [Fact]
    public async Task Refuse_WhileTheFlowRunsInThisProcess_IsAConflict_AndFreeAgainAfterwards()
    {
        var locks = new FlowLocks(Leases);
        await using (await locks.AcquireAsync(Flow, "api", WhenBusy.Refuse, CancellationToken.None))
        {
            var busy = await Assert.ThrowsAsync<ConflictException>(() => locks.AcquireAsync(Flow, "cli", WhenBusy.Refuse, CancellationToken.None));
            Assert.Contains("Flow 'main' is already running", busy.Message, StringComparison.Ordinal);
        }

        await using var again = await locks.AcquireAsync(Flow, "cli", WhenBusy.Refuse, CancellationToken.None);
    }

    [Fact]
    public async Task Refuse_WhileAnotherProcessHoldsTheFlow_IsAConflictNamingItsTrigger()
    {
        var server = new FlowLocks(Leases);
        var cli = new FlowLocks(Leases);
        await using (await server.AcquireAsync(Flow, "schedule", WhenBusy.Refuse, CancellationToken.None))
        {
            var busy = await Assert.ThrowsAsync<ConflictException>(() => cli.AcquireAsync(Flow, "cli", WhenBusy.Refuse, CancellationToken.None));
            Assert.Contains("a schedule run in another process", busy.Message, StringComparison.Ordinal);
        }

        await using var free = await cli.AcquireAsync(Flow, "cli", WhenBusy.Refuse, CancellationToken.None);
    }

    [Fact]
    public async Task Wait_WaitsForTheRunUnderWay_ThenRuns()
    {
        var server = new FlowLocks(Leases);
        var live = new FlowLocks(Leases);
        var held = await server.AcquireAsync(Flow, "api", WhenBusy.Refuse, CancellationToken.None);

        var waiting = live.AcquireAsync(Flow, "live", WhenBusy.Wait, CancellationToken.None);
        await Task.Delay(400);
        Assert.False(waiting.IsCompleted, "the live run went ahead while the flow was held");

        await held.DisposeAsync();
        await using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("live", (await Leases.HolderAsync(Flow.Id, DateTimeOffset.UtcNow, CancellationToken.None))?.Trigger);
    }

    [Fact]
    public async Task ALeaseLeftByAProcessThatIsGone_IsTakenOverAtOnce()
    {
        // A process of this host that has exited (a run killed with SIGKILL) left its lease, valid for another hour.
        using var gone = Process.Start(new ProcessStartInfo("sh", "-c true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        var owner = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{gone.Id}/{DateTime.UtcNow.Ticks}/dead");
        Assert.True(await Leases.TryAcquireAsync(Flow.Id, owner, "cli", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1), null, CancellationToken.None));

        await using var lease = await new FlowLocks(Leases).AcquireAsync(Flow, "cli", WhenBusy.Refuse, CancellationToken.None);

        Assert.Equal("cli", (await Leases.HolderAsync(Flow.Id, DateTimeOffset.UtcNow, CancellationToken.None))?.Trigger);
    }

    [Fact]
    public async Task ALeaseOfAnotherHost_HoldsUntilItExpires()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.True(await Leases.TryAcquireAsync(Flow.Id, "elsewhere/1/1/x", "api", now, now.AddHours(1), null, CancellationToken.None));
        await Assert.ThrowsAsync<ConflictException>(() => new FlowLocks(Leases).AcquireAsync(Flow, "cli", WhenBusy.Refuse, CancellationToken.None));

        Assert.True(await Leases.RenewAsync(Flow.Id, "elsewhere/1/1/x", now.AddSeconds(-1), CancellationToken.None));
        await using var lease = await new FlowLocks(Leases).AcquireAsync(Flow, "cli", WhenBusy.Refuse, CancellationToken.None);
    }

    [Fact]
    public async Task TwoTakersAtOnce_OnlyOneGetsTheLease()
    {
        var now = DateTimeOffset.UtcNow;
        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Leases.TryAcquireAsync(Flow.Id, $"h/{i}/0/x", "api", now, now.AddMinutes(1), null, CancellationToken.None))));
        Assert.Single(taken, t => t);
    }
}
