namespace Marquee.Core.Storage;

/// <summary>Makes several store calls one change: all of them are kept, or none.</summary>
public interface IStoreTransactions
{
    /// <summary>
    /// Runs <paramref name="work"/> with every store call it makes (on its own async flow, one after another) inside one
    /// transaction; commits when it completes and rolls everything back when it throws.
    /// </summary>
    Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken);
}
