using Marquee.Core.Connections;
using Marquee.Core.Providers;

namespace Marquee.Core.Sync;

/// <summary>One side of a flow: a connection with its provider and the request counter of this run.</summary>
public sealed record SyncSide(StoredConnection Connection, IProvider Provider, ProviderCapabilities Capabilities, RequestCounts Requests)
{
    public IWatchStateSource Source => Provider as IWatchStateSource
        ?? throw new InvalidOperationException($"Connection '{Connection.Name}' ({Connection.Kind}) cannot read watch state.");

    public IWatchStateSink Sink => Provider as IWatchStateSink
        ?? throw new InvalidOperationException($"Connection '{Connection.Name}' ({Connection.Kind}) cannot write watch state.");

    public IAccountDirectory Directory => Provider as IAccountDirectory
        ?? throw new InvalidOperationException($"Connection '{Connection.Name}' ({Connection.Kind}) cannot list its accounts.");
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
