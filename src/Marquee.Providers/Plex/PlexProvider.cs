using Marquee.Core.Providers;
using Marquee.Providers.Http;

namespace Marquee.Providers.Plex;

public sealed class PlexProvider(PlexClient client) : IProvider
{
    public async Task<IReadOnlyList<FieldProblem>> TestAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.CheckServerAsync(cancellationToken);
            return [];
        }
        catch (ProviderException ex)
        {
            return ProviderHttp.TestProblems(ex, "url", "token");
        }
    }
}
