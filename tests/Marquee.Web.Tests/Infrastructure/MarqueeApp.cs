using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Hosting;
using Marquee.Hosting.Security;
using Marquee.TestKit;
using Marquee.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Web.Tests.Infrastructure;

/// <summary>A real Marquee server on Kestrel, 127.0.0.1 port 0, with its own data folder and every log line captured.</summary>
public sealed class MarqueeApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempFolder _folder;

    private MarqueeApp(WebApplication app, TempFolder folder, LogCapture logs, Uri address)
    {
        _app = app;
        _folder = folder;
        Logs = logs;
        Address = address;
        ApiKey = app.Services.GetRequiredService<ApiKey>().Value;
        Client = new HttpClient { BaseAddress = address };
        Client.DefaultRequestHeaders.Add(ApiGuard.HeaderName, ApiKey);
        Anonymous = new HttpClient { BaseAddress = address };
    }

    /// <summary>Gets a client that sends the API key (X-Api-Key), as a configured caller does.</summary>
    public HttpClient Client { get; }

    /// <summary>Gets a client without the API key: a stranger on the network, or a page in a browser.</summary>
    public HttpClient Anonymous { get; }

    public string ApiKey { get; }

    public Uri Address { get; }

    public LogCapture Logs { get; }

    public string DataFolder => _folder.Path;

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Configuration added after the defaults.</param>
    /// <param name="services">Adds services before the host is built (for example a provider that exists only in the tests).</param>
    public static async Task<MarqueeApp> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var folder = new TempFolder();
        var logs = new LogCapture();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Marquee:DataFolder"] = folder.Path,
            ["Marquee:Server:Urls"] = "http://127.0.0.1:0",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.AddMarquee();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseMarquee();
        await app.Services.GetRequiredService<MarqueeStartup>().InitializeAsync(CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MarqueeApp(app, folder, logs, new Uri(address));
    }

    public async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.False(string.IsNullOrEmpty(text), $"{(int)response.StatusCode} with an empty body");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) => Client.PostAsJsonAsync(path, body);

    public Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType = "application/json") =>
        Client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, contentType));

    public Task<HttpResponseMessage> PutRawAsync(string path, string body, string contentType = "application/json") =>
        Client.PutAsync(path, new StringContent(body, System.Text.Encoding.UTF8, contentType));

    /// <summary>Creates a Plex connection through the API and returns its id.</summary>
    public async Task<long> CreatePlexAsync(string name, string token = "plex-token-1", string url = "http://127.0.0.1:9")
    {
        var response = await PostJsonAsync("/api/connections", new { name, kind = "plex", settings = new { url, token } });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetInt64();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
