using Marquee.Core.Outbox;
using Marquee.Data.Stores;

namespace Marquee.Data.Tests;

/// <summary>The outbox's lanes and circuit on a real SQLite file: what is due, what a claim returns, what an attempt records.</summary>
public sealed class OutboxLaneTests : StoreTestBase
{
    [Fact]
    public async Task ALaneWaitsBehindItsOlderDelivery_WhileOtherLanesOfTheTargetAreDue()
    {
        var store = new OutboxStore(Provider);
        var a1 = await EnqueueAsync(store, "a1", "playback-a");
        await EnqueueAsync(store, "a2", "playback-a");
        var b1 = await EnqueueAsync(store, "b1", "playback-b");

        // a1 failed and waits a minute; the circuit is not open (another lane answered since).
        Assert.NotNull(await store.ClaimAsync(a1.Id, Now, CancellationToken.None));
        await store.CompleteAttemptAsync(a1, new OutboxAttempt(OutboxStatus.Pending, 500, "boom", Now.AddMinutes(1), false, null, Now), CancellationToken.None);

        var due = await store.ListDueAsync(Now.AddSeconds(1), 50, 100, CancellationToken.None);

        // a2 must not overtake a1; playback b's lane goes on.
        Assert.Equal([b1.Id], due.Select(m => m.Id));
        Assert.Equal("playback-b", due[0].OrderKey);
        Assert.Equal(["a1", "a2", "b1"], (await store.ListDueAsync(Now.AddMinutes(2), 50, 100, CancellationToken.None)).Select(m => m.IdempotencyKey));
    }

    [Fact]
    public async Task AClaim_ReturnsThePayloadOnce()
    {
        var store = new OutboxStore(Provider);
        var message = await EnqueueAsync(store, "k", "lane");

        Assert.Equal("""{"n":"k"}""", await store.ClaimAsync(message.Id, Now, CancellationToken.None));
        Assert.Null(await store.ClaimAsync(message.Id, Now, CancellationToken.None));
        Assert.Equal(OutboxStatus.Sending, (await store.GetAsync(message.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task ASuccessAnsweredAfterAnotherLanes429_DoesNotEndTheTargetsWait()
    {
        var store = new OutboxStore(Provider);
        var limited = await EnqueueAsync(store, "a", "playback-a");
        var passed = await EnqueueAsync(store, "b", "playback-b");
        await EnqueueAsync(store, "c", "playback-c");

        // Two lanes under way; a's answer is a 429 asking for 30 s, then b's answer (sent before the 429) is a success.
        var until = Now.AddSeconds(30);
        await store.CompleteAttemptAsync(limited, new OutboxAttempt(OutboxStatus.Pending, 429, "rate limited", until, true, until, Now), CancellationToken.None);
        await store.CompleteAttemptAsync(passed, new OutboxAttempt(OutboxStatus.Delivered, 204, null, Now, false, null, Now.AddMilliseconds(100)), CancellationToken.None);

        // The whole target still waits; after the wait, a and c are due.
        Assert.Empty(await store.ListDueAsync(Now.AddSeconds(1), 50, 100, CancellationToken.None));
        var target = Assert.Single((await store.CountAsync(Now.AddSeconds(1), CancellationToken.None)).Targets);
        Assert.Equal(until, target.BlockedUntil);
        Assert.Equal(["a", "c"], (await store.ListDueAsync(until, 50, 100, CancellationToken.None)).Select(m => m.IdempotencyKey));

        // A success after the wait closes the circuit.
        await store.CompleteAttemptAsync(limited, new OutboxAttempt(OutboxStatus.Delivered, 204, null, until, false, null, until.AddSeconds(1)), CancellationToken.None);
        Assert.Empty((await store.CountAsync(until.AddSeconds(1), CancellationToken.None)).Targets);
    }

    private static async Task<OutboxMessage> EnqueueAsync(OutboxStore store, string key, string lane) =>
        (await store.EnqueueAsync(new OutboxEntry("notify", key, "notify:1", key, $$"""{"n":"{{key}}"}""", null, lane), Now, CancellationToken.None)).Message;
}
