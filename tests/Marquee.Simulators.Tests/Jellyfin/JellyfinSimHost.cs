using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Marquee.Simulators.Jellyfin;

namespace Marquee.Simulators.Tests.Jellyfin;

/// <summary>Starts a small Jellyfin or Emby simulator on loopback port 0 and hands out clients.</summary>
internal sealed class JellyfinSimHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    private readonly List<HttpClient> _clients = [];

    private JellyfinSimHost(JellyfinSimulator sim)
    {
        Sim = sim;
    }

    public JellyfinSimulator Sim { get; }

    public JellyfinControl Control => Sim.Control;

    public static async Task<JellyfinSimHost> StartAsync(JellyfinFlavor flavor = JellyfinFlavor.Jellyfin, JellyfinSimulatorOptions? options = null)
    {
        options ??= new JellyfinSimulatorOptions { Movies = 30, Shows = 6, Users = 3, ClockStart = Start };
        var sim = await JellyfinSimulator.StartAsync(options with { Flavor = flavor }, CancellationToken.None);
        sim.Control.Harness.TimeoutHold = TimeSpan.FromSeconds(5);
        return new JellyfinSimHost(sim);
    }

    public static string AuthHeader(string? token) =>
        "MediaBrowser Client=\"tests\", Device=\"xunit\", DeviceId=\"d1\", Version=\"1.0\"" + (token is null ? string.Empty : $", Token=\"{token}\"");

    /// <summary>A client sending <c>Authorization: MediaBrowser …</c> with <paramref name="token"/> (none when null).</summary>
    public HttpClient Client(string? token)
    {
        var client = Bare();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", AuthHeader(token));
        return client;
    }

    public HttpClient Bare()
    {
        var client = new HttpClient { BaseAddress = Sim.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _clients.Add(client);
        return client;
    }

    public HttpClient ApiKeyClient() => Client(Sim.ApiKey);

    public async Task<string> LoginAsync(string user, string password)
    {
        var response = await PostJsonAsync(Client(null), "/Users/AuthenticateByName", $"{{\"Username\":\"{user}\",\"Pw\":\"{password}\"}}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("AccessToken").GetString()!;
    }

    public static async Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    public static async Task<(int Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        var (status, body) = await SendAsync(client, HttpMethod.Get, path);
        Assert.True(status == 200, $"GET {path}: {status} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Sim.DisposeAsync();
    }
}
