using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Core.Outbox;

/// <summary>
/// Delivers the outbox in <c>marquee serve</c>. A target's deliveries go in lanes by their order key: one lane's in
/// order, one at a time (a notification's lane is its playback, so play, pause and stop keep their order); up to
/// <see cref="OutboxOptions.LanesPerTarget"/> lanes of a target and <see cref="OutboxOptions.Concurrency"/> targets at
/// once. Each delivery is claimed before it is sent, so no two lanes send the same one. A failure backs off the delivery
/// and opens the target's circuit until the same time, so every lane of the target waits (a Discord 429 holds the whole
/// webhook) while other targets keep flowing. The answer is recorded before anything else is done
/// with it; a delivery whose answer was recorded is never sent again. What cannot be closed: a process killed after
/// the target answered and before that record is committed sends the delivery again after the restart, with the same
/// <c>Idempotency-Key</c>, so a target that honours the key applies it once.
/// </summary>
public sealed partial class OutboxDispatcher(
    IOutboxStore store,
    OutboxService service,
    OutboxSignal signal,
    Notifications.MarqueeEvents events,
    IOptionsMonitor<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly OutboxWrites _writes = new(store, clock);

    /// <summary>Delivers every due delivery now; returns how many attempts were made. Used by the loop and by tests.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (!cancellationToken.IsCancellationRequested && !options.CurrentValue.Paused)
        {
            var o = options.CurrentValue;
            var due = await store.ListDueAsync(clock.GetUtcNow(), Math.Max(1, o.BatchSize), Math.Max(1, o.BatchSize) * Math.Max(1, o.Concurrency) * 4, cancellationToken);
            if (due.Count == 0)
            {
                break;
            }

            using var gate = new SemaphoreSlim(Math.Max(1, o.Concurrency));
            var attempts = await Task.WhenAll(due.GroupBy(m => m.Target, StringComparer.Ordinal).Select(async target =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    return await DeliverTargetAsync([.. target], Math.Max(1, o.LanesPerTarget), cancellationToken);
                }
                finally
                {
                    gate.Release();
                }
            }));
            if (attempts.Sum() == 0)
            {
                break;
            }

            total += attempts.Sum();
        }

        return total;
    }

    /// <summary>Deletes delivered deliveries older than the retention; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var days = options.CurrentValue.RetentionDays;
        return days <= 0 ? 0 : await store.PruneDeliveredAsync(clock.GetUtcNow() - TimeSpan.FromDays(days), cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var released = await RetryStoreAsync(store.ReleaseInterruptedAsync, stoppingToken);
        Log.Started(logger, options.CurrentValue.Paused, released);
        var pruned = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (clock.GetUtcNow() - pruned >= TimeSpan.FromHours(1))
                {
                    await PruneAsync(stoppingToken);
                    pruned = clock.GetUtcNow();
                }

                await DispatchAsync(stoppingToken);
                var poll = TimeSpan.FromSeconds(Math.Max(0.05, options.CurrentValue.PollSeconds));
                if (await store.NextDueAsync(stoppingToken) is { } next && next - clock.GetUtcNow() < poll)
                {
                    poll = next - clock.GetUtcNow() > TimeSpan.FromMilliseconds(20) ? next - clock.GetUtcNow() : TimeSpan.FromMilliseconds(20);
                }

                await signal.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The store is unavailable or something unexpected: wait and try again; the deliveries stay stored.
                Log.LoopFailed(logger, ex);
                if (!await LoopPause.AfterFailureAsync(clock, stoppingToken))
                {
                    break;
                }
            }
        }
    }

    private async Task<int> RetryStoreAsync(Func<CancellationToken, Task<int>> action, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await action(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.LoopFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            }
        }
    }

    // One target's deliveries: its lanes at the same time, each lane oldest first, with at most `lanes` requests to the
    // target under way at once (a slot is held from the send to the answer; the lane then waits for the answer's record
    // without a slot, so other lanes' requests go while records are committed). The head of every lane is claimed in one
    // write before the lanes start; a lane claims what follows its head one at a time, after the head's answer is
    // recorded. The first failure in any lane stops every lane of the target before its next attempt (its circuit is
    // open); attempts already under way finish and are recorded; heads claimed and never attempted are given back.
    private async Task<int> DeliverTargetAsync(IReadOnlyList<OutboxMessage> messages, int lanes, CancellationToken cancellationToken)
    {
        var circuit = new Circuit();
        var byLane = messages.GroupBy(m => m.OrderKey, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var heads = await _writes.ClaimManyAsync([.. byLane.Select(l => l[0].Id)]);
        var attempted = new System.Collections.Concurrent.ConcurrentDictionary<long, bool>();
        try
        {
            using var slots = new SemaphoreSlim(lanes);
            var attempts = await Task.WhenAll(byLane.Select(lane => DeliverLaneAsync(lane, heads, attempted, circuit, slots, cancellationToken)));
            return attempts.Sum();
        }
        finally
        {
            var unused = heads.Keys.Where(id => !attempted.ContainsKey(id)).ToList();
            if (unused.Count > 0)
            {
                await store.ReleaseClaimsAsync(unused, CancellationToken.None);
            }
        }
    }

    private async Task<int> DeliverLaneAsync(
        IReadOnlyList<OutboxMessage> messages,
        IReadOnlyDictionary<long, string> heads,
        System.Collections.Concurrent.ConcurrentDictionary<long, bool> attempted,
        Circuit circuit,
        SemaphoreSlim slots,
        CancellationToken cancellationToken)
    {
        var attempts = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            await slots.WaitAsync(cancellationToken);
            if (circuit.Open || (i == 0 ? heads.GetValueOrDefault(message.Id) : await _writes.ClaimAsync(message.Id)) is not { } payload)
            {
                // Open: the target failed in another lane. Not claimed: another dispatcher has it, and what follows it
                // in the lane must not overtake it.
                slots.Release();
                break;
            }

            attempted[message.Id] = true;
            attempts++;
            var sending = message with { Attempts = message.Attempts + 1, Status = OutboxStatus.Sending };
            if (!await DeliverAsync(sending, payload, slots, cancellationToken))
            {
                circuit.Open = true;
                break;
            }
        }

        return attempts;
    }

    /// <summary>
    /// Makes one attempt, holding one of the target's <paramref name="slots"/> (taken by the caller) until the answer,
    /// and records it; returns false when the target failed (its later deliveries must wait).
    /// </summary>
    private async Task<bool> DeliverAsync(OutboxMessage message, string payload, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        OutboxResult result;
        try
        {
            var handler = service.Handler(message.Kind) ?? throw new InvalidOperationException($"No outbox handler delivers the kind '{message.Kind}'.");
            result = await handler.DeliverAsync(message, service.Unprotect(payload), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the delivery stays "sending" and is pending again at the next start.
            throw;
        }
        catch (Exception ex)
        {
            result = OutboxResult.Retry(ex.Message);
        }
        finally
        {
            slots.Release();
        }

        // The receipt first: nothing else happens between the answer and this commit.
        var attempt = Decide(message, result);
        await _writes.RecordAsync(message, attempt);
        switch (attempt.Status)
        {
            case OutboxStatus.Delivered:
                Log.Delivered(logger, message.Id, message.Kind, message.Target, message.Attempts);
                break;
            case OutboxStatus.Failed:
                Log.DeadLettered(logger, message.Id, message.Kind, message.Target, message.Attempts, attempt.Error ?? "?");
                if (result.Outcome != OutboxOutcome.Dropped)
                {
                    await events.DeadLetteredAsync(message, attempt.Error ?? "?", CancellationToken.None);
                }

                break;
            default:
                Log.WillRetry(logger, message.Id, message.Target, message.Attempts, attempt.Error ?? "?", attempt.NextAttemptAt);
                break;
        }

        return !attempt.TargetFailed;
    }

    private OutboxAttempt Decide(OutboxMessage message, OutboxResult result)
    {
        var o = options.CurrentValue;
        var now = clock.GetUtcNow();
        var reason = Clip(result.Reason ?? "failed");
        switch (result.Outcome)
        {
            case OutboxOutcome.Delivered:
                return new OutboxAttempt(OutboxStatus.Delivered, result.StatusCode, null, message.NextAttemptAt, false, null, now);
            case OutboxOutcome.Dropped:
                return new OutboxAttempt(OutboxStatus.Failed, result.StatusCode, $"dropped: {reason}", message.NextAttemptAt, false, null, now);
            case OutboxOutcome.Rejected:
                // The target answered: it is up, so its circuit closes; this delivery will not pass by trying again.
                return new OutboxAttempt(OutboxStatus.Failed, result.StatusCode, $"refused: {reason}", message.NextAttemptAt, false, null, now);
        }

        var wait = result.RetryAfter is { } asked
            ? OutboxBackoff.AfterRetryAfter(asked, o, Random.Shared.NextDouble())
            : OutboxBackoff.Delay(Math.Max(message.Attempts, message.TargetFailures + 1), o, Random.Shared.NextDouble());
        var blockedUntil = now + wait;
        return message.Attempts >= Math.Max(1, o.MaxAttempts)
            ? new OutboxAttempt(OutboxStatus.Failed, result.StatusCode, Clip($"gave up after {message.Attempts} attempts: {reason}"), message.NextAttemptAt, true, blockedUntil, now)
            : new OutboxAttempt(OutboxStatus.Pending, result.StatusCode, reason, blockedUntil, true, blockedUntil, now);
    }

    private static string Clip(string text) => text.Length <= 500 ? text : text[..500];

    /// <summary>Whether one of a target's lanes failed in this round.</summary>
    private sealed class Circuit
    {
        private volatile bool _open;

        public bool Open
        {
            get => _open;
            set => _open = value;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Outbox dispatcher started (paused: {Paused}; {Released} interrupted deliveries pending again)")]
        public static partial void Started(ILogger logger, bool paused, int released);

        [LoggerMessage(2, LogLevel.Debug, "Outbox delivery {Id} ({Kind} to {Target}) delivered at attempt {Attempt}")]
        public static partial void Delivered(ILogger logger, long id, string kind, string target, int attempt);

        [LoggerMessage(3, LogLevel.Warning, "Outbox delivery {Id} to {Target} failed (attempt {Attempt}): {Error}; next attempt at {Next:O}")]
        public static partial void WillRetry(ILogger logger, long id, string target, int attempt, string error, DateTimeOffset next);

        [LoggerMessage(4, LogLevel.Error, "Outbox delivery {Id} ({Kind} to {Target}) dead-lettered after attempt {Attempt}: {Error}")]
        public static partial void DeadLettered(ILogger logger, long id, string kind, string target, int attempt, string error);

        [LoggerMessage(5, LogLevel.Error, "The outbox dispatcher failed; retrying")]
        public static partial void LoopFailed(ILogger logger, Exception exception);
    }
}
