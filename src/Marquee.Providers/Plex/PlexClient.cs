using System.Net.Http.Headers;
using Marquee.Providers.Http;

namespace Marquee.Providers.Plex;

/// <summary>Typed access to one Plex Media Server. Asks for JSON explicitly; the token travels in a header, never in a logged URL.</summary>
public sealed class PlexClient(HttpClient http, PlexSettings settings)
{
    public const string HttpClientName = "plex";
    public const string ProviderName = "plex";

    public async Task CheckServerAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Url, "/"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("X-Plex-Token", settings.Token);
        request.Headers.Add("X-Plex-Client-Identifier", settings.ClientIdentifier ?? "marquee");
        request.Headers.Add("X-Plex-Product", "Marquee");
        using var response = await ProviderHttp.SendAsync(http, request, ProviderName, cancellationToken);
    }
}
