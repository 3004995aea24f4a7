using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml.Linq;
using Marquee.Simulators.Plex;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>Starts a small simulator on loopback port 0 and hands out clients per account.</summary>
internal sealed class SimHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    private readonly List<HttpClient> _clients = [];

    private SimHost(PlexSimulator sim)
    {
        Sim = sim;
    }

    public PlexSimulator Sim { get; }

    public SimControl Control => Sim.Control;

    public SimAccount Owner => Sim.Owner;

    public SimAccount Home => Sim.Accounts.First(a => a.Kind == SimAccountKind.Home);

    public SimAccount Friend => Sim.Accounts.First(a => a.Kind == SimAccountKind.Friend);

    public static async Task<SimHost> StartAsync(PlexSimulatorOptions? options = null)
    {
        options ??= new PlexSimulatorOptions { Movies = 40, Shows = 6, HomeUsers = 2, Friends = 1, ClockStart = Start };
        var sim = await PlexSimulator.StartAsync(options, CancellationToken.None);
        return new SimHost(sim);
    }

    /// <summary>A PMS client; <paramref name="token"/> null sends no token.</summary>
    public HttpClient Pms(string? token, bool json = true) => Client(Sim.BaseUri, token, json);

    public HttpClient PlexTv(string? token, bool json = true) => Client(Sim.PlexTvUri, token, json);

    public HttpClient Discover(string? token) => Client(Sim.DiscoverUri, token, true);

    public HttpClient Metadata(string? token) => Client(Sim.MetadataUri, token, true);

    public HttpClient Client(Uri baseUri, string? token, bool json)
    {
        var client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Add("X-Plex-Token", token);
        }

        client.DefaultRequestHeaders.Add("X-Plex-Client-Identifier", "test-client");
        client.DefaultRequestHeaders.Add("X-Plex-Product", "Marquee Tests");
        if (json)
        {
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }

        _clients.Add(client);
        return client;
    }

    public static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> ContainerAsync(HttpClient client, string path) =>
        (await JsonAsync(client, path)).GetProperty("MediaContainer");

    public static async Task<XElement> XmlAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return XDocument.Parse(body).Root!;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        return await client.SendAsync(request);
    }

    public static IEnumerable<JsonElement> Metadata(JsonElement container) =>
        container.TryGetProperty("Metadata", out var m) ? m.EnumerateArray() : [];

    /// <summary>The item as the account sees it in /library/metadata.</summary>
    public static async Task<JsonElement> ItemAsync(HttpClient client, int ratingKey) =>
        Metadata(await ContainerAsync(client, $"/library/metadata/{ratingKey}")).Single();

    public static long Long(JsonElement item, string field) =>
        item.TryGetProperty(field, out var v) ? (v.ValueKind == JsonValueKind.String ? long.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : v.GetInt64()) : 0;

    public int FirstMovie(int section = 1) => Sim.State.ItemsOfType(section, Marquee.Simulators.Plex.Model.ItemType.Movie)[0].RatingKey;

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Sim.DisposeAsync();
    }
}
