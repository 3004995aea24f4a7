using System.Globalization;
using System.Text;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Ntfy;

/// <summary>A fake ntfy server that accepts publishes on one loopback listener, with the <c>/_sim</c> control API.</summary>
public sealed class NtfySimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NtfySimulator(WebApplication app, NtfyState state, SimHarness harness, Uri baseUri)
    {
        _app = app;
        State = state;
        Harness = harness;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public NtfyState State { get; }

    public SimHarness Harness { get; }

    public static async Task<NtfySimulator> StartAsync(NtfySimulatorOptions options, CancellationToken ct, ILoggerFactory? loggerFactory = null)
    {
        var state = new NtfyState(options, TimeProvider.System);
        var harness = new SimHarness(options.Seed, options.LatencyMs, options.FaultRate);

        var (app, address) = await SimWebHost.StartAsync(
            options.Host,
            options.Port,
            harness,
            (web, bound) =>
            {
                web.MapNtfy(state);
                web.MapNtfyControl(state, harness);
            },
            ct,
            loggerFactory);
        return new NtfySimulator(app, state, harness, address);
    }

    /// <summary>A description for a console: the server URL, whether it needs auth and the control API.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine("ntfy simulator");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Server       {BaseUri}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Auth         {(State.AuthRequired ? "required" : "open")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Messages     {new Uri(BaseUri, "/_sim/messages")}");
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
