using Marquee.Core.Connections;
using Marquee.Core.Providers;

namespace Marquee.Core.Sync;

/// <summary>
/// One side of a flow: a connection with its provider and the request counter of this run. Each capability is
/// asked of <see cref="Capabilities"/> (derived from the provider type, checked by a test) before it is used.
/// </summary>
public sealed record SyncSide(StoredConnection Connection, IProvider Provider, ProviderCapabilities Capabilities, RequestCounts Requests)
{
    public IWatchStateSource Source => Require<IWatchStateSource>(Capabilities.CanReadWatchState, "read watch state");

    public IWatchStateSink Sink => Require<IWatchStateSink>(Capabilities.CanWriteWatchState, "write watch state");

    public IRatingSink Ratings => Require<IRatingSink>(Capabilities.CanRate, "write ratings");

    public IProgressSink Progress => Require<IProgressSink>(Capabilities.CanWriteProgress, "write resume points");

    public IAccountDirectory Directory => Require<IAccountDirectory>(Capabilities.CanListAccounts, "list its accounts");

    private T Require<T>(bool declared, string what)
        where T : class =>
        declared && Provider is T capability
            ? capability
            : throw new InvalidOperationException($"Connection '{Connection.Name}' ({Connection.Kind}) cannot {what}.");
}

/// <summary>Creates providers for connections, with secrets decrypted, for the sync engine only.</summary>
public sealed class ProviderFactory(ConnectionService connections, ProviderRegistry registry, IServiceProvider services)
{
    public async Task<SyncSide> CreateAsync(long connectionId, CancellationToken cancellationToken)
    {
        var id = connectionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var connection = await connections.FindAsync(id, cancellationToken);
        if (!registry.TryGet(connection.Kind, out var descriptor))
        {
            throw new InvalidOperationException($"Connection kind '{connection.Kind}' is not known to this version of Marquee.");
        }

        var settings = await connections.GetSettingsAsync(id, cancellationToken);
        var requests = new RequestCounts();
        var provider = descriptor.Create(settings, new ProviderContext(connection.Id, connection.Name, services, requests));
        return new SyncSide(connection, provider, descriptor.Capabilities, requests);
    }
}
