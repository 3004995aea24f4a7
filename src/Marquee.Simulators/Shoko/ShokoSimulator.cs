using System.Globalization;
using System.Text;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Shoko;

/// <summary>A fake Shoko Server (5.x or 6.0) on one loopback listener, with the <c>/_sim</c> control API.</summary>
public sealed class ShokoSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ShokoSimulator(WebApplication app, ShokoControl control, Uri baseUri)
    {
        _app = app;
        Control = control;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public ShokoControl Control { get; }

    public ShokoState State => Control.State;

    public static async Task<ShokoSimulator> StartAsync(ShokoSimulatorOptions options, CancellationToken ct, ILoggerFactory? loggerFactory = null)
    {
        var state = new ShokoState(options, new SimClock(start: options.ClockStart));
        var harness = new SimHarness(options.Seed, options.LatencyMs, options.FaultRate);
        var control = new ShokoControl(state, harness);
        var (app, address) = await SimWebHost.StartAsync(options.Host, options.Port, harness, (web, _) =>
        {
            web.MapShoko(state);
            web.MapControl(control);
        }, ct, loggerFactory);
        return new ShokoSimulator(app, control, address);
    }

    /// <summary>The text <c>marquee sim shoko</c> prints: the URL, the server line and every user.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Shoko Server simulator (seed {State.Options.Seed}, {(State.IsV6 ? "6.0" : "5.x")}, {State.Catalog.Series.Count} series, {State.Catalog.Episodes.Count} episodes, {State.Catalog.Files.Count} files)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Server       {BaseUri}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Control API  {new Uri(BaseUri, "/_sim/")}");
        text.AppendLine("Users (name, id, password, role); get a key with POST /api/auth {\"user\",\"pass\",\"device\"}:");
        foreach (var user in State.Users)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {user.Username,-10} {user.Id,3}  {(user.Password.Length == 0 ? "(none)" : user.Password),-12} {(user.IsAdmin ? "admin" : "user")}");
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
