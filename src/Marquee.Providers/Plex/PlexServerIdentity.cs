using Marquee.Core.Live;
using Marquee.Core.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Providers.Plex;

/// <summary>A Plex connection's server: the machine identifier in its settings, or the one the server's <c>/identity</c> answers.</summary>
internal sealed class PlexServerIdentity(IServiceScopeFactory scopes) : IServerIdentity
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public string Kind => PlexClient.ProviderName;

    public async Task<string?> ServerIdAsync(long connectionId, string connectionName, ProviderSettings settings, CancellationToken cancellationToken)
    {
        if (settings is not PlexSettings plex)
        {
            return null;
        }

        try
        {
            return await IdentifyAsync(connectionId, connectionName, plex, cancellationToken);
        }
        catch (ProviderException)
        {
            return null;
        }
    }

    /// <summary>Returns the machine identifier, asking the server within 10 s when the settings have none; throws when it does not answer.</summary>
    internal async Task<string> IdentifyAsync(long connectionId, string connectionName, PlexSettings settings, CancellationToken cancellationToken)
    {
        if (settings.MachineIdentifier is { Length: > 0 } known)
        {
            return known;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var provider = services.CreatePlexProvider(settings, new ProviderContext(connectionId, connectionName, services, new RequestCounts()));
        try
        {
            return await provider.MachineIdAsync(timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(PlexClient.ProviderName, null, $"Plex server '{connectionName}': GET /identity: no answer within {Timeout.TotalSeconds} s", ex) { Endpoint = "GET /identity" };
        }
    }
}
