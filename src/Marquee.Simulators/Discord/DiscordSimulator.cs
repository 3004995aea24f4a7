using System.Globalization;
using System.Text;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Discord;

/// <summary>A fake Discord that accepts webhook executions on one loopback listener, with the <c>/_sim</c> control API.</summary>
public sealed class DiscordSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DiscordSimulator(WebApplication app, DiscordState state, SimHarness harness, Uri baseUri)
    {
        _app = app;
        State = state;
        Harness = harness;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public DiscordState State { get; }

    public SimHarness Harness { get; }

    /// <summary>The URL of the webhook the simulator starts with.</summary>
    public Uri DefaultWebhookUrl => WebhookUrl(State.Webhooks[0]);

    public Uri WebhookUrl(DiscordWebhook hook) => DiscordEndpoints.Url(BaseUri, hook);

    public static async Task<DiscordSimulator> StartAsync(DiscordSimulatorOptions options, CancellationToken ct, ILoggerFactory? loggerFactory = null)
    {
        var state = new DiscordState(options, TimeProvider.System);
        var harness = new SimHarness(options.Seed, options.LatencyMs, options.FaultRate);

        var (app, address) = await SimWebHost.StartAsync(
            options.Host,
            options.Port,
            harness,
            (web, bound) =>
            {
                web.MapDiscord(state);
                web.MapDiscordControl(state, harness, bound);
            },
            ct,
            loggerFactory);
        return new DiscordSimulator(app, state, harness, address);
    }

    /// <summary>A description for a console: the webhook URL, the rate limit and the control API.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine("Discord webhook simulator");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Webhook      {DefaultWebhookUrl}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Rate limit   {(State.RateLimit > 0 ? $"{State.RateLimit} per {State.RateWindow.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s per webhook" : "off")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Messages     {new Uri(BaseUri, "/_sim/messages")}");
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
