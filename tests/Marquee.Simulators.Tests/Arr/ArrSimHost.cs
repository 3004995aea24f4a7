using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marquee.Simulators.Arr;

namespace Marquee.Simulators.Tests.Arr;

/// <summary>A started simulator with a client that sends the API key, the way an application's client does.</summary>
internal sealed class ArrSimHost : IAsyncDisposable
{
    private ArrSimHost(ArrSimulator simulator)
    {
        Simulator = simulator;
        Api = new HttpClient { BaseAddress = simulator.ApplicationUri };
        Api.DefaultRequestHeaders.Add("X-Api-Key", simulator.ApiKey);
        Control = new HttpClient { BaseAddress = simulator.BaseUri };
    }

    public ArrSimulator Simulator { get; }

    /// <summary>Calls under the URL base with the API key.</summary>
    public HttpClient Api { get; }

    /// <summary>Calls the <c>/_sim</c> control API.</summary>
    public HttpClient Control { get; }

    public static async Task<ArrSimHost> StartAsync(ArrFlavor flavor, int movies = 30, int shows = 4, string urlBase = "", int missing = 3) =>
        new(await ArrSimulator.StartAsync(new ArrSimulatorOptions { Flavor = flavor, Movies = movies, Shows = shows, UrlBase = urlBase, Missing = missing, ApplicationUrl = $"https://{flavor.ToString().ToLowerInvariant()}.example.lan" }, CancellationToken.None));

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Api.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, object body) =>
        await Api.SendAsync(new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) });

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Control.Dispose();
        await Simulator.DisposeAsync();
    }
}
