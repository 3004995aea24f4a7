namespace Marquee.Core.Storage;

/// <summary>The store as a whole: start-up, health and the numbers behind /metrics.</summary>
public interface IDatabase
{
    /// <summary>Gets the engine name, for example <c>sqlite</c>.</summary>
    string Engine { get; }

    /// <summary>Gets a human description of where the data lives (a file path, a host), never including a password.</summary>
    string Location { get; }

    /// <summary>Creates the store if needed and applies pending migrations; returns the versions applied now.</summary>
    Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Checks the store answers a query; throws <see cref="StoreException"/> when it does not.</summary>
    Task CheckAsync(CancellationToken cancellationToken);

    Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken);
}
