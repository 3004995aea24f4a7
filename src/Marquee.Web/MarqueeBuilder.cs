using Marquee.Core.Jobs;
using Marquee.Hosting;
using Marquee.Hosting.Security;
using Marquee.Web.Care;
using Marquee.Web.Connections;
using Marquee.Web.Flows;
using Marquee.Web.Health;
using Marquee.Web.Http;
using Marquee.Web.Labels;
using Marquee.Web.Metrics;
using Marquee.Web.Notifications;
using Marquee.Web.Outbox;
using Marquee.Web.Profiles;
using Marquee.Web.Providers;
using Marquee.Web.Security;
using Marquee.Web.Sync;
using Marquee.Web.Ui;
using Marquee.Web.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web;

public static class MarqueeBuilder
{
    /// <summary>
    /// Makes the server's web app builder, rooted at the program's folder. The host does not watch that folder for
    /// changes to its settings files: Marquee reads its settings once at start (<see cref="MarqueeConfiguration"/>), and
    /// by default the host watched the folder and every folder under it, a data folder kept there included, so each write
    /// of the store was an event to handle.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder() =>
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = ["--hostBuilder:reloadConfigOnChange=false"] });

    /// <summary>Registers the server: the shared services, ProblemDetails, OpenAPI and request limits.</summary>
    public static WebApplicationBuilder AddMarquee(this WebApplicationBuilder builder, Func<string, string?>? environment = null)
    {
        builder.Services.AddMarqueeServices(builder.Configuration, environment);
        var options = MarqueeConfiguration.Bind(builder.Configuration);
        builder.WebHost.UseUrls(options.Server.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.Server.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemMapping>();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton<HttpMetrics>();
        builder.Services.AddHostedService<IdleMemory>();
        builder.Services.AddSingleton<HostAllowList>();
        builder.Services.AddSingleton<ApiGuard>();
        builder.Services.AddUi(options);
        if (builder.Configuration.GetValue("Marquee:Scheduler:Enabled", true))
        {
            builder.Services.AddHostedService<SyncScheduler>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<Marquee.Providers.Arr.Unmonitor.ArrUnmonitorCatchUp>());
        }

        // Unmonitor after watched: the live path takes watched events off the inbox processor's path.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Marquee.Providers.Arr.Unmonitor.ArrUnmonitorSink>());

        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        });
        builder.Services.AddWebhooks();
        builder.Services.AddOutboxDispatcher();
        builder.Services.AddNotifications();
        builder.Services.AddCare(builder.Configuration.GetValue("Marquee:Care:Enabled", true));
        builder.Services.AddLabels(builder.Configuration.GetValue("Marquee:Labels:Enabled", true));

        // Last, so that every log provider added by the host (console, tests) is wrapped.
        builder.Services.AddSecretRedaction();
        return builder;
    }

    /// <summary>Wires the middleware and every feature's endpoints.</summary>
    public static WebApplication UseMarquee(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<HttpMetrics>();
        app.Use((context, next) => metrics.TrackAsync(context, _ => next()));
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var guard = app.Services.GetRequiredService<ApiGuard>();
        app.Use((context, next) => guard.InvokeAsync(context, _ => next()));
        app.UseUiAuth();
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapHealth();
        app.MapMetrics();
        app.MapConnections();
        app.MapTraktLogin();
        app.MapProfiles();
        app.MapFlows();
        app.MapProviders();
        app.MapWebhooks();
        app.MapSync();
        app.MapOutbox();
        app.MapNotifications();
        app.MapCare();
        app.MapLabels();
        app.MapUi();
        return app;
    }
}
