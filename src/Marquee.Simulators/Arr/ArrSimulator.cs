using System.Globalization;
using System.Net;
using System.Text;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Arr;

/// <summary>A fake Radarr or Sonarr on one loopback listener, with the <c>/_sim</c> control API.</summary>
public sealed class ArrSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ArrSimulator(WebApplication app, ArrControl control, Uri baseUri)
    {
        _app = app;
        Control = control;
        BaseUri = baseUri;
    }

    /// <summary>The listener's root; the application is served under <see cref="ApplicationUri"/> (the URL base).</summary>
    public Uri BaseUri { get; }

    /// <summary>The URL a client is given: the root plus the URL base.</summary>
    public Uri ApplicationUri => new(BaseUri, State.Options.UrlBase.Trim('/') is { Length: > 0 } urlBase ? urlBase + "/" : string.Empty);

    public ArrControl Control { get; }

    public ArrState State => Control.State;

    public string ApiKey => State.Options.ApiKey;

    public static async Task<ArrSimulator> StartAsync(ArrSimulatorOptions options, CancellationToken ct, ILoggerFactory? loggerFactory = null)
    {
        var urlBase = options.UrlBase.Trim().TrimEnd('/');
        if (urlBase.Length > 0 && !urlBase.StartsWith('/'))
        {
            urlBase = "/" + urlBase;
        }

        options = options with { UrlBase = urlBase };
        var clock = new SimClock(start: options.ClockStart);
        var state = new ArrState(options, clock);
        var harness = new SimHarness(options.Seed, options.LatencyMs, options.FaultRate);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.Services.AddHttpClient("arr-webhooks").ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Parse(options.Host), options.Port));
        var app = builder.Build();
        app.UseRouting();
        harness.Use(app, "/_sim");
        var webhooks = new ArrWebhooks(state, app.Services.GetRequiredService<IHttpClientFactory>());
        app.MapArr(state, webhooks);
        var control = new ArrControl(state, harness, webhooks);
        app.MapControl(control);
        await app.StartAsync(ct);
        var raw = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ArrSimulator(app, control, new Uri(raw.EndsWith('/') ? raw : raw + "/"));
    }

    /// <summary>The text <c>marquee sim radarr|sonarr</c> prints: the URL, the API key and the library's size.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var size = State.IsRadarr ? $"{State.Movies().Count} movies" : $"{State.Series().Count} series, {State.Episodes(_ => true).Count} episodes";
        text.AppendLine(CultureInfo.InvariantCulture, $"{State.AppName} simulator (seed {State.Options.Seed}, version {State.Version}, {size}; {State.Options.Missing} not on Plex)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  URL          {ApplicationUri}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  API key      {ApiKey}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Instance     {State.InstanceName}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Control API  {new Uri(BaseUri, "/_sim/")}");
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Control.Webhooks.DisposeAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
