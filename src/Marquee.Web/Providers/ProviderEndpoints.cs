using Marquee.Core.Providers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Web.Providers;

internal static class ProviderEndpoints
{
    public static RouteGroupBuilder MapProviders(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/providers").WithTags("Providers");
        group.MapGet("/", (ProviderRegistry registry) => TypedResults.Ok(
            registry.All.OrderBy(d => d.Kind, StringComparer.Ordinal)
                .Select(d => new ProviderView(d.Kind, d.DisplayName, d.Capabilities, SettingsField.Describe(d.SettingsType)))
                .ToList()));
        return group;
    }
}

public sealed record ProviderView(string Kind, string DisplayName, ProviderCapabilities Capabilities, IReadOnlyList<SettingsField> Fields);
