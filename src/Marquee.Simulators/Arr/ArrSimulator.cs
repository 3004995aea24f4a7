using System.Globalization;
using System.Text;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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

        ArrControl? control = null;
        var (app, address) = await SimWebHost.StartAsync(
            options.Host,
            options.Port,
            harness,
            (app, _) =>
            {
                var webhooks = new ArrWebhooks(state, app.Services.GetRequiredService<IHttpClientFactory>());
                app.MapArr(state, webhooks);
                control = new ArrControl(state, harness, webhooks);
                app.MapControl(control);
            },
            ct,
            loggerFactory,
            services => services.AddHttpClient("arr-webhooks").ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false }));
        return new ArrSimulator(app, control!, address);
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
