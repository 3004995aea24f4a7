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

        if (plex.MachineIdentifier is { Length: > 0 } known)
        {
            return known;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var provider = services.CreatePlexProvider(plex, new ProviderContext(connectionId, connectionName, services, new RequestCounts()));
            return await provider.MachineIdAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is ProviderException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
