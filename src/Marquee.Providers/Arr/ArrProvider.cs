using Marquee.Core.Providers;
using Marquee.Providers.Arr.Models;
using Marquee.Providers.Http;

namespace Marquee.Providers.Arr;

/// <summary>A Radarr or Sonarr connection. The connection test reads the system status and checks it is the application the kind names.</summary>
public abstract class ArrProvider(ArrClient client, TimeSpan testTimeout, TimeProvider time) : IProvider
{
    protected ArrClient Client => client;

    public async Task<IReadOnlyList<FieldProblem>> TestAsync(CancellationToken cancellationToken)
    {
        try
        {
            var status = await ProviderHttpClient.WithinAsync(testTimeout, time, () => client.GetAsync("/api/v3/system/status", "system/status", ArrJson.Default.ArrSystemStatus, cancellationToken));
            if (string.IsNullOrEmpty(status.AppName) || string.IsNullOrEmpty(status.Version))
            {
                throw client.Unexpected("/api/v3/system/status", $"the answer is JSON but not {client.Product}'s system status (no appName, no version)");
            }

            return string.Equals(status.AppName, client.Product, StringComparison.OrdinalIgnoreCase)
                ? []
                : [new FieldProblem("url", $"this URL is {status.AppName} '{status.InstanceName}', not {client.Product}: add it as a '{status.AppName.ToLowerInvariant()}' connection, or give the {client.Product} URL.")];
        }
        catch (ProviderException ex)
        {
            return ProviderHttp.TestProblems(ex, "url", "apiKey", client.Product);
        }
    }
}

/// <summary>A Radarr connection (movies).</summary>
public sealed class RadarrProvider(ArrClient client, TimeSpan testTimeout, TimeProvider time) : ArrProvider(client, testTimeout, time);

/// <summary>A Sonarr connection (series and episodes).</summary>
public sealed class SonarrProvider(ArrClient client, TimeSpan testTimeout, TimeProvider time) : ArrProvider(client, testTimeout, time);
