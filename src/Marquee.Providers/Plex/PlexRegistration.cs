using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Providers.Plex;

public static class PlexRegistration
{
    public static IServiceCollection AddPlex(this IServiceCollection services)
    {
        services.AddHttpClient(PlexClient.HttpClientName, c =>
        {
            c.Timeout = TimeSpan.FromSeconds(30);
            c.DefaultRequestHeaders.UserAgent.ParseAdd(ProviderHttp.UserAgent);
        });
        services.AddSingleton<IProviderDescriptor, PlexDescriptor>();
        return services;
    }

    private sealed class PlexDescriptor : ProviderDescriptor<PlexSettings>
    {
        public override string Kind => "plex";

        public override string DisplayName => "Plex Media Server";

        public override ProviderCapabilities Capabilities { get; } = new()
        {
            CanReadWatchState = true,
            CanWriteWatchState = true,
            CanBackdateWatched = false,
            CanRate = true,
            CanWriteProgress = true,
            HasWatchlist = true,
            MaxPageSize = 1000,
        };

        protected override IReadOnlyList<FieldProblem> Validate(PlexSettings settings) => PlexSettingsValidator.Validate(settings);

        protected override IProvider Create(PlexSettings settings, ProviderContext context)
        {
            var http = context.Services.GetRequiredService<IHttpClientFactory>().CreateClient(PlexClient.HttpClientName);
            return new PlexProvider(new PlexClient(http, settings));
        }
    }
}
