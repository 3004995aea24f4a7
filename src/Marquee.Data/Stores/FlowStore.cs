using System.Data.Common;
using System.Text.Json;
using Marquee.Core.Flows;
using Marquee.Core.Validation;

namespace Marquee.Data.Stores;

public sealed class FlowStore(IDatabaseProvider provider) : StoreBase(provider), IFlowStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Select =
        """
        SELECT f.id, f.name, f.source_connection_id, s.name AS source_connection, f.target_connection_id, t.name AS target_connection,
               f.two_way, f.features, f.mode, f.schedule, f.incremental, f.filters, f.guards, f.enabled, f.created_at, f.updated_at
        FROM flows f
        JOIN connections s ON s.id = f.source_connection_id
        JOIN connections t ON t.id = f.target_connection_id
        """;

    public async Task<IReadOnlyList<Flow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return (await db.QueryAsync<Row>(Command($"{Select} ORDER BY f.name", cancellationToken))).Select(r => r.ToModel()).ToList();
    }

    public async Task<Flow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<Row>(Command($"{Select} WHERE f.id = @id", new { id }, cancellationToken)))?.ToModel();
    }

    public async Task<Flow?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return (await db.QuerySingleOrDefaultAsync<Row>(Command($"{Select} WHERE LOWER(f.name) = LOWER(@name)", new { name }, cancellationToken)))?.ToModel();
    }

    public async Task<Flow?> InsertAsync(FlowDefinition flow, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long? id;
        await using (var db = await OpenAsync(cancellationToken))
        {
            try
            {
                id = await db.QuerySingleOrDefaultAsync<long?>(Command(
                    """
                    INSERT INTO flows (name, source_connection_id, target_connection_id, two_way, features, mode, schedule, incremental, filters, guards, enabled, created_at, updated_at)
                    VALUES (@Name, @SourceConnectionId, @TargetConnectionId, @TwoWay, @Features, @Mode, @Schedule, @Incremental, @Filters, @Guards, @Enabled, @Now, @Now)
                    ON CONFLICT DO NOTHING RETURNING id
                    """,
                    Parameters(flow, now),
                    cancellationToken));
            }
            catch (DbException ex) when (Violation(ex) == ConstraintViolation.ForeignKey)
            {
                throw ConnectionRemoved();
            }
        }

        return id is null ? null : await GetAsync(id.Value, cancellationToken);
    }

    public async Task<bool> UpdateAsync(long id, FlowDefinition flow, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var p = Parameters(flow, now).With("Id", id);
        try
        {
            return await db.ExecuteAsync(Command(
                """
                UPDATE flows SET name = @Name, source_connection_id = @SourceConnectionId, target_connection_id = @TargetConnectionId, two_way = @TwoWay,
                    features = @Features, mode = @Mode, schedule = @Schedule, incremental = @Incremental, filters = @Filters, guards = @Guards, enabled = @Enabled, updated_at = @Now
                WHERE id = @Id
                """,
                p,
                cancellationToken)) > 0;
        }
        catch (DbException ex) when (Violation(ex) == ConstraintViolation.Unique)
        {
            throw new ConflictException("name", $"A flow named '{flow.Name}' already exists.");
        }
        catch (DbException ex) when (Violation(ex) == ConstraintViolation.ForeignKey)
        {
            throw ConnectionRemoved();
        }
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteAsync(Command("DELETE FROM flows WHERE id = @id", new { id }, cancellationToken)) > 0;
    }

    public async Task<IReadOnlyList<string>> NamesUsingConnectionAsync(long connectionId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return (await db.QueryAsync<string>(Command(
            "SELECT name FROM flows WHERE source_connection_id = @connectionId OR target_connection_id = @connectionId ORDER BY name",
            new { connectionId },
            cancellationToken))).ToList();
    }

    private static ConflictException ConnectionRemoved() =>
        new("from", "A connection of the flow ('from' or 'to') was removed meanwhile.");

    private static SqlArguments Parameters(FlowDefinition flow, DateTimeOffset now) => SqlArguments.Of(new
    {
        flow.Name,
        flow.SourceConnectionId,
        flow.TargetConnectionId,
        flow.TwoWay,
        Features = JsonSerializer.Serialize(flow.Features, Json),
        flow.Mode,
        flow.Schedule,
        flow.Incremental,
        Filters = JsonSerializer.Serialize(flow.Filters, Json),
        Guards = JsonSerializer.Serialize(flow.Guards, Json),
        flow.Enabled,
        Now = Ms(now),
    });

    private sealed class Row
    {
        public long Id { get; set; }

        public string Name { get; set; } = string.Empty;

        public long SourceConnectionId { get; set; }

        public string SourceConnection { get; set; } = string.Empty;

        public long TargetConnectionId { get; set; }

        public string TargetConnection { get; set; } = string.Empty;

        public bool TwoWay { get; set; }

        public string Features { get; set; } = "[]";

        public string Mode { get; set; } = string.Empty;

        public string? Schedule { get; set; }

        public string? Incremental { get; set; }

        public string Filters { get; set; } = "{}";

        public string Guards { get; set; } = "{}";

        public bool Enabled { get; set; }

        public long CreatedAt { get; set; }

        public long UpdatedAt { get; set; }

        public Flow ToModel() => new(
            Id,
            Name,
            SourceConnectionId,
            SourceConnection,
            TargetConnectionId,
            TargetConnection,
            TwoWay,
            JsonSerializer.Deserialize<List<string>>(Features, Json) ?? [],
            Mode,
            Schedule,
            JsonSerializer.Deserialize<FlowFilters>(Filters, Json) ?? new FlowFilters(),
            JsonSerializer.Deserialize<FlowGuards>(Guards, Json) ?? new FlowGuards(),
            Enabled,
            Time(CreatedAt),
            Time(UpdatedAt))
        {
            Incremental = Incremental,
        };
    }
}
