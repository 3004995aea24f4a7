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
