using System.Globalization;
using System.Net;
using System.Text;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Jellyfin.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Jellyfin;

/// <summary>A fake Jellyfin (or Emby) server on one loopback listener, with the <c>/_sim</c> control API.</summary>
public sealed class JellyfinSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private JellyfinSimulator(WebApplication app, JellyfinControl control, Uri baseUri)
    {
        _app = app;
        Control = control;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public JellyfinControl Control { get; }

    public JellyfinState State => Control.State;

    public IReadOnlyList<JfUser> Users => State.Users;

    public JfUser Admin => State.Users[0];

    public string ApiKey => State.Options.ApiKey;

    public static async Task<JellyfinSimulator> StartAsync(JellyfinSimulatorOptions options, CancellationToken ct, ILoggerFactory? loggerFactory = null)
    {
        var clock = new SimClock(start: options.ClockStart);
        var state = new JellyfinState(options, clock);
        var harness = new SimHarness(options.Seed, options.LatencyMs, options.FaultRate)
        {
            Acknowledge = context => JellyfinEndpoints.AcknowledgeAsync(context, state),
        };
        Uri? address = null;

        var builder = SimWebHost.CreateBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.Services.AddHttpClient();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Parse(options.Host), options.Port));
        var app = builder.Build();
        app.UseRouting();
        harness.Use(app, "/_sim");
        app.MapJellyfin(state, () => address);
        var webhooks = new JellyfinWebhooks(state, app.Services.GetRequiredService<IHttpClientFactory>());
        var control = new JellyfinControl(state, harness, webhooks);
        app.MapControl(control);
        await app.StartAsync(ct);
        var raw = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        address = new Uri(raw.EndsWith('/') ? raw : raw + "/");
        return new JellyfinSimulator(app, control, address);
    }

    /// <summary>The text <c>marquee sim jellyfin|emby</c> prints: the URL, the API key and every user's name, id and password.</summary>
    public string Describe()
    {
        var name = State.IsEmby ? "Emby" : "Jellyfin";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{name} simulator (seed {State.Options.Seed}, version {State.Version}, {State.ItemCount} items)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Server       {BaseUri}  id {State.ServerId}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  API key      {ApiKey}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Legacy auth  {(JellyfinAuth.LegacyAllowed(State) ? "accepted" : "refused (Authorization: MediaBrowser … only)")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Control API  {new Uri(BaseUri, "/_sim/")}");
        text.AppendLine("Users (name, id, password, role):");
        foreach (var user in Users)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {user.Name,-10} {user.Id}  {user.Password,-12} {(user.IsAdministrator ? "admin" : "user")}");
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Control.Webhooks.DisposeAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
