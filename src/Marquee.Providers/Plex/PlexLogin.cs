using Marquee.Core.Providers;
using Marquee.Providers.Plex.Models;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Plex;

/// <summary>A login PIN: show <see cref="Code"/> or open <see cref="AuthUrl"/>, then wait for approval.</summary>
public sealed record PlexLoginPin(long Id, string Code, Uri AuthUrl, DateTimeOffset? ExpiresAt, string ClientIdentifier);

/// <summary>A server of the account (PLEX-API.md 2.4) and the first of its connection URLs that answered.</summary>
public sealed record PlexServerChoice(string Name, string MachineIdentifier, string AccessToken, bool Owned, Uri? Url, IReadOnlyList<string> Problems);

/// <summary>The login the Plex apps use: PIN, approval in the browser, then the account's servers from resources.</summary>
public sealed class PlexLogin(IHttpClientFactory factory, IOptions<PlexOptions> options, TimeProvider time)
{
    private readonly PlexOptions _options = options.Value;

    /// <summary>Gets or sets how often the PIN is polled (about once a second, PLEX-API.md 2.2).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public async Task<PlexLoginPin> CreatePinAsync(string clientIdentifier, CancellationToken cancellationToken)
    {
        var pin = await PlexTv(clientIdentifier).PostJsonAsync(PlexHost.PlexTv, "/api/v2/pins", "api/v2/pins?strong=true", null, PlexJson.Default.PlexPin, cancellationToken);
        if (pin.Id == 0 || string.IsNullOrEmpty(pin.Code))
        {
            throw new ProviderException(PlexClient.ProviderName, null, "plex.tv: POST /api/v2/pins answered without a PIN id or code") { Endpoint = "plextv:POST /api/v2/pins" };
        }

        var auth = new Uri($"https://app.plex.tv/auth#?clientID={Uri.EscapeDataString(clientIdentifier)}&code={Uri.EscapeDataString(pin.Code)}&context%5Bdevice%5D%5Bproduct%5D={Uri.EscapeDataString(_options.Product)}");
        return new PlexLoginPin(pin.Id, pin.Code, auth, pin.ExpiresAt, clientIdentifier);
    }

    /// <summary>Polls until the PIN is approved; reports the time waited; fails clearly when it expires or <paramref name="timeout"/> passes.</summary>
    public async Task<string> WaitForTokenAsync(PlexLoginPin pin, TimeSpan timeout, IProgress<TimeSpan>? progress, CancellationToken cancellationToken)
    {
        var client = PlexTv(pin.ClientIdentifier);
        var started = time.GetTimestamp();
        while (true)
        {
            PlexPin current;
            try
            {
                current = await client.GetJsonAsync(PlexHost.PlexTv, "/api/v2/pins/{id}", $"api/v2/pins/{PlexClient.Q(pin.Id)}", null, PlexJson.Default.PlexPin, cancellationToken);
            }
            catch (ProviderException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
            {
                throw new ProviderException(PlexClient.ProviderName, ex.Status, $"The Plex login code {pin.Code} expired before it was approved; run the command again.", ex) { Endpoint = ex.Endpoint };
            }

            if (!string.IsNullOrEmpty(current.AuthToken))
            {
                return current.AuthToken;
            }

            var waited = time.GetElapsedTime(started);
            progress?.Report(waited);
            if (waited >= timeout)
            {
                throw new ProviderException(PlexClient.ProviderName, null, $"The Plex login code {pin.Code} was not approved within {timeout.TotalSeconds:0} s; run the command again (or pass --token).");
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Lists the account's servers and, for each, tests its connection URLs (local first, relay last) and keeps the first that answers.</summary>
    public async Task<IReadOnlyList<PlexServerChoice>> DiscoverServersAsync(string accountToken, string clientIdentifier, CancellationToken cancellationToken)
    {
        var resources = await PlexTv(clientIdentifier).GetJsonAsync(PlexHost.PlexTv, "/api/v2/resources", "api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1", accountToken, PlexJson.Default.ListPlexResource, cancellationToken);
        var result = new List<PlexServerChoice>();
        foreach (var server in resources.Where(r => r.IsServer && !string.IsNullOrEmpty(r.ClientIdentifier)))
        {
            var token = string.IsNullOrEmpty(server.AccessToken) ? accountToken : server.AccessToken;
            var problems = new List<string>();
            Uri? chosen = null;
            var candidates = (server.Connections ?? [])
                .Where(c => Uri.TryCreate(c.Uri, UriKind.Absolute, out _))
                .OrderBy(c => c.Relay)
                .ThenByDescending(c => c.Local)
                .ThenByDescending(c => c.Protocol == "https");
            foreach (var connection in candidates)
            {
                var url = new Uri(connection.Uri!);
                try
                {
                    var probe = new PlexClient(factory.CreateClient(PlexClient.HttpClientName), url, server.Name ?? "server", clientIdentifier, Probe(), new RequestCounts(), time);
                    var identity = await probe.GetJsonAsync(PlexHost.Server, "/identity", "identity", null, PlexJson.Default.PlexResponse, cancellationToken);
                    if (!string.Equals(identity.MediaContainer?.MachineIdentifier, server.ClientIdentifier, StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add($"{url}: another server answered");
                        continue;
                    }

                    chosen = url;
                    break;
                }
                catch (ProviderException ex)
                {
                    problems.Add(ex.Message);
                }
            }

            result.Add(new PlexServerChoice(server.Name ?? server.ClientIdentifier!, server.ClientIdentifier!, token, server.Owned, chosen, problems));
        }

        return result;
    }

    private PlexOptions Probe() => new()
    {
        PlexTvUrl = _options.PlexTvUrl,
        DiscoverUrl = _options.DiscoverUrl,
        Product = _options.Product,
        RequestTimeout = TimeSpan.FromSeconds(Math.Min(5, _options.RequestTimeout.TotalSeconds)),
        MaxRetries = 0,
    };

    private PlexClient PlexTv(string clientIdentifier) =>
        new(factory.CreateClient(PlexClient.HttpClientName), _options.PlexTvUrl, "plex.tv login", clientIdentifier, _options, new RequestCounts(), time);
}
