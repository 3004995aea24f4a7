using System.Globalization;
using System.Net;
using System.Text;
using Marquee.Simulators.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marquee.Simulators.Plex;

/// <summary>
/// A fake Plex Media Server plus plex.tv, Discover and the metadata provider, each on its own
/// loopback listener in one process (Discover paths collide with PMS paths).
/// </summary>
public sealed class PlexSimulator : IAsyncDisposable
{
    private readonly List<WebApplication> _apps;

    private PlexSimulator(List<WebApplication> apps, SimControl control, Uri pms, Uri plexTv, Uri discover, Uri metadata, Uri community)
    {
        CommunityUri = community;
        _apps = apps;
        Control = control;
        BaseUri = pms;
        PlexTvUri = plexTv;
        DiscoverUri = discover;
        MetadataUri = metadata;
    }

    /// <summary>The media server (PMS).</summary>
    public Uri BaseUri { get; }

    /// <summary>plex.tv (and clients.plex.tv).</summary>
    public Uri PlexTvUri { get; }

    /// <summary>discover.provider.plex.tv.</summary>
    public Uri DiscoverUri { get; }

    /// <summary>metadata.provider.plex.tv (userState; its watchlist answers 404 like the real host).</summary>
    public Uri MetadataUri { get; }

    /// <summary>community.plex.tv (GraphQL at <c>/api</c>: friends and their watchlists).</summary>
    public Uri CommunityUri { get; }

    public SimControl Control { get; }

    public PlexState State => Control.State;

    public IReadOnlyList<SimAccount> Accounts => State.Accounts;

    public SimAccount Owner => State.Owner;

    public string MachineIdentifier => State.MachineIdentifier;

    public static async Task<PlexSimulator> StartAsync(PlexSimulatorOptions options, CancellationToken ct, ILoggerFactory? loggerFactory = null)
    {
        var clock = new SimClock(start: options.ClockStart);
        var state = new PlexState(options, clock);
        var harness = new SimHarness(options.Seed, options.LatencyMs, options.FaultRate)
        {
            // PMS answers a write with 200 and an empty text/html body (PLEX-API.md 1.2).
            Acknowledge = context =>
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "text/html";
                return Task.CompletedTask;
            },
        };
        var stream = new EventStream(state);
        var pins = new PinStore();
        var apps = new List<WebApplication>();
        Uri? pmsUri = null;

        var pms = Build(options.Host, options.Port, loggerFactory);
        pms.UseWebSockets();
        pms.UseRouting();
        harness.Use(pms, "/_sim");
        pms.Use(PmsHttp.EmptyWritesAsHtml);
        pms.MapPms(state, stream);
        pms.MapArtwork(state);
        apps.Add(pms);

        SimControl? control = null;
        WebApplication PlexTv(int port)
        {
            var app = Build(options.Host, port, loggerFactory);
            app.UseRouting();
            harness.Use(app, "/_sim", "plextv:");
            app.Use((context, next) =>
            {
                if (control?.PlexTvOutage == PlexTvOutage.Error500 && !context.Request.Path.StartsWithSegments("/_sim", StringComparison.Ordinal))
                {
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    return context.Response.WriteAsync("plex.tv outage (simulated)", context.RequestAborted);
                }

                return next(context);
            });
            app.Use(PlexTvXml.NegotiateAsync);
            app.MapPlexTv(state, pins, () => pmsUri!);
            app.MapPost("/_sim/pins/{id:int}/approve", (int id, ControlEndpoints.ApproveRequest r) => control!.ApprovePin(id, r.Account) ? Results.Ok() : Results.NotFound());
            return app;
        }

        var plexTv = PlexTv(options.PlexTvPort);
        apps.Add(plexTv);

        var discover = Build(options.Host, options.DiscoverPort, loggerFactory);
        discover.UseRouting();
        harness.Use(discover, "/_sim", "discover:");
        discover.MapDiscover(state);
        discover.MapDiscoverMatches(state);
        apps.Add(discover);

        var metadata = Build(options.Host, 0, loggerFactory);
        metadata.UseRouting();
        harness.Use(metadata, "/_sim", "metadata:");
        metadata.MapMetadataProvider(state);
        apps.Add(metadata);

        var communityState = new CommunityState();
        var community = Build(options.Host, 0, loggerFactory);
        community.UseRouting();
        harness.Use(community, "/_sim", "community:");
        community.MapCommunity(state, communityState);
        apps.Add(community);

        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PlexSimulator>();
        var webhooks = new WebhookDispatcher(state, pms.Services.GetRequiredService<IHttpClientFactory>(), logger);
        control = new SimControl(state, harness, stream, webhooks, pins) { Community = communityState };
        pms.MapControl(control);
        pms.MapCommunityControl(control);

        foreach (var app in apps)
        {
            await app.StartAsync(ct);
        }

        pmsUri = Address(pms);
        var plexTvUri = Address(plexTv);
        var listening = true;
        var switching = new SemaphoreSlim(1, 1);
        control.PlexTvListening = async listen =>
        {
            // An unreachable plex.tv refuses connections: its listener stops, and comes back on the same port.
            await switching.WaitAsync(CancellationToken.None);
            try
            {
                if (listen == listening)
                {
                    return;
                }

                if (!listen)
                {
                    apps.Remove(plexTv);
                    await plexTv.StopAsync(CancellationToken.None);
                    await plexTv.DisposeAsync();
                }
                else
                {
                    plexTv = PlexTv(plexTvUri.Port);
                    await plexTv.StartAsync(CancellationToken.None);
                    apps.Add(plexTv);
                }

                listening = listen;
            }
            finally
            {
                switching.Release();
            }
        };
        return new PlexSimulator(apps, control, pmsUri, plexTvUri, Address(discover), Address(metadata), Address(community));
    }

    /// <summary>The text <c>marquee sim plex</c> prints: base URLs and every account's name, id and token.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Plex simulator (seed {State.Options.Seed}, variant {State.Options.Variant}, {State.ItemCount} items)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  PMS                {BaseUri}  machineIdentifier {MachineIdentifier}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  plex.tv            {PlexTvUri}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Discover           {DiscoverUri}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Metadata provider  {MetadataUri}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Community GraphQL  {new Uri(CommunityUri, "api")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Control API        {new Uri(BaseUri, "/_sim/")}");
        text.AppendLine("Accounts (name, kind, plex.tv id, local id, account token, server token, pin):");
        foreach (var a in Accounts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {a.Name,-10} {a.Kind.ToString().ToLowerInvariant(),-6} {a.PlexTvId,-9} {a.LocalId,-9} {a.AccountToken}  {a.ServerToken}  {a.Pin ?? "-"}");
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Control.Stream.CloseAll();
        await Control.Webhooks.DisposeAsync();
        foreach (var app in _apps)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private static WebApplication Build(string host, int port, ILoggerFactory? loggerFactory)
    {
        var builder = SimWebHost.CreateBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.Services.AddHttpClient();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrel(o =>
        {
            o.Limits.MaxConcurrentConnections = null;
            o.Listen(IPAddress.Parse(host), port);
        });
        return builder.Build();
    }

    private static Uri Address(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
