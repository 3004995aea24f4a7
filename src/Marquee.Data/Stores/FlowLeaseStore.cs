using Marquee.Core.Sync;

namespace Marquee.Data.Stores;

public sealed class FlowLeaseStore(IDatabaseProvider provider) : StoreBase(provider), IFlowLeaseStore
{
    public async Task<bool> TryAcquireAsync(long flowId, string owner, string trigger, DateTimeOffset now, DateTimeOffset expiresAt, string? takeOverFrom, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);

        // Taken, or taken over from an expired holder, in one statement: two processes cannot both succeed.
        return await db.ExecuteAsync(Command(
            """
            INSERT INTO flow_leases (flow_id, owner, trigger, acquired_at, expires_at) VALUES (@flowId, @owner, @trigger, @now, @expires)
            ON CONFLICT (flow_id) DO UPDATE SET owner = excluded.owner, trigger = excluded.trigger, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
            WHERE flow_leases.expires_at <= @now OR flow_leases.owner = @takeOverFrom
            """,
            new { flowId, owner, trigger, now = Ms(now), expires = Ms(expiresAt), takeOverFrom },
            cancellationToken)) == 1;
    }

    public async Task<bool> RenewAsync(long flowId, string owner, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command(
            "UPDATE flow_leases SET expires_at = @expires WHERE flow_id = @flowId AND owner = @owner",
            new { flowId, owner, expires = Ms(expiresAt) },
            cancellationToken)) == 1;
    }

    public async Task ReleaseAsync(long flowId, string owner, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(Command("DELETE FROM flow_leases WHERE flow_id = @flowId AND owner = @owner", new { flowId, owner }, cancellationToken));
    }

    public async Task<FlowLeaseHolder?> HolderAsync(long flowId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.QuerySingleOrDefaultAsync<FlowLeaseHolder>(Command("SELECT owner, trigger FROM flow_leases WHERE flow_id = @flowId AND expires_at > @now", new { flowId, now = Ms(now) }, cancellationToken));
    }
}
