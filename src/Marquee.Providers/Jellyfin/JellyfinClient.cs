using Marquee.Providers.Http;

namespace Marquee.Providers.Jellyfin;

/// <summary>Typed access to one Jellyfin or Emby server.</summary>
public sealed class JellyfinClient(HttpClient http, JellyfinSettings settings, string provider)
{
    public const string HttpClientName = "jellyfin";

    public async Task CheckServerAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Url, "System/Info"));
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"MediaBrowser Client=\"Marquee\", Device=\"Marquee\", DeviceId=\"marquee\", Version=\"1.0\", Token=\"{settings.ApiKey}\"");
        }

        using var response = await ProviderHttp.SendAsync(http, request, provider, cancellationToken);
    }
}
