namespace Marquee.Core.Flows;

public interface IFlowStore
{
    Task<IReadOnlyList<Flow>> ListAsync(CancellationToken cancellationToken);

    Task<Flow?> GetAsync(long id, CancellationToken cancellationToken);

    Task<Flow?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Inserts a flow; returns null when the name is taken.</summary>
    Task<Flow?> InsertAsync(FlowDefinition flow, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> UpdateAsync(long id, FlowDefinition flow, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> NamesUsingConnectionAsync(long connectionId, CancellationToken cancellationToken);
}
