using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Seerr;

public static class SeerrRegistration
{
    /// <summary>Registers the <c>seerr</c> connection kind (Overseerr, Jellyseerr and Seerr share one API).</summary>
    public static IServiceCollection AddSeerr(this IServiceCollection services)
    {
        services.AddProviderHttpClient(SeerrProvider.HttpClientName);
        services.AddOptions<SeerrOptions>().BindConfiguration(SeerrOptions.Section);
        services.AddSingleton<IProviderDescriptor, Descriptor>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Marquee.Core.Webhooks.IWebhookFormat, SeerrWebhookFormat>());
        return services;
    }

    private sealed class Descriptor : ProviderDescriptor<SeerrSettings, SeerrProvider>
    {
        public override string Kind => "seerr";

        public override string DisplayName => "Overseerr / Jellyseerr / Seerr";

        protected override IReadOnlyList<FieldProblem> Validate(SeerrSettings settings) => SeerrSettings.Validate(settings);

        protected override SeerrProvider CreateProvider(SeerrSettings settings, ProviderContext context)
        {
            var services = context.Services;
            var options = services.GetService<IOptions<SeerrOptions>>()?.Value ?? new SeerrOptions();
            var limits = services.GetService<IOptions<ProviderHttpOptions>>()?.Value ?? new ProviderHttpOptions();
            var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(SeerrProvider.HttpClientName);
            return new SeerrProvider(http, settings, context.ConnectionName, options, context.Requests, services.GetService<TimeProvider>() ?? TimeProvider.System, limits.TestTimeout, limits.MaxResponseBytes);
        }
    }
}
