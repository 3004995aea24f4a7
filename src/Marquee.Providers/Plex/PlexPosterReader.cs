using System.Globalization;
using Marquee.Core.Connections;
using Marquee.Core.Live;
using Marquee.Core.Notifications;
using Marquee.Core.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Providers.Plex;

/// <summary>
/// Reads a poster from the Plex server that has it, through the photo transcoder
/// (<c>/photo/:/transcode?url=…&amp;width=300&amp;height=450</c>, official spec <c>imageTranscode</c>), with the token of
/// the connection pointing at that server, in a header. Only a path on that server is read, so the token goes nowhere
/// else; the answer is bounded by <see cref="IPosterReader.MaxBytes"/>, <see cref="IPosterReader.Timeout"/> and
/// <see cref="IPosterReader.ContentTypes"/>, sent once.
/// </summary>
internal sealed class PlexPosterReader(
    IServiceScopeFactory scopes,
    IHttpClientFactory http,
    ServerDirectory servers,
    IEnumerable<IServerIdentity> identities,
    TimeProvider clock) : IPosterReader
{
    /// <summary>The size asked of the transcoder: a poster's 2:3, ample for Discord's thumbnail.</summary>
    public const string Size = "width=300&height=450&minSize=1&upscale=1";

    public string Source => PlexClient.ProviderName;

    public async Task<PosterRead> ReadAsync(NotificationPoster poster, CancellationToken cancellationToken)
    {
        if (!PlexPoster.IsServerPath(poster.Path))
        {
            return PosterRead.Failed("the poster is not a path on the Plex server");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(IPosterReader.Timeout + TimeSpan.FromSeconds(1));
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
            var identity = identities.First(i => i.Kind == PlexClient.ProviderName);
            if (await servers.ConnectionOfAsync(identity, connections, poster.ServerId, timeout.Token) is not { } id)
            {
                return PosterRead.Failed($"no Plex connection points at server {poster.ServerId}");
            }

            var key = id.ToString(CultureInfo.InvariantCulture);
            var view = await connections.GetAsync(key, timeout.Token);
            if (await connections.GetSettingsAsync(key, timeout.Token) is not PlexSettings settings)
            {
                return PosterRead.Failed($"connection {view.Name} is not a Plex connection");
            }

            var client = PlexClient.Live(http, settings, view.Name, new PlexOptions { RequestTimeout = IPosterReader.Timeout, MaxRetries = 0 }, clock, 2, IPosterReader.MaxBytes);
            var (data, type) = await client.GetImageAsync("/photo/:/transcode", $"/photo/:/transcode?url={Uri.EscapeDataString(poster.Path)}&{Size}", settings.Token, timeout.Token);
            if (type is null || !IPosterReader.ContentTypes.Contains(type))
            {
                return PosterRead.Failed($"Plex server '{view.Name}' answered the poster with {type ?? "no content type"}, not a JPEG, PNG or WebP image");
            }

            return data.Length == 0 ? PosterRead.Failed($"Plex server '{view.Name}' answered the poster with no bytes") : new PosterRead(data, type, null);
        }
        catch (ProviderException ex) when (ex.Failure == ProviderFailure.TooLarge)
        {
            return PosterRead.Failed($"{ex.Endpoint}: the poster is too large (over {IPosterReader.MaxBytes / (1024 * 1024)} MiB)");
        }
        catch (ProviderException ex)
        {
            return PosterRead.Failed(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PosterRead.Failed($"the Plex server did not give the poster within {IPosterReader.Timeout.TotalSeconds:0} s");
        }
    }
}
