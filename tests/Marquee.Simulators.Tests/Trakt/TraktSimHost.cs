using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Simulators.Trakt;

namespace Marquee.Simulators.Tests.Trakt;

/// <summary>Starts a small Trakt simulator on loopback port 0 and hands out clients with Trakt's headers.</summary>
internal sealed class TraktSimHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-05-01T20:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly List<HttpClient> _clients = [];

    private TraktSimHost(TraktSimulator sim)
    {
        Sim = sim;
    }

    public TraktSimulator Sim { get; }

    public TraktControl Control => Sim.Control;

    /// <summary>Starts with limits off unless the options turn them on, so a test meets only the limit it is about.</summary>
    public static async Task<TraktSimHost> StartAsync(Func<TraktSimulatorOptions, TraktSimulatorOptions>? configure = null)
    {
        var options = new TraktSimulatorOptions { Movies = 40, Shows = 6, ClockStart = Start, PollIntervalSeconds = 0, PostLimit = 0, GetLimit = 0 };
        var sim = await TraktSimulator.StartAsync(configure?.Invoke(options) ?? options, CancellationToken.None);
        return new TraktSimHost(sim);
    }

    /// <summary>A client with the app headers and, for an account, a fresh access token.</summary>
    public HttpClient Client(string? account = "anna")
    {
        var client = new HttpClient { BaseAddress = Sim.BaseUri };
        client.DefaultRequestHeaders.Add("trakt-api-key", Sim.ClientId);
        client.DefaultRequestHeaders.Add("trakt-api-version", "2");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("MarqueeTests/1.0");
        if (account is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Control.Issue(account).AccessToken);
        }

        _clients.Add(client);
        return client;
    }

    public static StringContent Json(object body) =>
        new(body is string s ? s : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public TraktMedia Movie(int index) => Sim.State.Catalog.Movies.ElementAt(index);

    public TraktMedia Show(int index) => Sim.State.Catalog.Shows.ElementAt(index);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Sim.DisposeAsync();
    }
}
