using System.Globalization;
using System.Text;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Trakt;

/// <summary>A fake Trakt API on one loopback listener, with the <c>/_sim</c> control API.</summary>
public sealed class TraktSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TraktSimulator(WebApplication app, TraktControl control, Uri baseUri)
    {
        _app = app;
        Control = control;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public TraktControl Control { get; }

    public TraktState State => Control.State;

    public string ClientId => State.Options.ClientId;

    public string ClientSecret => State.Options.ClientSecret;

    public static async Task<TraktSimulator> StartAsync(TraktSimulatorOptions options, CancellationToken ct, ILoggerFactory? loggerFactory = null)
    {
        if (options.Accounts.Count == 0)
        {
            throw new ArgumentException("At least one account is needed.", nameof(options));
        }

        var state = new TraktState(options, new SimClock(start: options.ClockStart), TimeProvider.System);
        var harness = new SimHarness(options.Seed, options.LatencyMs, options.FaultRate);
        var control = new TraktControl(state, harness, new TraktLimits(options, TimeProvider.System));
        var (app, address) = await SimWebHost.StartAsync(
            options.Host,
            options.Port,
            harness,
            (web, _) =>
            {
                web.MapTraktControl(control);
                web.MapTrakt(control);
            },
            ct,
            loggerFactory);
        return new TraktSimulator(app, control, address);
    }

    /// <summary>The text <c>marquee sim trakt</c> prints: the URL, the app's credentials, the accounts and the limits.</summary>
    public string Describe()
    {
        var o = State.Options;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Trakt simulator (seed {o.Seed}, {State.Catalog.Movies.Count()} movies, {State.Catalog.Shows.Count()} shows)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  API          {BaseUri}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Client id    {o.ClientId}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Secret       {o.ClientSecret}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Accounts     {string.Join(", ", State.Accounts.Select(a => a.Name))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Device flow  {(o.AutoApprove is { } auto ? $"approved for {auto} at the second poll" : "approve with POST /_sim/devices/{user_code}/approve")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Limits       {o.PostLimit} write(s) per {o.PostWindowMs} ms, {o.GetLimit} GETs per {o.GetWindowSeconds} s per account");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Control API  {new Uri(BaseUri, "/_sim/")}");
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
