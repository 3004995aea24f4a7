using System.Globalization;
using System.Text;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Seerr;

/// <summary>A fake Overseerr, Jellyseerr or Seerr on one loopback listener, with the <c>/_sim</c> control API.</summary>
public sealed class SeerrSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SeerrSimulator(WebApplication app, SeerrState state, SeerrWebhooks webhooks, SimHarness harness, Uri baseUri)
    {
        _app = app;
        State = state;
        Webhooks = webhooks;
        Harness = harness;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public SeerrState State { get; }

    public SeerrWebhooks Webhooks { get; }

    public SimHarness Harness { get; }

    public string ApiKey => State.Options.ApiKey;

    public static async Task<SeerrSimulator> StartAsync(SeerrSimulatorOptions options, CancellationToken ct, ILoggerFactory? loggerFactory = null)
    {
        if (!SeerrFlavor.IsKnown(options.Flavor))
        {
            throw new ArgumentException($"unknown flavour '{options.Flavor}' (use {SeerrFlavor.Seerr}, {SeerrFlavor.Jellyseerr} or {SeerrFlavor.Overseerr})", nameof(options));
        }

        var state = new SeerrState(options, new SimClock(start: options.ClockStart));
        var harness = new SimHarness(options.Seed, options.LatencyMs, options.FaultRate);
        SeerrWebhooks? webhooks = null;
        var (app, address) = await SimWebHost.StartAsync(
            options.Host,
            options.Port,
            harness,
            (app, _) =>
            {
                webhooks = new SeerrWebhooks(state, app.Services.GetRequiredService<IHttpClientFactory>());
                app.MapSeerr(state);
                app.MapSeerrControl(state, webhooks, harness);
            },
            ct,
            loggerFactory,
            services => services.AddHttpClient("seerr-webhooks").ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false }));
        return new SeerrSimulator(app, state, webhooks!, harness, address);
    }

    /// <summary>The text <c>marquee sim seerr</c> prints.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Seerr simulator ({State.Options.Flavor}, version {State.Version}, {State.Users().Count} users, {State.Requests().Count} requests)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  URL          {BaseUri}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  API key      {ApiKey}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Control API  {new Uri(BaseUri, "/_sim/")}");
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Webhooks.DisposeAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
