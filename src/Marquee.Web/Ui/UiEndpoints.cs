using Marquee.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Ui;

/// <summary>The server-rendered web UI: every page calls the same services as the API.</summary>
internal static class UiEndpoints
{
    public static IServiceCollection AddUi(this IServiceCollection services, MarqueeOptions options)
    {
        services.AddUiAuth(options);
        if (!(options.Ui.NowPlayingCacheSeconds >= 0 && options.Ui.NowPlayingCacheSeconds <= 300))
        {
            throw new InvalidOperationException($"Marquee:Ui:NowPlayingCacheSeconds must be between 0 and 300 (it is {options.Ui.NowPlayingCacheSeconds}).");
        }

        services.AddSingleton<SessionReads>();
        services.AddSingleton<LiveRuns>();
        services.AddSingleton<PlexSignIns>();
        return services;
    }

    public static IEndpointRouteBuilder MapUi(this IEndpointRouteBuilder app)
    {
        app.MapSiteStyle();
        app.MapGroup(string.Empty).ExcludeFromDescription().MapUiAuth();
        var pages = app.MapGroup(string.Empty).RequireAuthorization().ExcludeFromDescription();
        pages.MapDashboard();
        pages.MapRunPages();
        pages.MapConnectionPages();
        pages.MapFlowPages();
        pages.MapProfilePages();
        return app;
    }
}
